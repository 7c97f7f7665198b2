package webedge

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// spaCases are paths and what the SPA rewrite makes of them; the Go
// rewrite and the CloudFront Function must agree on every one.
var spaCases = map[string]string{
	"/":                        "/index.html",
	"/index.html":              "/index.html",
	"/counts":                  "/index.html",
	"/counts/42":               "/index.html",
	"/deep/link/":              "/index.html",
	"/v1.2/":                   "/index.html",
	"/static/index-abc123.js":  "/static/index-abc123.js",
	"/static/index-abc123.css": "/static/index-abc123.css",
	"/favicon.svg":             "/favicon.svg",
	"/robots.txt":              "/robots.txt",
	"/release-1.2":             "/release-1.2",
}

func TestRewriteSPA(t *testing.T) {
	for in, want := range spaCases {
		if got := RewriteSPA(in); got != want {
			t.Errorf("RewriteSPA(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestSPARewriteFunctionAgrees runs the CloudFront Function's JavaScript
// under node over the same paths: what CloudFront does is what the local
// edge does.
func TestSPARewriteFunctionAgrees(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is required under CI (apt-get install nodejs)")
		}
		t.Skip("node not installed")
	}
	var paths []string
	for in := range spaCases {
		paths = append(paths, in)
	}
	script := SPARewriteJS + `
var paths = JSON.parse(process.argv[1]);
var out = {};
paths.forEach(function (p) { out[p] = handler({ request: { uri: p, headers: {} } }).uri; });
process.stdout.write(JSON.stringify(out));`
	in, _ := jsonString(paths)
	raw, err := exec.Command(node, "-e", script, in).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, raw)
	}
	got := map[string]string{}
	if err := jsonParse(raw, &got); err != nil {
		t.Fatalf("node output %q: %v", raw, err)
	}
	for in, want := range spaCases {
		if got[in] != want {
			t.Errorf("CloudFront Function: %q -> %q, want %q", in, got[in], want)
		}
	}
}

func TestContentTypeAndCache(t *testing.T) {
	for key, want := range map[string]string{
		"index.html": "text/html; charset=utf-8", "static/index-x.js": "text/javascript; charset=utf-8",
		"static/index-x.css": "text/css; charset=utf-8", "favicon.svg": "image/svg+xml", "LOGO.PNG": "image/png",
	} {
		if got, err := ContentType(key); err != nil || got != want {
			t.Errorf("ContentType(%q) = %q, %v; want %q", key, got, err, want)
		}
	}
	if _, err := ContentType("static/app.wasm"); err == nil || !strings.Contains(err.Error(), "static/app.wasm") || !strings.Contains(err.Error(), ".wasm") {
		t.Errorf("an unknown type must be an error naming the file and extension, got %v", err)
	}
	if got := CacheControl("static/index-x.js"); got != CacheImmutable {
		t.Errorf("hashed file cache %q", got)
	}
	for _, k := range []string{"index.html", "favicon.svg", "staticfile.js"} {
		if got := CacheControl(k); got != CacheRevalidate {
			t.Errorf("CacheControl(%q) = %q, want %q", k, got, CacheRevalidate)
		}
	}
}

func TestHandlerRoutesLikeTheDistribution(t *testing.T) {
	site, assets := t.TempDir(), t.TempDir()
	write(t, site, "index.html", "<!doctype html><title>app</title>")
	write(t, site, "static/index-1.js", "console.log(1)")
	write(t, assets, "logo.svg", "<svg/>")
	var seen *http.Request
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.Clone(r.Context())
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer api.Close()
	u, _ := url.Parse(api.URL)
	h, err := Handler(Options{Site: site, Assets: assets, API: u})
	if err != nil {
		t.Fatal(err)
	}
	edge := httptest.NewServer(h)
	defer edge.Close()

	get := func(p string) *http.Response {
		t.Helper()
		res, err := http.Get(edge.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	for p, want := range map[string]struct {
		status int
		cache  string
		ctype  string
	}{
		"/":                  {200, CacheRevalidate, "text/html; charset=utf-8"},
		"/some/route":        {200, CacheRevalidate, "text/html; charset=utf-8"},
		"/static/index-1.js": {200, CacheImmutable, "text/javascript; charset=utf-8"},
		"/static/missing.js": {403, "", ""},
		"/assets/logo.svg":   {200, CacheRevalidate, "image/svg+xml"},
		"/../etc/passwd":     {400, "", ""}, // never a file outside the site
	} {
		res := get(p)
		if res.StatusCode != want.status {
			t.Errorf("GET %s: status %d, want %d", p, res.StatusCode, want.status)
			continue
		}
		if res.Header.Get("Content-Security-Policy") != ContentSecurityPolicy || res.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: security headers missing: %v", p, res.Header)
		}
		if want.status == 200 && (res.Header.Get("Cache-Control") != want.cache || res.Header.Get("Content-Type") != want.ctype) {
			t.Errorf("GET %s: cache %q type %q, want %q %q", p, res.Header.Get("Cache-Control"), res.Header.Get("Content-Type"), want.cache, want.ctype)
		}
	}

	req, _ := http.NewRequest(http.MethodPost, edge.URL+"/api/count?x=1", strings.NewReader(`{"count":1}`))
	req.Header.Set("Idempotency-Key", "k1")
	req.Header.Set("Origin", edge.URL)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if seen == nil || seen.Method != http.MethodPost || seen.URL.Path != "/api/count" || seen.URL.RawQuery != "x=1" {
		t.Fatalf("the API got %+v, want POST /api/count?x=1", seen)
	}
	if seen.Header.Get("Idempotency-Key") != "k1" || seen.Header.Get("Origin") != edge.URL || seen.Host != strings.TrimPrefix(edge.URL, "http://") {
		t.Errorf("viewer headers not forwarded as AllViewer does: host %q headers %v", seen.Host, seen.Header)
	}
	if res.Header.Get("Strict-Transport-Security") == "" {
		t.Error("the API's answers carry the security headers too")
	}
	post, _ := http.Post(edge.URL+"/index.html", "text/plain", nil)
	if post.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST to the site: %d, want 405", post.StatusCode)
	}
}

func TestHandlerNeedsABuild(t *testing.T) {
	u, _ := url.Parse("http://127.0.0.1:1")
	if _, err := Handler(Options{Site: t.TempDir(), API: u}); err == nil || !strings.Contains(err.Error(), "npm run build") {
		t.Fatalf("want an error telling to build, got %v", err)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
