package guard

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteText prints the verdict for a terminal.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Replacement guard (%s): %d stateful resources compared with the baseline: %s\n", r.Stack, r.Checked, r.verdict())
	for _, sec := range []struct {
		title string
		rows  []Finding
	}{{"Would be replaced or deleted", r.Failures}, {"Notes", r.Notes}} {
		if len(sec.rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", sec.title)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "TYPE\tNAME\tREASON\tURN")
		for _, f := range sec.rows {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.Type, f.Name, f.Reason, f.URN)
		}
		tw.Flush()
	}
}

// WriteMarkdown prints the verdict for a pull-request comment.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "### Replacement guard (%s)\n\n%d stateful resources compared with the baseline: **%s**\n", r.Stack, r.Checked, r.verdict())
	for _, sec := range []struct {
		title string
		rows  []Finding
	}{{"Would be replaced or deleted", r.Failures}, {"Notes", r.Notes}} {
		if len(sec.rows) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n#### %s\n\n| Type | Name | Reason | URN |\n|---|---|---|---|\n", sec.title)
		for _, f := range sec.rows {
			reason := f.Reason
			if f.Source != "" {
				reason += " (" + f.Source + ")"
			}
			fmt.Fprintf(w, "| `%s` | `%s` | %s | `%s` |\n", f.Type, f.Name, cell(reason), f.URN)
		}
	}
}

func (r *Report) verdict() string {
	if r.Failed() {
		return fmt.Sprintf("FAIL, %d would be replaced or deleted", len(r.Failures))
	}
	return "ok, none replaced or deleted"
}

func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}
