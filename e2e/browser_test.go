package e2e

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
	"github.com/pushplatform/pushplatform/internal/webedge"
)

// TestBrowser opens the app in headless Chromium through the local edge
// (the site with the distribution's CSP and headers, /api/* to the real
// producer), clicks "Add the current time" and waits for the consumer's
// row to show, with no console error on the way.
func TestBrowser(t *testing.T) {
	site := buildSite(t)
	origin, serve := listen(t)
	api := startApps(t, origin)
	edge, err := webedge.Handler(webedge.Options{Site: site, API: api})
	if err != nil {
		t.Fatal(err)
	}
	serve(edge)

	b := newBrowser(t)
	var before, after, latest, host, notice string
	rows := `[data-testid=rows]`
	if err := chromedp.Do(b.ctx,
		chromedp.Navigate(origin+"/"),
		waitNumber(rows, &before),
		waitNotPlaceholder(`[data-testid=host]`, &host),
	); err != nil {
		t.Fatalf("load the page: %v (console: %v)", err, b.errors())
	}
	n0, _ := strconv.Atoi(before)
	clicked := time.Now().Unix()
	if err := chromedp.Do(b.ctx,
		chromedp.Click(chromedp.CSS(`[data-testid=add]`)),
		waitAbove(rows, n0, &after),
		waitNumber(`[data-testid=latest]`, &latest),
		waitText(`[data-testid=notice]`, "Added", &notice),
	); err != nil {
		t.Fatalf("add a count: %v (console: %v)", err, b.errors())
	}
	value, _ := strconv.ParseInt(latest, 10, 64)
	if value < clicked-5 || value > time.Now().Unix()+5 {
		t.Errorf("latest value %q, want the Unix time of the click (%d)", latest, clicked)
	}
	if host == "" || host == "…" {
		t.Errorf("the page shows no serving host: %q", host)
	}
	shot := b.screenshot(t, "frontend.png")
	t.Logf("page: rows %s -> %s, latest value %s, served by %q, notice %q; screenshot %s", before, after, latest, host, notice, shot)

	// A deep link loads the app (the SPA rewrite), still with no error.
	var deep string
	if err := chromedp.Do(b.ctx, chromedp.Navigate(origin+"/counts/history"), waitNumber(rows, &deep)); err != nil {
		t.Fatalf("deep link: %v", err)
	}
	if errs := b.errors(); len(errs) > 0 {
		t.Fatalf("console errors: %v", errs)
	}

	// The listener does catch what the CSP refuses: an inline script.
	if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[chromedp.Void](`(() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.appendChild(s) })()`)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(b.errors()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if errs := b.errors(); len(errs) == 0 || !strings.Contains(strings.Join(errs, " "), "Content Security Policy") {
		t.Errorf("an inline script ran or its CSP violation was not seen: %v", errs)
	}
}

// TestBrowserErrorStates: the page names an API that does not answer and
// an answer it cannot read, instead of showing stale or empty numbers.
func TestBrowserErrorStates(t *testing.T) {
	site := buildSite(t)
	dead, _ := url.Parse(fmt.Sprintf("http://127.0.0.1:%d", testservers.FreePort(t)))
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, "<html>maintenance</html>")
	}))
	t.Cleanup(html.Close)
	htmlURL, _ := url.Parse(html.URL)
	b := newBrowser(t)
	for _, c := range []struct {
		name string
		api  *url.URL
		want string
	}{
		{"api down", dead, "API down: The API is unavailable (HTTP 502"},
		{"bad response", htmlURL, "Bad response: The API answered HTTP 200 with something that is not JSON."},
	} {
		origin, serve := listen(t)
		h, err := webedge.Handler(webedge.Options{Site: site, API: c.api})
		if err != nil {
			t.Fatal(err)
		}
		serve(h)
		var shown string
		if err := chromedp.Do(b.ctx, chromedp.Navigate(origin+"/"), waitText(`[data-testid=error]`, c.want, &shown)); err != nil {
			t.Errorf("%s: %v (shown %q)", c.name, err, shown)
		}
	}
}

// buildSite runs npm ci and npm run build, once per test binary, into a
// temp directory TestMain removes.
func buildSite(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("npm"); err != nil {
		need(t, "npm (apt-get install npm)")
	}
	site.once.Do(func() {
		site.dist = filepath.Join(buildDir, "dist")
		for _, args := range [][]string{{"ci", "--no-audit", "--no-fund"}, {"run", "build", "--", "--outDir", site.dist, "--emptyOutDir"}} {
			cmd := exec.Command("npm", args...)
			cmd.Dir = "../frontend"
			if out, err := cmd.CombinedOutput(); err != nil {
				site.err = fmt.Errorf("npm %s: %v\n%s", strings.Join(args, " "), err, out)
				return
			}
		}
	})
	if site.err != nil {
		t.Fatal(site.err)
	}
	return site.dist
}

var (
	buildDir string
	site     struct {
		once sync.Once
		dist string
		err  error
	}
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pushplatform-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	buildDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// listen reserves the edge's origin before the producer starts (the
// producer admits exactly that origin) and serves a handler on it.
func listen(t *testing.T) (string, func(http.Handler)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String(), func(h http.Handler) {
		srv.Handler = h
		go srv.Serve(ln)
	}
}

// startApps runs the real producer and consumer binaries on real Redis
// and MariaDB, the producer admitting only the edge's origin.
func startApps(t *testing.T, origin string) *url.URL {
	t.Helper()
	r := testservers.StartRedis(t, testservers.RedisOptions{Password: "e2e-redis-token-0123456789"})
	m := testservers.StartMariaDB(t)
	dbName := m.CreateDatabase(t, "pushplatform")
	db, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: dbName})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.CreateSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	port := testservers.FreePort(t)
	env := append(os.Environ(),
		"REDIS_HOST=127.0.0.1", "REDIS_PORT="+strconv.Itoa(r.Port), "REDIS_PASSWORD="+r.Password, "REDIS_QUEUE=counts",
		"DB_HOST=127.0.0.1", "DB_PORT="+strconv.Itoa(m.Port), "DB_USER=root", "DB_NAME="+dbName,
	)
	run(t, "producer", append(env, "HTTP_HOST=127.0.0.1", "HTTP_PORT="+strconv.Itoa(port), "CORS_ALLOW_ORIGIN="+origin))
	run(t, "consumer", append(env, "CONSUMER_BLOCK_MS=100", "CONSUMER_HEALTH_PORT="+strconv.Itoa(testservers.FreePort(t))))
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(20 * time.Second)
	for {
		res, err := http.Get(base + "/health")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the producer did not become healthy: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	u, _ := url.Parse(base)
	return u
}

// run builds cmd/<app> and runs it until the test ends, its output in
// the test's temp dir.
func run(t *testing.T, app string, env []string) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), app)
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/"+app).CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", app, err, out)
	}
	logs, err := os.Create(filepath.Join(t.TempDir(), app+".log"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env, cmd.Stdout, cmd.Stderr = env, logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		logs.Close()
	})
}

// browser is headless Chromium with every console error, uncaught
// exception and browser-reported error (CSP violations, failed loads)
// collected.
type browser struct {
	ctx  context.Context
	mu   sync.Mutex
	errs []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := ""
	for _, bin := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(bin); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		need(t, "chromium (apt-get install chromium)")
	}
	// As root and on a closed network: no sandbox, and none of Chromium's
	// own connections (updates, QUIC probes), which the network refuses.
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true), chromedp.WindowSize(900, 700))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &browser{ctx: ctx}
	// The first Run starts the browser, under the test's whole timeout.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`1`)); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		var msg string
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, strings.Trim(string(a.Value), `"`)+a.Description)
				}
				msg = "console.error: " + strings.Join(parts, " ")
			}
		case *runtime.EventExceptionThrown:
			msg = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				msg = fmt.Sprintf("%s: %s (%s)", e.Entry.Source, e.Entry.Text, e.Entry.URL)
			}
		}
		if msg != "" {
			b.mu.Lock()
			b.errs = append(b.errs, msg)
			b.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return b
}

func (b *browser) errors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.errs...)
}

// screenshot saves the page as a PNG under the test's temp dir (and, when
// E2E_SCREENSHOT_DIR is set, there too, to keep it) and returns its path.
func (b *browser) screenshot(t *testing.T, name string) string {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // 100: PNG, lossless
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("E2E_SCREENSHOT_DIR"); dir != "" {
		keep := filepath.Join(dir, name)
		if err := os.WriteFile(keep, png, 0o644); err != nil {
			t.Fatal(err)
		}
		path += " (kept as " + keep + ")"
	}
	return path
}

// waitNotPlaceholder waits until the element shows something other than
// the page's "…" placeholder.
func waitNotPlaceholder(sel string, out *string) chromedp.Action[chromedp.Void] {
	return poll(sel, out, "a value", func(s string) bool { return s != "" && s != "…" })
}

// waitNumber waits until the element shows a number.
func waitNumber(sel string, out *string) chromedp.Action[chromedp.Void] {
	return poll(sel, out, "a number", func(s string) bool { _, err := strconv.Atoi(s); return err == nil })
}

// waitAbove waits until the element shows a number above n.
func waitAbove(sel string, n int, out *string) chromedp.Action[chromedp.Void] {
	return poll(sel, out, fmt.Sprintf("a number above %d", n), func(s string) bool { v, err := strconv.Atoi(s); return err == nil && v > n })
}

// waitText waits until the element's text contains want.
func waitText(sel, want string, out *string) chromedp.Action[chromedp.Void] {
	return poll(sel, out, fmt.Sprintf("%q", want), func(s string) bool { return strings.Contains(s, want) })
}

func poll(sel string, out *string, what string, ok func(string) bool) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, _ *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
			*out = strings.TrimSpace(text)
			if err == nil && ok(*out) {
				return chromedp.Void{}, nil
			}
			if time.Now().After(deadline) {
				return chromedp.Void{}, fmt.Errorf("%s shows %q after 20 s, want %s (err %v)", sel, *out, what, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// need skips locally and fails under CI, like the server tests.
func need(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is required under CI", what)
	}
	t.Skipf("%s is not installed", what)
}
