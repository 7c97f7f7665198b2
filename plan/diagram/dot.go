package diagram

import (
	"bytes"
	"errors"
	"fmt"
	"os/exec"
	"strings"
)

// dotShapes are Graphviz's shapes for each kind.
var dotShapes = map[string]string{
	KindActor:        "oval",
	KindCDN:          "hexagon",
	KindBucket:       "cylinder",
	KindTable:        "cylinder",
	KindDatabase:     "cylinder",
	KindCache:        "cylinder",
	KindLoadBalancer: "parallelogram",
	KindService:      "box",
	KindFunction:     "component",
	KindStream:       "cds",
	KindQueue:        "cds",
}

// dotStyles match the Mermaid arrows: solid requests, bold deliveries,
// dashed permissions and logs.
var dotStyles = map[string]string{
	EdgeRequest: "solid",
	EdgeData:    "bold",
	EdgeNetwork: "dashed",
	EdgeIAM:     "dotted",
	EdgeLogs:    "dotted",
}

// DOT renders the graph for Graphviz: one cluster per component.
func (g *Graph) DOT() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "digraph %s {\n", dotString("pushplatform "+g.Stack))
	sb.WriteString("  rankdir=LR;\n  graph [fontname=\"Helvetica\"];\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n")
	for _, n := range g.Nodes {
		if n.Group == "" {
			fmt.Fprintf(&sb, "  %s;\n", dotNode(n))
		}
	}
	for _, grp := range g.Groups {
		fmt.Fprintf(&sb, "  subgraph %s {\n    label=%s;\n    style=rounded;\n", dotString("cluster_"+safeID(grp.Name)), dotString(grp.Label))
		for _, n := range g.Nodes {
			if n.Group == grp.Name {
				fmt.Fprintf(&sb, "    %s;\n", dotNode(n))
			}
		}
		sb.WriteString("  }\n")
	}
	for _, e := range g.Edges {
		style := dotStyles[e.Kind]
		if style == "" {
			style = "solid"
		}
		fmt.Fprintf(&sb, "  %s -> %s [label=%s, style=%s];\n", e.From, e.To, dotString(e.Label), style)
	}
	sb.WriteString("}\n")
	return sb.String()
}

func dotNode(n Node) string {
	shape := dotShapes[n.Kind]
	if shape == "" {
		shape = "box"
	}
	return fmt.Sprintf("%s [label=%s, shape=%s]", n.ID, dotString(n.Label), shape)
}

// dotString quotes s as a DOT string: backslashes and quotes escaped, new
// lines as \n (centred).
func dotString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")
	return `"` + r.Replace(s) + `"`
}

// ErrNoDot is returned by RenderDOT when Graphviz is not installed.
var ErrNoDot = errors.New("graphviz `dot` is not on PATH (apt-get install graphviz): only the Mermaid and DOT text can be written")

// RenderDOT runs Graphviz (`dot -T<format>`, such as svg or png) on a DOT
// text and returns the image.
func RenderDOT(dot, format string) ([]byte, error) {
	bin, err := exec.LookPath("dot")
	if err != nil {
		return nil, ErrNoDot
	}
	if format == "" || strings.ContainsAny(format, " \t\n-") {
		return nil, fmt.Errorf("render DOT: bad output format %q", format)
	}
	cmd := exec.Command(bin, "-T"+format)
	cmd.Stdin = strings.NewReader(dot)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("dot -T%s: %v: %s", format, err, strings.TrimSpace(stderr.String()))
	}
	return out.Bytes(), nil
}
