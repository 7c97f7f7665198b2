package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

type fixture struct {
	srv    *httptest.Server
	h      *handler
	db     *sql.DB
	stream string
}

// newFixture runs the handler against a real Redis (TLS + AUTH, as in AWS)
// and a real MariaDB.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	r := testservers.StartRedis(t, testservers.RedisOptions{Password: "test-auth-token-0123456789", TLS: true})
	m := testservers.StartMariaDB(t)
	dbName := m.CreateDatabase(t, "pushplatform")
	rdb, err := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port, Password: r.Password, TLSConfig: r.TLS})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	db, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: dbName})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := store.CreateSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	cors, err := parseCORS("https://app.example, http://localhost:3000")
	if err != nil {
		t.Fatal(err)
	}
	batcher := queue.NewBatcher(rdb, "counts", queue.BatcherOptions{MaxBatch: 128})
	h := &handler{rdb: rdb, enqueuer: batcher, db: db, hostname: "test-host", cors: cors, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); batcher.Close() })
	return &fixture{srv: srv, h: h, db: db, stream: "counts"}
}

// do sends a request; a POST is JSON unless header sets Content-Type
// ("-" sends none).
func (f *fixture) do(t *testing.T, method, path, body string, header ...string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
		if header[i+1] == "-" {
			req.Header.Del(header[i])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("%s %s: body %q is not JSON", method, path, raw)
		}
	}
	return resp.StatusCode, m, resp.Header
}

func (f *fixture) queued(t *testing.T) int64 {
	n, err := f.h.rdb.XLen(context.Background(), f.stream).Result()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEndpoints(t *testing.T) {
	f := newFixture(t)

	if code, body, _ := f.do(t, "GET", "/", ""); code != 200 || body != nil {
		t.Errorf("GET / = %d %v, want 200 and an empty body", code, body)
	}
	// The seed's literals, which monitors and scripts match on.
	code, body, _ := f.do(t, "GET", "/health", "")
	if code != 200 || body["status"] != "healthy" || body["message"] != "application is running without issues" || body["hostname"] != "test-host" {
		t.Errorf("GET /health = %d %v, want the seed's answer", code, body)
	}
	code, body, _ = f.do(t, "GET", "/count", "")
	if code != 200 || body["rows_count"] != float64(0) || body["latest_value"] != float64(0) || body["hostname"] != "test-host" {
		t.Errorf("GET /count on an empty table = %d %v", code, body)
	}
	code, body, _ = f.do(t, "POST", "/count", `{"count": 42}`)
	if code != 201 || body["value"] != float64(42) || body["message"] != "Value added to Redis queue" {
		t.Errorf("POST /count = %d %v, want the seed's answer", code, body)
	}
	if n := f.queued(t); n != 1 {
		t.Fatalf("%d entries queued, want 1", n)
	}
	// The same API under /api, the CloudFront route.
	if code, _, _ = f.do(t, "POST", "/api/count", `{"count": -7}`); code != 201 {
		t.Errorf("POST /api/count = %d", code)
	}
	// Rows written by a consumer show up in GET /count.
	if _, err := store.InsertBatch(context.Background(), f.db, []store.Row{{MsgID: "1-0", Value: 5}, {MsgID: "2-0", Value: 9}}); err != nil {
		t.Fatal(err)
	}
	code, body, _ = f.do(t, "GET", "/api/count", "")
	if code != 200 || body["rows_count"] != float64(2) || body["latest_value"] != float64(9) {
		t.Errorf("GET /count = %d %v, want 2 rows, latest 9", code, body)
	}
}

func TestBadRequestsEnqueueNothing(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name, method, path, body string
		code                     int
		mentions                 string
	}{
		{"malformed JSON", "POST", "/count", `{"count": `, 400, "malformed JSON"},
		{"not JSON at all", "POST", "/count", `count=3`, 400, "malformed JSON"},
		{"array", "POST", "/count", `[1]`, 400, "JSON array, not an object"},
		{"bare number", "POST", "/count", `3`, 400, "JSON number, not an object"},
		{"null body", "POST", "/count", `null`, 400, "JSON null, not an object"},
		{"missing field", "POST", "/count", `{"value": 3}`, 400, `unknown field "value"`},
		{"empty object", "POST", "/count", `{}`, 400, `missing field "count"`},
		{"string count", "POST", "/count", `{"count": "3"}`, 400, "not a number"},
		{"boolean count", "POST", "/count", `{"count": true}`, 400, "not a number"},
		{"object count", "POST", "/count", `{"count": {"n": 1}}`, 400, "not a number"},
		{"fractional count", "POST", "/count", `{"count": 1.5}`, 400, "not an integer"},
		{"exponent count", "POST", "/count", `{"count": 1e3}`, 400, "not an integer"},
		{"null count", "POST", "/count", `{"count": null}`, 400, "not a number"},
		{"above int32", "POST", "/count", `{"count": 2147483648}`, 400, "out of range"},
		{"below int32", "POST", "/count", `{"count": -2147483649}`, 400, "out of range"},
		{"beyond int64", "POST", "/count", `{"count": 99999999999999999999}`, 400, "out of range"},
		{"extra field", "POST", "/count", `{"count": 1, "x": 2}`, 400, `unknown field "x"`},
		{"repeated field", "POST", "/count", `{"count": 1, "count": 2}`, 400, "appears twice"},
		{"trailing object", "POST", "/count", `{"count": 1} {"count": 2}`, 400, "after the JSON object"},
		{"trailing junk", "POST", "/count", `{"count": 1}xyz`, 400, "after the JSON object"},
		{"empty body", "POST", "/count", ``, 400, "empty body"},
		{"oversized body", "POST", "/count", `{"count": 1, "pad": "` + strings.Repeat("x", 2000) + `"}`, 413, "larger than 1024 bytes"},
		{"wrong method on /count", "DELETE", "/count", ``, 405, "allowed: GET, HEAD, POST"},
		{"PUT on /count", "PUT", "/count", `{"count": 1}`, 405, "method PUT is not allowed"},
		{"POST on /health", "POST", "/health", `{}`, 405, "allowed: GET, HEAD"},
		{"form body (plain curl -d)", "POST", "/count", `{"count": 1}`, 415, "application/json"},
		{"text/plain", "POST", "/count", `{"count": 1}`, 415, "application/json"},
		{"no content type", "POST", "/count", `{"count": 1}`, 415, "no Content-Type"},
		{"empty idempotency key", "POST", "/count", `{"count": 1}`, 400, "Idempotency-Key must be 1 to 128 printable ASCII characters"},
		{"long idempotency key", "POST", "/count", `{"count": 1}`, 400, "got 129 characters"},
		{"control character in the key", "POST", "/count", `{"count": 1}`, 400, "byte 0x09"},
		{"POST on /", "POST", "/", `{"count": 1}`, 405, "allowed: GET, HEAD"},
		{"unknown path", "GET", "/counts", ``, 404, "no such path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			header := []string{"Content-Type", "application/json"}
			switch c.name {
			case "form body (plain curl -d)":
				header = []string{"Content-Type", "application/x-www-form-urlencoded"}
			case "text/plain":
				header = []string{"Content-Type", "text/plain; charset=utf-8"}
			case "no content type":
				header = []string{"Content-Type", "-"}
			case "empty idempotency key":
				header = append(header, "Idempotency-Key", "")
			case "long idempotency key":
				header = append(header, "Idempotency-Key", strings.Repeat("k", 129))
			case "control character in the key":
				header = append(header, "Idempotency-Key", "a\tb")
			}
			code, body, hdr := f.do(t, c.method, c.path, c.body, header...)
			msg, _ := body["error"].(string)
			if code != c.code || !strings.Contains(msg, c.mentions) {
				t.Errorf("%s %s %q = %d %v; want %d mentioning %q", c.method, c.path, c.body, code, body, c.code, c.mentions)
			}
			if code == 400 && !strings.Contains(msg, "Idempotency-Key") && !strings.Contains(msg, `want a JSON object {"count": <integer`) {
				t.Errorf("400 %q does not say what is allowed", msg)
			}
			if code == 405 && hdr.Get("Allow") == "" {
				t.Errorf("405 without an Allow header")
			}
		})
	}
	if n := f.queued(t); n != 0 {
		t.Fatalf("%d entries queued by bad requests", n)
	}
	// The limits themselves are accepted.
	for _, v := range []string{"2147483647", "-2147483648", "0"} {
		if code, body, _ := f.do(t, "POST", "/count", `{"count":`+v+`}`); code != 201 || fmt.Sprint(body["value"]) != fmt.Sprint(mustFloat(v)) {
			t.Errorf("POST %s = %d %v", v, code, body)
		}
	}
	if n := f.queued(t); n != 3 {
		t.Fatalf("%d entries queued, want 3", n)
	}
}

func mustFloat(s string) float64 {
	var f float64
	_, _ = fmt.Sscan(s, &f)
	return f
}

func TestCORS(t *testing.T) {
	f := newFixture(t)
	code, _, hdr := f.do(t, "OPTIONS", "/count", "", "Origin", "https://app.example", "Access-Control-Request-Method", "POST")
	if code != 204 || hdr.Get("Access-Control-Allow-Origin") != "https://app.example" || !strings.Contains(hdr.Get("Access-Control-Allow-Methods"), "POST") ||
		hdr.Get("Access-Control-Allow-Headers") != "Content-Type, Idempotency-Key" {
		t.Errorf("preflight from an allowed origin = %d %v", code, hdr)
	}
	code, body, hdr := f.do(t, "OPTIONS", "/count", "", "Origin", "https://evil.example")
	if msg, _ := body["error"].(string); code != 403 || hdr.Get("Access-Control-Allow-Origin") != "" || !strings.Contains(msg, `"https://evil.example" is not allowed`) {
		t.Errorf("preflight from another origin = %d %v %v", code, body, hdr)
	}
	if code, _, _ := f.do(t, "OPTIONS", "/nope", "", "Origin", "https://app.example"); code != 404 {
		t.Errorf("preflight on an unknown path = %d, want 404", code)
	}
	if _, _, hdr := f.do(t, "GET", "/count", "", "Origin", "http://localhost:3000"); hdr.Get("Access-Control-Allow-Origin") != "http://localhost:3000" || hdr.Get("Vary") != "Origin" {
		t.Errorf("GET from the second allowed origin: %v", hdr)
	}
	// A refused origin is refused on every method, not only on the
	// preflight: a form POST needs no preflight.
	for _, method := range []string{"GET", "HEAD", "POST"} {
		code, _, hdr := f.do(t, method, "/count", `{"count": 1}`, "Origin", "https://evil.example", "Content-Type", "application/json")
		if code != 403 || hdr.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s from a refused origin = %d %v, want 403", method, code, hdr)
		}
	}
	if n := f.queued(t); n != 0 {
		t.Fatalf("a refused origin enqueued %d counts", n)
	}
	if code, _, _ := f.do(t, "POST", "/count", `{"count": 1}`, "Origin", "https://app.example"); code != 201 {
		t.Errorf("POST from an allowed origin = %d", code)
	}
}

// HEAD answers on the GET routes as Flask does: the GET's status and
// headers, no body.
func TestHead(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/", "/health", "/count", "/api/count"} {
		req, _ := http.NewRequest(http.MethodHead, f.srv.URL+path, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(b) != 0 {
			t.Errorf("HEAD %s = %d with %d body bytes", path, resp.StatusCode, len(b))
		}
		if path != "/" && resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("HEAD %s Content-Type = %q", path, resp.Header.Get("Content-Type"))
		}
	}
}

func TestParseCORS(t *testing.T) {
	if p, err := parseCORS("*"); err != nil || !p.any {
		t.Errorf("* = %v %v", p, err)
	}
	if p, err := parseCORS("https://A.example:8443"); err != nil || !p.apply(http.Header{}, "https://a.example:8443") {
		t.Errorf("one origin = %v %v", p, err)
	}
	for _, bad := range []string{"", "app.example", "https://app.example/path", "ftp://x", "https://ok.example,,"} {
		if _, err := parseCORS(bad); err == nil || !strings.Contains(err.Error(), "CORS_ALLOW_ORIGIN") {
			t.Errorf("parseCORS(%q) = %v, want an error naming the setting", bad, err)
		}
	}
}

// TestHealthReportsAnUnreachableDependency: with MySQL's pool closed and
// then Redis's, /health turns 503 "degraded", keeps its three fields, and
// names the dependency without its address.
func TestHealthReportsAnUnreachableDependency(t *testing.T) {
	f := newFixture(t)
	f.db.Close()
	code, body, _ := f.do(t, "GET", "/health", "")
	msg, _ := body["message"].(string)
	if code != 503 || body["status"] != "degraded" || !strings.Contains(msg, "mysql unreachable") || strings.Contains(msg, "redis") || body["hostname"] != "test-host" || len(body) != 3 {
		t.Errorf("GET /health with MySQL gone = %d %v", code, body)
	}
	if code, body, _ := f.do(t, "GET", "/count", ""); code != 503 || body["error"] == nil {
		t.Errorf("GET /count with MySQL gone = %d %v", code, body)
	}
	f.h.rdb.Close()
	code, body, _ = f.do(t, "GET", "/health", "")
	msg, _ = body["message"].(string)
	if code != 503 || !strings.Contains(msg, "redis unreachable") || !strings.Contains(msg, "mysql unreachable") || strings.Contains(msg, "127.0.0.1") {
		t.Errorf("GET /health with both gone = %d %v", code, body)
	}
	if code, body, _ := f.do(t, "POST", "/count", `{"count": 1}`); code != 503 || body["error"] == nil {
		t.Errorf("POST /count with Redis gone = %d %v", code, body)
	}
}

// TestHealthTimesOut: a Redis that accepts connections but never answers
// (stopped with SIGSTOP) makes /health answer 503 within about a second.
func TestHealthTimesOut(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	m := testservers.StartMariaDB(t)
	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port})
	defer rdb.Close()
	db, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := &handler{rdb: rdb, db: db, hostname: "h", cors: corsPolicy{any: true}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	r.Stop(t)
	rec := httptest.NewRecorder()
	start := time.Now()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/health", nil))
	took := time.Since(start)
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "redis unreachable (no answer within 1s)") || took > 2*time.Second {
		t.Errorf("GET /health with a hung Redis = %d %s after %s", rec.Code, rec.Body, took)
	}

	// A Redis that is gone refuses the connection: the message says so,
	// not "no answer", so an operator looks for a dead node, not a slow one.
	r.Continue(t)
	r.Kill(t)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/health", nil))
	if rec.Code != 503 || !strings.Contains(rec.Body.String(), "redis unreachable (connection refused)") || strings.Contains(rec.Body.String(), "127.0.0.1") {
		t.Errorf("GET /health with Redis killed = %d %s", rec.Code, rec.Body)
	}
}
