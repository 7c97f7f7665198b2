package policy

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Summary is the one-line verdict.
func (r *Report) Summary() string {
	return fmt.Sprintf("%d rules: %d passed, %d waived, %d failed; %d findings (%d unwaived), %d waivers, %d warnings",
		r.Rules, r.Passed, r.Waived, r.Failed, len(r.Findings), len(r.Unwaived()), len(r.Waivers), len(r.Warnings))
}

// WriteText renders the report for a terminal.
func (r *Report) WriteText(w io.Writer) {
	fmt.Fprintln(w, r.Summary())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if u := r.Unwaived(); len(u) > 0 {
		fmt.Fprintln(tw, "\nVIOLATIONS\tseverity\tresource\tproblem\tfix")
		for _, f := range u {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Rule, f.Severity, f.Subject(), f.Problem, f.Fix)
		}
	}
	fmt.Fprintln(tw, "\nWAIVED\tseverity\tresource\tproblem\treason")
	for _, f := range r.Findings {
		if f.Waived != "" {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Rule, f.Severity, f.Subject(), f.Problem, f.Waived)
		}
	}
	tw.Flush()
	fmt.Fprintln(w, "\nWaivers (pushplatform:policy.waivers in the stack file):")
	for _, wv := range r.Waivers {
		scope := "all it flags"
		if len(wv.Resources) > 0 {
			scope = strings.Join(wv.Resources, ", ")
		}
		line := fmt.Sprintf("  %-16s %-40s covers %d: %s", wv.Rule, scope, wv.Covers, wv.Reason)
		if wv.Problem != "" {
			line += "  << " + wv.Problem
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, "\nWarnings (not violations; a reviewer should know):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, wr := range r.Warnings {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", wr.Kind, wr.Subject, wr.Message)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nRules:")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, rr := range r.RuleList {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", rr.ID, rr.Verdict, rr.Severity, rr.Title)
	}
	tw.Flush()
}

// WriteMarkdown renders the report for a pull-request comment: the
// verdict, violations, waivers and warnings; the rule list folded.
func (r *Report) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "**Policy:** %s\n\n", r.Summary())
	if u := r.Unwaived(); len(u) > 0 {
		fmt.Fprintln(w, "| Violation | Severity | Resource | Problem | Fix |\n|---|---|---|---|---|")
		for _, f := range u {
			fmt.Fprintf(w, "| %s | %s | `%s` | %s | %s |\n", f.Rule, f.Severity, f.Subject(), md(f.Problem), md(f.Fix))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "| Waiver | Resources | Covers | Reason |\n|---|---|---|---|")
	for _, wv := range r.Waivers {
		scope := "all"
		if len(wv.Resources) > 0 {
			scope = "`" + strings.Join(wv.Resources, "`, `") + "`"
		}
		reason := md(wv.Reason)
		if wv.Problem != "" {
			reason += " **(" + md(wv.Problem) + ")**"
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s |\n", wv.Rule, scope, wv.Covers, reason)
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintln(w, "\n| Warning | Subject | Message |\n|---|---|---|")
		for _, wr := range r.Warnings {
			fmt.Fprintf(w, "| %s | `%s` | %s |\n", wr.Kind, wr.Subject, md(wr.Message))
		}
	}
	fmt.Fprintf(w, "\n<details><summary>All %d rules</summary>\n\n", r.Rules)
	for _, verdict := range []string{"failed", "waived", "passed"} {
		var list []string
		for _, rr := range r.RuleList {
			if rr.Verdict == verdict {
				list = append(list, rr.ID)
			}
		}
		if len(list) > 0 {
			fmt.Fprintf(w, "- **%s** (%d): %s\n", verdict, len(list), strings.Join(list, ", "))
		}
	}
	fmt.Fprintln(w, "\nTitles, severities and fixes: `go run ./cmd/plan -stack <stack>` (text) or `-format json`.\n\n</details>")
}

// md escapes what would break a markdown table cell.
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// Subject names the finding's resource with its short type.
func (f Finding) Subject() string {
	if f.Type == "" {
		return f.Resource
	}
	return shortType(f.Type) + " " + f.Resource
}
