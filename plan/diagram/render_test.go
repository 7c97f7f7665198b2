package diagram

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan/plantest"
)

// TestRenderDOT draws each stack with Graphviz: an SVG naming every node,
// and an error, not an image, for broken DOT. Without dot it skips
// locally and fails under CI.
func TestRenderDOT(t *testing.T) {
	if _, err := exec.LookPath("dot"); err != nil {
		if _, err := RenderDOT("digraph {}", "svg"); !errors.Is(err, ErrNoDot) {
			t.Errorf("without dot, RenderDOT gave %v, want ErrNoDot", err)
		}
		need(t, "graphviz dot is not installed (apt-get install graphviz)", ".ci/run must install graphviz")
	}
	if _, err := RenderDOT("digraph { a -> ", "svg"); err == nil {
		t.Error("RenderDOT accepted broken DOT")
	}
	if _, err := RenderDOT("digraph {}", "svg -o /tmp/x"); err == nil {
		t.Error("RenderDOT accepted a format with an option in it")
	}
	for _, stack := range plantest.Stacks {
		g := Build(plantest.Run(t, stack))
		svg, err := RenderDOT(g.DOT(), "svg")
		if err != nil {
			t.Fatalf("%s: %v\n%s", stack, err, g.DOT())
		}
		if !bytes.Contains(svg, []byte("<svg")) {
			t.Fatalf("%s: no <svg in %.200s", stack, svg)
		}
		for _, n := range g.Nodes {
			// Graphviz writes a hyphen in text as &#45;.
			if !bytes.Contains(svg, []byte(strings.ReplaceAll(n.Name, "-", "&#45;"))) {
				t.Errorf("%s: the SVG lacks node %s", stack, n.Name)
			}
		}
		if got := bytes.Count(svg, []byte(`class="edge"`)); got != len(g.Edges) {
			t.Errorf("%s: the SVG has %d edges, the graph %d", stack, got, len(g.Edges))
		}
		png, err := RenderDOT(g.DOT(), "png")
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("%s: png: %v (%d bytes)", stack, err, len(png))
		}
	}
}

// TestDOTText: quotes and new lines in labels stay inside DOT strings,
// and each edge is one statement between declared nodes.
func TestDOTText(t *testing.T) {
	g := &Graph{Stack: "x", Groups: []Group{{Name: "g", Label: `a "b" \ c`}},
		Nodes: []Node{{ID: "n1", Kind: KindService, Label: "one\n\"two\"", Group: "g"}, {ID: "n2", Kind: KindActor, Label: "ok"}},
		Edges: []Edge{{From: "n2", To: "n1", Kind: EdgeRequest, Label: `p "q"`}}}
	dot := g.DOT()
	for _, want := range []string{`label="a \"b\" \\ c"`, `n1 [label="one\n\"two\"", shape=box]`, `n2 -> n1 [label="p \"q\"", style=solid]`} {
		if !strings.Contains(dot, want) {
			t.Errorf("DOT lacks %s:\n%s", want, dot)
		}
	}
}

// TestWriters: the markdown is one fenced mermaid block holding the
// diagram; the text lists every edge.
func TestWriters(t *testing.T) {
	g := Build(plantest.Run(t, "prod"))
	var md, text bytes.Buffer
	g.WriteMarkdown(&md)
	if !strings.Contains(md.String(), "```mermaid\n"+g.Mermaid()+"```\n") || strings.Count(md.String(), "```") != 2 {
		t.Errorf("markdown is not one mermaid block:\n%s", md.String())
	}
	g.WriteText(&text)
	lines := strings.Split(strings.TrimSpace(text.String()), "\n")
	if len(lines) != len(g.Edges)+2 {
		t.Errorf("text has %d lines for %d edges:\n%s", len(lines), len(g.Edges), text.String())
	}
	if !strings.Contains(text.String(), "push-autoendpoint") || !strings.Contains(lines[0], "edges") {
		t.Errorf("text:\n%s", text.String())
	}
}
