package diagram

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// mermaidPage is headless Chromium with the real Mermaid library (from
// testtools/node_modules, installed by npm ci) loaded in a file:// page.
type mermaidPage struct {
	ctx context.Context
}

// newMermaidPage starts Chromium on the page. Without Chromium or the
// npm package it skips locally and fails under CI.
func newMermaidPage(t *testing.T) *mermaidPage {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		need(t, "chromium is not installed (apt-get install chromium)", ".ci/run installs it")
	}
	lib := filepath.Join(moduleRoot(t), "testtools", "node_modules", "mermaid", "dist", "mermaid.min.js")
	if _, err := os.Stat(lib); err != nil {
		need(t, lib+" is missing: run npm ci in testtools/", ".ci/run runs npm ci in testtools/")
	}
	page := filepath.Join(t.TempDir(), "mermaid.html")
	html := fmt.Sprintf(`<!doctype html><html><head><meta charset="utf-8"><script src="file://%s"></script></head>
<body><script>mermaid.initialize({startOnLoad: false, securityLevel: "strict"}); window.ready = true;</script></body></html>`, lib)
	if err := os.WriteFile(page, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	// As root and offline: no sandbox, none of Chromium's own connections.
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+page)); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	ready, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.ready === true && typeof mermaid.parse === "function"`))
	if err != nil || !ready {
		t.Fatalf("load mermaid in %s: ready %v, %v", bin, ready, err)
	}
	return &mermaidPage{ctx: ctx}
}

// parse runs mermaid.parse and returns its error message, "" when the
// text parses.
func (p *mermaidPage) parse(t *testing.T, text string) string {
	t.Helper()
	arg, _ := json.Marshal(text)
	msg, err := chromedp.Run(p.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(async () => {
		try { await mermaid.parse(%s); return ""; } catch (e) { return "mermaid: " + String((e && e.message) || e); }
	})()`, arg), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate mermaid.parse: %v", err)
	}
	return msg
}

// render runs mermaid.render and returns the SVG, or the error message.
func (p *mermaidPage) render(t *testing.T, id, text string) (svg, failure string) {
	t.Helper()
	arg, _ := json.Marshal(text)
	out, err := chromedp.Run(p.ctx, chromedp.Evaluate[[2]string](fmt.Sprintf(`(async () => {
		try { const r = await mermaid.render(%q, %s); return [r.svg, ""]; } catch (e) { return ["", String((e && e.message) || e)]; }
	})()`, id, arg), chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate mermaid.render: %v", err)
	}
	return out[0], out[1]
}

// need skips locally and fails under CI, which must never pass by
// skipping.
func need(t *testing.T, why, ci string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s; CI must have it (%s)", why, ci)
	}
	t.Skip(why)
}

// moduleRoot is the directory holding go.mod, above the test's package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test")
		}
		dir = parent
	}
}

// lacks lists the wanted strings s does not contain.
func lacks(s string, want ...string) []string {
	var out []string
	for _, w := range want {
		if !strings.Contains(s, w) {
			out = append(out, w)
		}
	}
	return out
}
