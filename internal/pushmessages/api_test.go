package pushmessages

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/pushlog"
	pp "github.com/pushplatform/pushplatform/internal/pushprocessor"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const (
	token = "test-token-0123456789abcdef"
	keyA  = "BOrXhU1dwFMCeoIYtbSXHTDoEXSQBj3cJ0lFyG9e_6kKkqbZiPkpFKQ9SlBgj3TnxfWKN8TAmrkLKsAUDeHs3WQ"
	table = "push-messages"
)

type fixture struct {
	srv  *httptest.Server
	rdb  *redis.Client
	proc *pp.Processor
}

func newFixture(t *testing.T) *fixture {
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr})
	t.Cleanup(func() { rdb.Close() })
	db := testservers.StartDynamo(t)
	db.CreateTable(t, table, pp.AttrKey, pp.AttrSortKey)
	srv := httptest.NewServer(&API{Redis: rdb, DB: db.Client, Table: table, Token: token, Version: "test"})
	t.Cleanup(srv.Close)
	return &fixture{srv: srv, rdb: rdb, proc: &pp.Processor{Redis: rdb, DB: db.Client, Table: table}}
}

func (f *fixture) do(t *testing.T, method, path, body string, auth bool) (int, map[string]any, http.Header) {
	req, _ := http.NewRequest(method, f.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return res.StatusCode, m, res.Header
}

func gz(lines ...[]byte) io.Reader {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	for _, l := range lines {
		w.Write(l)
	}
	w.Close()
	return &b
}

// TestKeysAndMessages walks upstream's contract: register, list, read
// messages (204 before any, 200 after processing), fall back to the table
// when the cache lost them, delete, 404 after.
func TestKeysAndMessages(t *testing.T) {
	f := newFixture(t)
	if code, _, _ := f.do(t, "GET", "/messages/"+keyA, "", true); code != 404 {
		t.Fatalf("unregistered key: %d", code)
	}
	code, body, h := f.do(t, "POST", "/keys", `{"public-key":"`+keyA+`"}`, true)
	if code != 201 || h.Get("Location") != "/keys/"+keyA || body["public-key"] != keyA {
		t.Fatalf("register: %d %v %v", code, body, h)
	}
	code, body, _ = f.do(t, "GET", "/keys", "", true)
	if keys, _ := body["keys"].([]any); code != 200 || len(keys) != 1 || keys[0].(map[string]any)["public-key"] != keyA {
		t.Fatalf("keys: %d %v", code, body)
	}
	if code, _, _ := f.do(t, "GET", "/messages/"+keyA, "", true); code != 204 {
		t.Fatalf("no messages yet: %d", code)
	}
	now := time.Now().UnixMilli()
	if _, err := f.proc.Process(context.Background(), gz(
		pushlog.Record{Timestamp: now, VAPIDKey: keyA, MessageID: "m1", Size: 10, TTL: 60, Status: 201}.Marshal(),
		pushlog.Record{Timestamp: now + 1, VAPIDKey: keyA, MessageID: "m2", Size: 20, TTL: 0, Status: 201}.Marshal(),
	)); err != nil {
		t.Fatal(err)
	}
	code, body, _ = f.do(t, "GET", "/messages/"+keyA, "", true)
	msgs, _ := body["messages"].([]any)
	if code != 200 || len(msgs) != 2 || msgs[0].(map[string]any)["id"] != "m2" || msgs[0].(map[string]any)["size"] != float64(20) {
		t.Fatalf("messages: %d %v", code, body)
	}
	// The cache loses the list: the table answers.
	f.rdb.Del(context.Background(), keyA)
	code, body, _ = f.do(t, "GET", "/messages/"+keyA, "", true)
	msgs, _ = body["messages"].([]any)
	if code != 200 || len(msgs) != 2 || msgs[0].(map[string]any)["id"] != "m2" || msgs[1].(map[string]any)["ttl"] != float64(60) {
		t.Fatalf("messages from the table: %d %v", code, body)
	}
	if code, _, _ := f.do(t, "DELETE", "/keys/"+keyA, "", true); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if code, _, _ := f.do(t, "DELETE", "/keys/"+keyA, "", true); code != 404 {
		t.Fatalf("delete again: %d", code)
	}
	if code, _, _ := f.do(t, "GET", "/messages/"+keyA, "", true); code != 404 {
		t.Fatalf("after delete: %d", code)
	}
}

// TestAuthAndValidation: every endpoint but health needs the token; bad
// keys and bodies get 400/415 saying what is allowed.
func TestAuthAndValidation(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/keys", "/messages/" + keyA} {
		code, body, h := f.do(t, "GET", p, "", false)
		if code != 401 || !strings.Contains(h.Get("WWW-Authenticate"), "Bearer") || body["error"] == nil {
			t.Errorf("GET %s without a token: %d", p, code)
		}
	}
	req, _ := http.NewRequest("GET", f.srv.URL+"/keys", nil)
	req.Header.Set("Authorization", "Bearer wrong")
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != 401 {
		t.Errorf("wrong token: %d", res.StatusCode)
	}
	for _, p := range []string{"/__lbheartbeat__", "/__heartbeat__", "/__version__"} {
		if code, _, _ := f.do(t, "GET", p, "", false); code != 200 {
			t.Errorf("%s: %d", p, code)
		}
	}
	for body, want := range map[string]int{
		`{"public-key":"<script>"}`:                         400,
		`{"public-key":""}`:                                 400,
		`{"public-key":"` + strings.Repeat("A", 200) + `"}`: 400,
		`{"public-key":"` + keyA + `","extra":1}`:           400,
		`not json`: 400,
		`{"public-key":"` + strings.Repeat("A", 5000) + `"}`: 413,
	} {
		code, resp, _ := f.do(t, "POST", "/keys", body, true)
		if code != want || resp["error"] == nil {
			t.Errorf("POST %.40s: %d %v, want %d", body, code, resp, want)
		}
	}
	req, _ = http.NewRequest("POST", f.srv.URL+"/keys", strings.NewReader(`{"public-key":"`+keyA+`"}`))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "text/plain")
	if res, _ := http.DefaultClient.Do(req); res.StatusCode != 415 {
		t.Errorf("text/plain: %d", res.StatusCode)
	}
	if code, body, _ := f.do(t, "GET", "/messages/bad%20key", "", true); code != 400 || !strings.Contains(body["error"].(string), "base64url") {
		t.Errorf("bad key: %d %v", code, body)
	}
	if code, _, _ := f.do(t, "PUT", "/keys", "", true); code != 405 {
		t.Errorf("PUT: %d", code)
	}
}
