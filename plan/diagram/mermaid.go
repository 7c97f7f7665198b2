package diagram

import (
	"fmt"
	"strings"
)

// mermaidShapes wrap a quoted label in each kind's shape.
var mermaidShapes = map[string][2]string{
	KindActor:        {`(["`, `"])`},
	KindCDN:          {`{{"`, `"}}`},
	KindBucket:       {`[("`, `")]`},
	KindTable:        {`[("`, `")]`},
	KindDatabase:     {`[("`, `")]`},
	KindCache:        {`[("`, `")]`},
	KindLoadBalancer: {`[/"`, `"/]`},
	KindService:      {`["`, `"]`},
	KindFunction:     {`[["`, `"]]`},
	KindStream:       {`>"`, `"]`},
	KindQueue:        {`>"`, `"]`},
}

// mermaidArrows draw requests and deliveries solid (deliveries thick),
// and what is only permitted (a security-group flow, an IAM grant) or
// logging dotted.
var mermaidArrows = map[string]string{
	EdgeRequest: "-->",
	EdgeData:    "==>",
	EdgeNetwork: "-.->",
	EdgeIAM:     "-.->",
	EdgeLogs:    "-.->",
}

// mermaidStyles colour the kinds (GitHub renders classDef).
var mermaidStyles = []struct{ kind, style string }{
	{KindActor, "fill:#ffffff,stroke:#555555,stroke-dasharray:4 3"},
	{KindCDN, "fill:#f3e8ff,stroke:#7c3aed"},
	{KindLoadBalancer, "fill:#ede9fe,stroke:#6d28d9"},
	{KindService, "fill:#fff7ed,stroke:#c2410c"},
	{KindFunction, "fill:#fff7ed,stroke:#c2410c"},
	{KindBucket, "fill:#ecfdf5,stroke:#047857"},
	{KindTable, "fill:#eff6ff,stroke:#1d4ed8"},
	{KindDatabase, "fill:#eff6ff,stroke:#1d4ed8"},
	{KindCache, "fill:#fef2f2,stroke:#b91c1c"},
	{KindStream, "fill:#fdf4ff,stroke:#a21caf"},
	{KindQueue, "fill:#fdf4ff,stroke:#a21caf"},
}

// Mermaid renders the graph as a Mermaid flowchart, left to right, one
// subgraph per component. IDs are letters, digits and "_" only, and every
// label is quoted with its special characters written as entity codes,
// so no resource name or path pattern can break the syntax.
func (g *Graph) Mermaid() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "flowchart LR\n")
	fmt.Fprintf(&sb, "  %%%% %s: generated from the recorded resources (cmd/plan -format mermaid)\n", mermaidComment(g.Stack))
	for _, n := range g.Nodes {
		if n.Group == "" {
			fmt.Fprintf(&sb, "  %s\n", mermaidNode(n))
		}
	}
	for _, grp := range g.Groups {
		fmt.Fprintf(&sb, "  subgraph %s[\"%s\"]\n", groupID(grp.Name), mermaidText(grp.Label))
		for _, n := range g.Nodes {
			if n.Group == grp.Name {
				fmt.Fprintf(&sb, "    %s\n", mermaidNode(n))
			}
		}
		sb.WriteString("  end\n")
	}
	for _, e := range g.Edges {
		fmt.Fprintf(&sb, "  %s %s|\"%s\"| %s\n", e.From, arrow(e.Kind), mermaidText(e.Label), e.To)
	}
	for _, s := range mermaidStyles {
		var ids []string
		for _, n := range g.Nodes {
			if n.Kind == s.kind {
				ids = append(ids, n.ID)
			}
		}
		if len(ids) > 0 {
			fmt.Fprintf(&sb, "  classDef %s %s\n", s.kind, s.style)
			fmt.Fprintf(&sb, "  class %s %s\n", strings.Join(ids, ","), s.kind)
		}
	}
	return sb.String()
}

func mermaidNode(n Node) string {
	shape, ok := mermaidShapes[n.Kind]
	if !ok {
		shape = mermaidShapes[KindService]
	}
	return n.ID + shape[0] + mermaidText(n.Label) + shape[1]
}

func arrow(kind string) string {
	if a, ok := mermaidArrows[kind]; ok {
		return a
	}
	return "-->"
}

// groupID keeps subgraph IDs apart from node IDs.
func groupID(name string) string {
	return "group_" + safeID(name)
}

// mermaidText escapes a label for use inside double quotes: Mermaid's
// entity codes for the characters its grammar or its HTML labels would
// read, and <br/> for each new line.
func mermaidText(s string) string {
	var sb strings.Builder
	for _, c := range s {
		switch c {
		case '#':
			sb.WriteString("#35;")
		case '"':
			sb.WriteString("#quot;")
		case '<':
			sb.WriteString("#lt;")
		case '>':
			sb.WriteString("#gt;")
		case '&':
			sb.WriteString("#amp;")
		case '|':
			sb.WriteString("#124;")
		case '`':
			sb.WriteString("#96;")
		case '\n':
			sb.WriteString("<br/>")
		case '\r', '\t':
			sb.WriteByte(' ')
		default:
			sb.WriteRune(c)
		}
	}
	return sb.String()
}

// mermaidComment keeps a comment on one line.
func mermaidComment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}
