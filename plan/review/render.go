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

// CommentLimit is the most a pull-request comment may hold: GitHub
// refuses bodies over 65,536 characters; the rest is headroom for a
// wrapper such as a sticky-comment header.
const CommentLimit = 60000

// WriteMarkdown renders a pull-request comment: a summary, the guard, the
// policy verdict with violations and waivers, the cost of every stack side
// by side with the difference, the deploy estimate, the diagram, the
// component tree and this stack's cost lines. Sections that would push the
// comment past CommentLimit are dropped from the end, and the comment says
// which.
func (rv *Review) WriteMarkdown(w io.Writer) {
	verdict := "passes"
	if f := rv.Failures(); len(f) > 0 {
		verdict = "**fails**: " + strings.Join(f, "; ")
	}
	var head strings.Builder
	fmt.Fprintf(&head, "## Offline plan of `%s` (%s)\n\n", rv.Stack, rv.Project)
	fmt.Fprintf(&head, "| | |\n|---|---|\n| Resources | %d |\n| Check | %s |\n| Monthly cost (idle) | $%.2f |\n| First deploy | %s |\n\n",
		rv.TotalResources, verdict, rv.Cost.TotalUSD, rv.DeployTime.Total())
	sections := []struct {
		name  string
		write func(io.Writer)
	}{
		{"replacement guard", func(w io.Writer) {
			if rv.Guard != nil {
				rv.Guard.WriteMarkdown(w)
				fmt.Fprintln(w)
			}
		}},
		{"policy", func(w io.Writer) { rv.Policy.WriteMarkdown(w); fmt.Fprintln(w) }},
		{"cost by stack", func(w io.Writer) { rv.Stacks.WriteMarkdown(w); rv.writeCostDelta(w); fmt.Fprintln(w) }},
		{"deploy time", rv.DeployTime.WriteMarkdown},
		{"diagram", func(w io.Writer) {
			fmt.Fprintf(w, "\n<details><summary>Diagram</summary>\n\n```mermaid\n%s```\n\n</details>\n", rv.Diagram)
		}},
		{"component tree", func(w io.Writer) {
			fmt.Fprintln(w, "\n<details><summary>Component tree (components with their resource counts, and the resources that hold data; the text plan lists every resource)</summary>\n\n```")
			rv.Report.WriteCompactTree(w)
			fmt.Fprintln(w, "```\n\n</details>")
		}},
		{"cost lines", func(w io.Writer) {
			fmt.Fprintf(w, "\n<details><summary>Cost lines of %s</summary>\n\n", rv.Stack)
			rv.Cost.WriteMarkdownBrief(w)
			fmt.Fprintln(w, "\n</details>")
		}},
	}
	out := head.String()
	var dropped []string
	for _, sec := range sections {
		var b strings.Builder
		sec.write(&b)
		if len(dropped) == 0 && len(out)+b.Len() <= CommentLimit-200 {
			out += b.String()
		} else {
			dropped = append(dropped, sec.name)
		}
	}
	if len(dropped) > 0 {
		out += fmt.Sprintf("\n_Left out to stay within a comment's size: %s (see the text plan)._\n", strings.Join(dropped, ", "))
	}
	io.WriteString(w, out)
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
