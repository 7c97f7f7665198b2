package diagram

import (
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan/plantest"
)

// TestMermaidParses runs each stack's diagram through the real Mermaid
// parser and renderer (the npm package, in headless Chromium), after
// showing on broken text that the same check does fail.
func TestMermaidParses(t *testing.T) {
	page := newMermaidPage(t)

	t.Run("broken text fails", func(t *testing.T) {
		for _, bad := range []string{
			"flowchart LR\n  a -->|\"unterminated| b\n",
			"flowchart LR\n  a[[\"unclosed\"]\n",
			// What quoting, escaping and kind-prefixed IDs prevent: an
			// unquoted pipe or path, a quote inside a label, a keyword as ID.
			"flowchart LR\n  a -->|p|q| b\n",
			"flowchart LR\n  a[/api/*] --> b\n",
			"flowchart LR\n  a -->|\"x\"\"| b\n",
			"flowchart LR\n  a[\"x\"] --> end\n",
		} {
			if msg := page.parse(t, bad); msg == "" {
				t.Errorf("mermaid.parse accepted broken text:\n%s", bad)
			}
		}
	})

	t.Run("special characters in labels", func(t *testing.T) {
		nasty := "say \"hi\" | a<b> & #1 `x` end\nsubgraph --> ]) }}"
		g := &Graph{
			Stack:  "te\"st\nstack",
			Groups: []Group{{Name: "end", Label: nasty}},
			Nodes: []Node{
				{ID: "actor_x", Kind: KindActor, Label: nasty},
				{ID: "service_end", Kind: KindService, Label: nasty, Group: "end"},
				{ID: "b", Kind: KindBucket, Label: nasty, Group: "end"},
				{ID: "c", Kind: KindLoadBalancer, Label: nasty, Group: "end"},
				{ID: "d", Kind: KindStream, Label: nasty, Group: "end"},
				{ID: "e", Kind: KindFunction, Label: nasty, Group: "end"},
				{ID: "f", Kind: KindCDN, Label: nasty, Group: "end"},
			},
			Edges: []Edge{
				{From: "actor_x", To: "f", Kind: EdgeRequest, Label: nasty},
				{From: "f", To: "c", Kind: EdgeData, Label: "/api/*, /keys"},
				{From: "c", To: "b", Kind: EdgeNetwork, Label: nasty},
				{From: "b", To: "d", Kind: EdgeIAM, Label: nasty},
				{From: "d", To: "e", Kind: EdgeLogs, Label: nasty},
			},
		}
		text := g.Mermaid()
		if msg := page.parse(t, text); msg != "" {
			t.Fatalf("%s\n%s", msg, text)
		}
		svg, failure := page.render(t, "special", text)
		if failure != "" {
			t.Fatalf("render: %s\n%s", failure, text)
		}
		if missing := lacks(svg, "say", "hi", "a&lt;b&gt;", "#1", "/api/*, /keys"); len(missing) > 0 {
			t.Errorf("the rendered SVG lacks %q:\n%s", missing, text)
		}
	})

	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			g := Build(plantest.Run(t, stack))
			text := g.Mermaid()
			if msg := page.parse(t, text); msg != "" {
				t.Fatalf("%s\n%s", msg, text)
			}
			svg, failure := page.render(t, "diagram_"+stack, text)
			if failure != "" {
				t.Fatalf("render: %s", failure)
			}
			if !strings.HasPrefix(svg, "<svg") {
				t.Fatalf("render gave no SVG: %.200s", svg)
			}
			// Every node and group is drawn, and every edge.
			var want []string
			for _, n := range g.Nodes {
				want = append(want, n.Name)
			}
			for _, grp := range g.Groups {
				want = append(want, grp.Label)
			}
			if missing := lacks(svg, want...); len(missing) > 0 {
				t.Errorf("the rendered SVG lacks %q", missing)
			}
			if n := strings.Count(svg, `class="edgeLabel"`); n < len(g.Edges) {
				t.Errorf("the SVG has %d edge labels for %d edges", n, len(g.Edges))
			}
			t.Logf("%s: parsed and rendered %d nodes, %d edges: %d bytes of SVG", stack, len(g.Nodes), len(g.Edges), len(svg))
		})
	}
}
