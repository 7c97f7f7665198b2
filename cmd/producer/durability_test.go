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
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/consumer"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// stack is a producer handler with its Redis (reachable through addr, which
// a test may move) and MariaDB.
type stack struct {
	srv   *httptest.Server
	rdb   redis.UniversalClient
	db    *sql.DB
	redis *testservers.Redis
}

func newStack(t *testing.T, addrPort int, opts queue.BatcherOptions) *stack {
	t.Helper()
	db := testservers.CountDB(t)
	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: addrPort})
	t.Cleanup(func() { rdb.Close() })
	b := queue.NewBatcher(rdb, "counts", opts)
	cors, _ := parseCORS("*")
	h := &handler{rdb: rdb, enqueuer: b, db: db, hostname: "t", cors: cors, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); b.Close() })
	return &stack{srv: srv, rdb: rdb, db: db}
}

// post sends one count (with an Idempotency-Key when key is not empty) and
// returns the status and the value answered.
func (s *stack) post(value int, key string) (int, int) {
	req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/count", strings.NewReader(fmt.Sprintf(`{"count": %d}`, value)))
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0
	}
	defer resp.Body.Close()
	var body struct {
		Value int `json:"value"`
	}
	_ = jsonDecode(resp.Body, &body)
	return resp.StatusCode, body.Value
}

// runConsumer moves counts into MySQL until the test ends.
func (s *stack) runConsumer(t *testing.T, name string) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	c := &consumer.Consumer{
		Reader: &queue.Reader{RDB: s.rdb, Stream: "counts", Consumer: name, MinIdle: 300 * time.Millisecond},
		DB:     s.db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Batch: 200, Block: 50 * time.Millisecond,
		DrainTimeout: time.Second,
	}
	go func() { c.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

// rows returns the stored values, counting repeats.
func (s *stack) rows(t *testing.T) map[int]int {
	t.Helper()
	rs, err := s.db.Query("SELECT count_value FROM `count`")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	out := map[int]int{}
	for rs.Next() {
		var v int
		if err := rs.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out[v]++
	}
	return out
}

// waitRows waits until the table holds n rows (or fails after 30 s).
func (s *stack) waitRows(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var got int
	for time.Now().Before(deadline) {
		if err := s.db.QueryRow("SELECT COUNT(*) FROM `count`").Scan(&got); err == nil && got >= n {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%d rows after 30 s, want %d", got, n)
}

// TestA503MeansNotEnqueued: with Redis down, concurrent POSTs wait out
// their 3 s and get 503; Redis comes back after every caller gave up, and
// none of those counts may be stored. A second round brings Redis back
// while the callers still wait: what is stored is exactly what got 201.
func TestA503MeansNotEnqueued(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	s := newStack(t, r.Port, queue.BatcherOptions{MaxBatch: 8})
	for _, round := range []struct {
		name string
		back time.Duration // Redis restarts this long after the POSTs begin
	}{{"back after every deadline", 4500 * time.Millisecond}, {"back within the deadlines", 1500 * time.Millisecond}} {
		r.Kill(t)
		const n = 32
		codes := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() { defer wg.Done(); codes[i], _ = s.post(i, "") }()
		}
		time.Sleep(round.back)
		r.Restart(t) // empty: the stream holds only what is written from now on
		wg.Wait()
		time.Sleep(500 * time.Millisecond) // anything still in flight lands
		created, unavailable := 0, 0
		for _, c := range codes {
			switch c {
			case 201:
				created++
			case 503:
				unavailable++
			default:
				t.Fatalf("%s: answer %d", round.name, c)
			}
		}
		stored, err := s.rdb.XLen(context.Background(), "counts").Result()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: posted %d, 201 %d, 503 %d, stored %d", round.name, n, created, unavailable, stored)
		if int(stored) != created {
			t.Errorf("%s: %d stored but %d answered 201: a 503 was enqueued, or a 201 lost", round.name, stored, created)
		}
		if round.back > 3*time.Second && created != 0 {
			t.Errorf("%s: %d answered 201 with Redis down for the whole deadline", round.name, created)
		}
	}
}

// TestIdempotencyKey: 1,000 keys, each posted three times at once (with
// three different values), give 1,000 rows; every answer for a key is 201
// with the same value, the one stored.
func TestIdempotencyKey(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	s := newStack(t, r.Port, queue.BatcherOptions{MaxBatch: 64})
	s.runConsumer(t, "c1")
	s.runConsumer(t, "c2")
	const keys = 1000
	answers := make([][3]int, keys)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 64)
	for k := range keys {
		for try := range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				code, value := s.post(k*10+try, fmt.Sprintf("order-%04d", k))
				if code != 201 {
					t.Errorf("key %d try %d: %d", k, try, code)
				}
				answers[k][try] = value
			}()
		}
	}
	wg.Wait()
	s.waitRows(t, keys)
	time.Sleep(300 * time.Millisecond) // nothing more may arrive
	rows := s.rows(t)
	total := 0
	for k := range keys {
		a := answers[k]
		if a[0] != a[1] || a[1] != a[2] || a[0]/10 != k {
			t.Fatalf("key %d answered %v, want one value three times", k, a)
		}
		if rows[a[0]] != 1 {
			t.Fatalf("key %d: value %d stored %d times", k, a[0], rows[a[0]])
		}
	}
	for _, n := range rows {
		total += n
	}
	if total != keys {
		t.Fatalf("%d rows for %d keys posted 3 times each", total, keys)
	}
	t.Logf("posted %d, 201 %d, rows %d, doubled 0", 3*keys, 3*keys, total)
}

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// TestCountsAcceptedAfterRedisLostItsState: the producer's view of the
// NOGROUP fault. Redis restarts empty while the apps run; every count the
// producer accepts afterwards (201) reaches MySQL, and nobody restarts the
// consumer.
func TestCountsAcceptedAfterRedisLostItsState(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	s := newStack(t, r.Port, queue.BatcherOptions{MaxBatch: 32})
	s.runConsumer(t, "c1")
	for v := range 100 {
		if code, _ := s.post(v, ""); code != 201 {
			t.Fatalf("before the restart: %d", code)
		}
	}
	s.waitRows(t, 100)
	r.Restart(t)
	accepted := 0
	for v := 1000; v < 1400; v++ {
		if code, _ := s.post(v, ""); code == 201 {
			accepted++
		}
	}
	s.waitRows(t, 100+accepted)
	rows := s.rows(t)
	for v := 1000; v < 1400; v++ {
		if rows[v] > 1 {
			t.Fatalf("count %d stored %d times", v, rows[v])
		}
	}
	t.Logf("after the restart: posted 400, 201 %d, stored %d", accepted, len(rows)-100)
	// A few POSTs may meet connections the restart broke (503, not
	// enqueued); the point is that what was accepted arrives.
	if accepted < 200 {
		t.Fatalf("only %d of 400 accepted after the restart", accepted)
	}
}
