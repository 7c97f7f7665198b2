package deploytime

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteText prints the estimate for a terminal.
func (r *Result) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Estimated first deploy of %s: %s (parallelism %s)\n\n", r.Stack, minutes(r.TotalSeconds), r.Parallelism)
	fmt.Fprintln(w, "Critical path:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  START\tTAKES\tTYPE\tNAME")
	for _, s := range r.CriticalPath {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", minutes(s.StartSeconds), minutes(s.DurationSeconds), s.Type, s.Name)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nSlowest resources:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  TAKES\tSTARTS\tTYPE\tNAME\tSOURCE")
	for _, s := range r.Slowest {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", minutes(s.DurationSeconds), minutes(s.StartSeconds), s.Type, s.Name, s.Source)
	}
	tw.Flush()
	fmt.Fprintln(w)
	for _, ro := range r.Rollouts {
		fmt.Fprintf(w, "Rollout wait: %s holds back %d resource(s) that read it and adds %s to the deploy; %s.\n", ref(ro.Resource), ro.Dependents, minutes(ro.AddsSeconds), ro.Fix)
	}
	if len(r.Flagged) == 0 {
		fmt.Fprintln(w, "No dependsOn wait lies on the critical path or holds back a slow resource.")
		return
	}
	fmt.Fprintln(w, "dependsOn waits that serialise slow resources:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  RESOURCE\tWAITS ON\tCRITICAL\tADDS\tDELAYS")
	for _, f := range r.Flagged {
		fmt.Fprintf(tw, "  %s\t%s\t%v\t%s\t%s\n", ref(f.Resource), waits(f), f.OnCriticalPath, minutes(f.AddsSeconds), delays(f.Delays))
	}
	tw.Flush()
}

// WriteMarkdown renders the estimate for a pull-request comment.
func (r *Result) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "### Estimated first deploy of `%s`: %s\n\n", r.Stack, minutes(r.TotalSeconds))
	fmt.Fprintf(w, "Parallelism: %s.\n\n", r.Parallelism)
	fmt.Fprintln(w, "**Critical path**\n\n| Start | Takes | Type | Name | Source |\n|---|---|---|---|---|")
	for _, s := range r.CriticalPath {
		fmt.Fprintf(w, "| %s | %s | `%s` | %s | %s |\n", minutes(s.StartSeconds), minutes(s.DurationSeconds), s.Type, s.Name, cell(s.Source))
	}
	fmt.Fprintln(w, "\n**Slowest resources**\n\n| Takes | Starts | Type | Name | Source |\n|---|---|---|---|---|")
	for _, s := range r.Slowest {
		fmt.Fprintf(w, "| %s | %s | `%s` | %s | %s |\n", minutes(s.DurationSeconds), minutes(s.StartSeconds), s.Type, s.Name, cell(s.Source))
	}
	fmt.Fprintln(w)
	for _, ro := range r.Rollouts {
		fmt.Fprintf(w, "**Rollout wait:** `%s` holds back %d resource(s) that read it and adds %s to the deploy; %s.\n\n", ref(ro.Resource), ro.Dependents, minutes(ro.AddsSeconds), cell(ro.Fix))
	}
	if len(r.Flagged) == 0 {
		fmt.Fprintln(w, "No `dependsOn` wait lies on the critical path or holds back a slow resource.")
		return
	}
	fmt.Fprintln(w, "**`dependsOn` waits that serialise slow resources**\n\n| Resource | Waits on | Critical path | Adds | Delays |\n|---|---|---|---|---|")
	for _, f := range r.Flagged {
		fmt.Fprintf(w, "| %s | %s | %v | %s | %s |\n", cell(ref(f.Resource)), cell(waits(f)), f.OnCriticalPath, minutes(f.AddsSeconds), cell(delays(f.Delays)))
	}
}

// minutes prints seconds as "12m30s", "45s" or "0s".
func minutes(s int) string {
	return (time.Duration(s) * time.Second).String()
}

func ref(r Ref) string { return r.Type + " " + r.Name }

func waits(f Finding) string {
	if f.Component != "" {
		return fmt.Sprintf("all %d resources of component %s", len(f.WaitsOn), f.Component)
	}
	var names []string
	for _, w := range f.WaitsOn {
		names = append(names, ref(w))
	}
	return strings.Join(names, ", ")
}

func delays(ds []Delay) string {
	var out []string
	for _, d := range ds {
		out = append(out, fmt.Sprintf("%s by %s", d.Name, minutes(d.Seconds)))
	}
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, ", ")
}

// cell keeps a value inside one markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}
