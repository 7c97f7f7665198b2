package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
	if _, err := db.Exec(store.Schema); err != nil {
		t.Fatal(err)
	}
	h := &handler{rdb: rdb, enqueuer: queue.NewBatcher(rdb, "counts", 128), db: db, stream: "counts", hostname: "test-host", allowOrigin: "https://app.example", log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, h: h, db: db, stream: "counts"}
}

func (f *fixture) do(t *testing.T, method, path, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
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
	code, body, _ := f.do(t, "GET", "/health", "")
	if code != 200 || body["status"] != "ok" || body["hostname"] != "test-host" || body["message"] == nil {
		t.Errorf("GET /health = %d %v", code, body)
	}
	code, body, _ = f.do(t, "GET", "/count", "")
	if code != 200 || body["rows_count"] != float64(0) || body["latest_value"] != float64(0) || body["hostname"] != "test-host" {
		t.Errorf("GET /count on an empty table = %d %v", code, body)
	}
	code, body, _ = f.do(t, "POST", "/count", `{"count": 42}`)
	if code != 201 || body["value"] != float64(42) || body["message"] == nil {
		t.Errorf("POST /count = %d %v", code, body)
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
		{"not an object", "POST", "/count", `[1]`, 400, "malformed JSON"},
		{"missing field", "POST", "/count", `{"value": 3}`, 400, `missing field "count"`},
		{"string count", "POST", "/count", `{"count": "3"}`, 400, "not a number"},
		{"fractional count", "POST", "/count", `{"count": 1.5}`, 400, "not an integer"},
		{"exponent count", "POST", "/count", `{"count": 1e3}`, 400, "not an integer"},
		{"null count", "POST", "/count", `{"count": null}`, 400, "not a number"},
		{"out of range", "POST", "/count", `{"count": 3000000000}`, 400, "out of range"},
		{"extra field", "POST", "/count", `{"count": 1, "x": 2}`, 400, `unknown field "x"`},
		{"trailing junk", "POST", "/count", `{"count": 1} {"count": 2}`, 400, "after the JSON object"},
		{"empty body", "POST", "/count", ``, 400, "malformed JSON"},
		{"oversized body", "POST", "/count", `{"count": 1, "pad": "` + strings.Repeat("x", 2000) + `"}`, 413, "larger than"},
		{"wrong method", "DELETE", "/count", ``, 405, "allowed: GET, POST"},
		{"POST health", "POST", "/health", `{}`, 405, "allowed: GET"},
		{"unknown path", "GET", "/counts", ``, 404, "no such path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body, _ := f.do(t, c.method, c.path, c.body)
			msg, _ := body["error"].(string)
			if code != c.code || !strings.Contains(msg, c.mentions) {
				t.Errorf("%s %s %q = %d %v; want %d mentioning %q", c.method, c.path, c.body, code, body, c.code, c.mentions)
			}
		})
	}
	if n := f.queued(t); n != 0 {
		t.Fatalf("%d entries queued by bad requests", n)
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t)
	code, _, hdr := f.do(t, "OPTIONS", "/count", "")
	if code != 204 || hdr.Get("Access-Control-Allow-Origin") != "https://app.example" || !strings.Contains(hdr.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight = %d %v", code, hdr)
	}
	if _, _, hdr := f.do(t, "GET", "/count", ""); hdr.Get("Access-Control-Allow-Origin") != "https://app.example" {
		t.Errorf("GET lacks the CORS header: %v", hdr)
	}
}

// TestHealthReportsAnUnreachableDependency stops MySQL's connections by
// closing the pool: /health must turn 503 "degraded" and keep its fields.
func TestHealthReportsAnUnreachableDependency(t *testing.T) {
	f := newFixture(t)
	f.db.Close()
	code, body, _ := f.do(t, "GET", "/health", "")
	msg, _ := body["message"].(string)
	if code != 503 || body["status"] != "degraded" || !strings.Contains(msg, "mysql") || body["hostname"] != "test-host" {
		t.Errorf("GET /health with MySQL gone = %d %v", code, body)
	}
	if code, body, _ := f.do(t, "GET", "/count", ""); code != 503 || body["error"] == nil {
		t.Errorf("GET /count with MySQL gone = %d %v", code, body)
	}
}
