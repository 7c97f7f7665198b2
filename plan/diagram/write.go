package diagram

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText writes the graph for a terminal: the counts, then one line
// per edge with the names of its ends.
func (g *Graph) WriteText(w io.Writer) {
	fmt.Fprintf(w, "%d nodes in %d components, %d edges\n", len(g.Nodes), len(g.Groups), len(g.Edges))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FROM\tTO\tKIND\tLABEL")
	for _, e := range g.Edges {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", g.name(e.From), g.name(e.To), e.Kind, e.Label)
	}
	tw.Flush()
}

// WriteMarkdown writes the diagram as a fenced mermaid block, which
// GitHub renders in a comment or a markdown file.
func (g *Graph) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "Architecture of stack `%s`: %d nodes in %d components, %d edges, read from the recorded resources.\n\n", g.Stack, len(g.Nodes), len(g.Groups), len(g.Edges))
	fmt.Fprintf(w, "```mermaid\n%s```\n", g.Mermaid())
}

func (g *Graph) name(id string) string {
	if n := g.Node(id); n != nil {
		return n.Name
	}
	return id
}
