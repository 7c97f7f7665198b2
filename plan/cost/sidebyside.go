package cost

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
)

// SideBySide sets the estimates of several stacks next to each other,
// component by component.
type SideBySide struct {
	Stacks     []string             `json:"stacks"`
	Components []string             `json:"components"`
	Estimates  map[string]*Estimate `json:"estimates"`
}

// Compare orders the estimates by stack name and collects every component
// any of them has, in the order they first appear.
func Compare(estimates map[string]*Estimate) *SideBySide {
	s := &SideBySide{Estimates: estimates, Stacks: sortedKeys(estimates)}
	for _, stack := range s.Stacks {
		for _, c := range estimates[stack].Components {
			if !slices.Contains(s.Components, c.Name) {
				s.Components = append(s.Components, c.Name)
			}
		}
	}
	return s
}

// WriteText prints one column per stack, then each stack's verdict (the
// capacity rows are in each stack's own estimate).
func (s *SideBySide) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Monthly cost estimate, %s side by side (USD, eu-central-1, idle)\n\n", strings.Join(s.Stacks, " vs "))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "COMPONENT\t%s\t\n", strings.ToUpper(strings.Join(s.Stacks, "\t")))
	for _, c := range s.Components {
		fmt.Fprintf(tw, "%s\t%s\t\n", c, strings.Join(s.column(func(e *Estimate) float64 { return e.Subtotal(c) }), "\t"))
	}
	fmt.Fprintf(tw, "TOTAL\t%s\t\n", strings.Join(s.column(func(e *Estimate) float64 { return e.TotalUSD }), "\t"))
	tw.Flush()
	for _, stack := range s.Stacks {
		e := s.Estimates[stack]
		fmt.Fprintf(w, "\n%s: %s\n", stack, e.verdict())
	}
}

// WriteMarkdown prints the same as a markdown table.
func (s *SideBySide) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "### Monthly cost estimate: %s (USD, eu-central-1, idle)\n\n", strings.Join(s.Stacks, " vs "))
	fmt.Fprintf(w, "| Component | %s |\n|---|%s\n", strings.Join(s.Stacks, " | "), strings.Repeat("--:|", len(s.Stacks)))
	for _, c := range s.Components {
		fmt.Fprintf(w, "| %s | %s |\n", c, strings.Join(s.column(func(e *Estimate) float64 { return e.Subtotal(c) }), " | "))
	}
	var totals []string
	for _, t := range s.column(func(e *Estimate) float64 { return e.TotalUSD }) {
		totals = append(totals, "**"+t+"**")
	}
	fmt.Fprintf(w, "| **Total** | %s |\n", strings.Join(totals, " | "))
	for _, stack := range s.Stacks {
		e := s.Estimates[stack]
		fmt.Fprintf(w, "\n`%s`: %s\n", stack, md(e.verdict()))
		if e.Capacity != nil {
			fmt.Fprintln(w)
			writeCapacityMarkdown(w, e.Capacity)
		}
	}
}

func (s *SideBySide) column(f func(*Estimate) float64) []string {
	out := make([]string, len(s.Stacks))
	for i, stack := range s.Stacks {
		out[i] = fmt.Sprintf("%.2f", f(s.Estimates[stack]))
	}
	return out
}
