package review

import (
	"fmt"
	"io"
	"strings"
)

// WriteText renders the whole review for a terminal: the plan's sections,
// then policy, cost, deploy time, the diagram's size and the guard.
func (rv *Review) WriteText(w io.Writer) {
	rv.Report.WriteText(w)
	section := func(title string, write func(io.Writer)) {
		fmt.Fprintf(w, "\n== %s ==\n", title)
		write(w)
	}
	section("Policy", rv.Policy.WriteText)
	section("Monthly cost", rv.Cost.WriteText)
	section("Monthly cost by stack", rv.Stacks.WriteText)
	section("Estimated first deploy", rv.DeployTime.WriteText)
	section("Diagram", func(w io.Writer) {
		fmt.Fprintf(w, "%d nodes, %d edges; `-format mermaid` prints it, `-svg FILE` renders it with Graphviz.\n", len(rv.graph.Nodes), len(rv.graph.Edges))
	})
	if rv.Guard != nil {
		section("Replacement guard", rv.Guard.WriteText)
	}
	for _, n := range rv.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
}

// WriteMarkdown renders a pull-request comment: a summary, the policy
// verdict with violations and waivers, the cost of every stack side by
// side with the difference, the deploy estimate, the guard, the diagram
// and the component tree.
func (rv *Review) WriteMarkdown(w io.Writer) {
	verdict := "passes"
	if f := rv.Failures(); len(f) > 0 {
		verdict = "**fails**: " + strings.Join(f, "; ")
	}
	fmt.Fprintf(w, "## Offline plan of `%s` (%s)\n\n", rv.Stack, rv.Project)
	fmt.Fprintf(w, "| | |\n|---|---|\n| Resources | %d |\n| Check | %s |\n| Monthly cost (idle) | $%.2f |\n| First deploy | %s |\n\n",
		rv.TotalResources, verdict, rv.Cost.TotalUSD, rv.DeployTime.Total())
	if rv.Guard != nil {
		rv.Guard.WriteMarkdown(w)
		fmt.Fprintln(w)
	}
	rv.Policy.WriteMarkdown(w)
	fmt.Fprintln(w)
	rv.Stacks.WriteMarkdown(w)
	rv.writeCostDelta(w)
	fmt.Fprintln(w)
	rv.DeployTime.WriteMarkdown(w)
	fmt.Fprintf(w, "\n<details><summary>Diagram</summary>\n\n```mermaid\n%s```\n\n</details>\n", rv.Diagram)
	fmt.Fprintln(w, "\n<details><summary>Component tree</summary>\n\n```")
	rv.Report.WriteTree(w)
	fmt.Fprintln(w, "```\n\n</details>")
	fmt.Fprintln(w, "\n<details><summary>Cost lines of this stack</summary>")
	fmt.Fprintln(w)
	rv.Cost.WriteMarkdown(w)
	fmt.Fprintln(w, "\n</details>")
}

// writeCostDelta adds each other stack's difference from this one.
func (rv *Review) writeCostDelta(w io.Writer) {
	for _, name := range rv.Stacks.Stacks {
		if name == rv.Stack {
			continue
		}
		other := rv.Stacks.Estimates[name]
		fmt.Fprintf(w, "\n`%s` costs $%.2f a month; `%s` $%.2f: a difference of %+.2f.\n", rv.Stack, rv.Cost.TotalUSD, name, other.TotalUSD, rv.Cost.TotalUSD-other.TotalUSD)
	}
}
