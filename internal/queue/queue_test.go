package queue_test

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const token = "queue-test-token-0123456789"

// TestTLSAndAuth: against a TLS-only Redis with AUTH (as ElastiCache with
// transit encryption and an AUTH token), the client configured as in AWS
// (REDIS_TLS, REDIS_TLS_CA, REDIS_PASSWORD) works; a wrong token, a plain
// connection and an untrusted certificate are all refused.
func TestTLSAndAuth(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{Password: token, TLS: true})
	ctx := context.Background()
	good := queue.Config{Host: "127.0.0.1", Port: r.Port, Stream: "counts", Password: token, TLS: true, CAFile: r.CAFile}
	rdb, err := queue.Connect(good)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if err := rdb.XAdd(ctx, &redis.XAddArgs{Stream: "counts", Values: []any{queue.FieldValue, 1}}).Err(); err != nil {
		t.Fatalf("XADD over TLS with AUTH: %v", err)
	}

	for _, c := range []struct {
		name string
		cfg  queue.Config
		want string
	}{
		{"wrong token", with(good, func(c *queue.Config) { c.Password = "wrong-token" }), "WRONGPASS"},
		{"no token", with(good, func(c *queue.Config) { c.Password = "" }), "NOAUTH"},
		{"no TLS", with(good, func(c *queue.Config) { c.TLS = false }), ""},
		{"untrusted certificate", with(good, func(c *queue.Config) { c.CAFile = "" }), "certificate"},
		{"wrong server name", with(good, func(c *queue.Config) {
			c.TLSConfig = &tls.Config{RootCAs: r.TLS.RootCAs, ServerName: "redis.example", MinVersion: tls.VersionTLS12}
		}), "certificate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad, err := queue.Connect(c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer bad.Close()
			ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			err = bad.Ping(ctx).Err()
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("Ping = %v, want an error mentioning %q", err, c.want)
			}
		})
	}
	if _, err := queue.Connect(with(good, func(c *queue.Config) { c.CAFile = "/nonexistent/ca.pem" })); err == nil || !strings.Contains(err.Error(), "REDIS_TLS_CA") {
		t.Fatalf("a missing CA file: %v, want an error naming REDIS_TLS_CA", err)
	}
}

func with(c queue.Config, f func(*queue.Config)) queue.Config {
	f(&c)
	return c
}

func start(t *testing.T) redis.UniversalClient {
	t.Helper()
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	rdb, err := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	if err := queue.EnsureGroup(context.Background(), rdb, "counts"); err != nil {
		t.Fatal(err)
	}
	if err := queue.EnsureGroup(context.Background(), rdb, "counts"); err != nil {
		t.Fatalf("EnsureGroup is not idempotent: %v", err)
	}
	return rdb
}

// TestMessagesThatCannotBeRows: values outside INT or not numbers carry an
// error (the consumer dead-letters them) instead of being clamped.
func TestMessagesThatCannotBeRows(t *testing.T) {
	rdb := start(t)
	ctx := context.Background()
	for _, v := range []string{"42", "-2147483648", "2147483648", "1.5", "x"} {
		rdb.XAdd(ctx, &redis.XAddArgs{Stream: "counts", Values: []any{queue.FieldValue, v}})
	}
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: "counts", Values: []any{"other", "1"}})
	r := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "c"}
	msgs, err := r.Read(ctx, 10, time.Millisecond)
	if err != nil || len(msgs) != 6 {
		t.Fatalf("read %d: %v", len(msgs), err)
	}
	ok := []bool{true, true, false, false, false, false}
	for i, m := range msgs {
		if (m.Err == nil) != ok[i] {
			t.Errorf("message %d: value %d, err %v; want ok=%v", i, m.Value, m.Err, ok[i])
		}
	}
	if msgs[0].Value != 42 || msgs[1].Value != -2147483648 {
		t.Errorf("values %d, %d", msgs[0].Value, msgs[1].Value)
	}
}

// TestClaimTakesOnlyIdleMessages: a message pending on another consumer is
// claimed only after MinIdle.
func TestClaimTakesOnlyIdleMessages(t *testing.T) {
	rdb := start(t)
	ctx := context.Background()
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: "counts", Values: []any{queue.FieldValue, 1}})
	dead := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "dead"}
	if msgs, err := dead.Read(ctx, 10, time.Millisecond); err != nil || len(msgs) != 1 {
		t.Fatalf("read %d: %v", len(msgs), err)
	}
	alive := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "alive", MinIdle: 300 * time.Millisecond}
	if msgs, err := alive.Claim(ctx, 10); err != nil || len(msgs) != 0 {
		t.Fatalf("claimed %d before MinIdle: %v", len(msgs), err)
	}
	time.Sleep(350 * time.Millisecond)
	msgs, err := alive.Claim(ctx, 10)
	if err != nil || len(msgs) != 1 || msgs[0].Value != 1 {
		t.Fatalf("claimed %v after MinIdle: %v", msgs, err)
	}
}

// TestPruneConsumers removes only members that are idle and hold nothing.
func TestPruneConsumers(t *testing.T) {
	rdb := start(t)
	ctx := context.Background()
	for v := range 3 {
		rdb.XAdd(ctx, &redis.XAddArgs{Stream: "counts", Values: []any{queue.FieldValue, v}})
	}
	empty := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "dead-empty"}
	msgs, _ := empty.Read(ctx, 1, time.Millisecond)
	if err := empty.Ack(ctx, []string{msgs[0].ID}); err != nil {
		t.Fatal(err)
	}
	holding := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "dead-holding"}
	if msgs, _ := holding.Read(ctx, 1, time.Millisecond); len(msgs) != 1 {
		t.Fatal("no message for dead-holding")
	}
	time.Sleep(150 * time.Millisecond)
	self := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "self"}
	if msgs, _ := self.Read(ctx, 1, time.Millisecond); len(msgs) != 1 {
		t.Fatal("no message for self")
	}
	n, err := queue.PruneConsumers(ctx, rdb, "counts", "self", 100*time.Millisecond)
	if err != nil || n != 1 {
		t.Fatalf("pruned %d: %v; want 1", n, err)
	}
	members, _ := rdb.XInfoConsumers(ctx, "counts", queue.Group).Result()
	var names []string
	for _, m := range members {
		names = append(names, m.Name)
	}
	if strings.Join(names, ",") != "dead-holding,self" {
		t.Fatalf("members left: %v; want dead-holding (it has a pending message) and self", names)
	}
}

// TestBatcher: concurrent enqueues each get their own entry, in one or a
// few pipelines; after Close, Enqueue refuses instead of panicking.
func TestBatcher(t *testing.T) {
	rdb := start(t)
	b := queue.NewBatcher(rdb, "counts", queue.BatcherOptions{MaxBatch: 64})
	const n = 1000
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := b.Enqueue(context.Background(), queue.Entry{Value: i})
			if err != nil {
				t.Error(err)
			}
			ids[i] = got.ID
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, id := range ids {
		if id == "" || seen[id] {
			t.Fatalf("id %q empty or repeated", id)
		}
		seen[id] = true
	}
	if l, _ := rdb.XLen(context.Background(), "counts").Result(); l != n {
		t.Fatalf("%d entries, want %d", l, n)
	}
	b.Close()
	b.Close() // twice is harmless
	if _, err := b.Enqueue(context.Background(), queue.Entry{Value: 1}); !errors.Is(err, queue.ErrClosed) {
		t.Fatalf("Enqueue after Close = %v, want ErrClosed", err)
	}
}

// TestClusterMode runs the queue's whole cycle through a cluster client
// (REDIS_CLUSTER=true) against a one-node cluster: enqueue in pipelines,
// group, read, ack, backlog, prune (a script, so its key must be declared).
func TestClusterMode(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{Cluster: true, Password: token})
	rdb, err := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port, Cluster: true, Password: token})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if _, ok := rdb.(*redis.ClusterClient); !ok {
		t.Fatalf("Connect with Cluster gave a %T", rdb)
	}
	ctx := context.Background()
	if err := queue.EnsureGroup(ctx, rdb, "counts"); err != nil {
		t.Fatal(err)
	}
	b := queue.NewBatcher(rdb, "counts", queue.BatcherOptions{MaxBatch: 16})
	defer b.Close()
	for v := range 40 {
		if _, err := b.Enqueue(ctx, queue.Entry{Value: v}); err != nil {
			t.Fatal(err)
		}
	}
	reader := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "c"}
	msgs, err := reader.Read(ctx, 100, time.Millisecond)
	if err != nil || len(msgs) != 40 {
		t.Fatalf("read %d: %v", len(msgs), err)
	}
	if err := reader.Ack(ctx, []string{msgs[0].ID}); err != nil {
		t.Fatal(err)
	}
	if n, err := queue.Backlog(ctx, rdb, "counts"); err != nil || n != 39 {
		t.Fatalf("Backlog = %d, %v; want 39", n, err)
	}
	var rest []string
	for _, m := range msgs[1:] {
		rest = append(rest, m.ID)
	}
	if err := reader.Ack(ctx, rest); err != nil {
		t.Fatal(err)
	}
	if n, err := queue.PruneConsumers(ctx, rdb, "counts", "other", 0); err != nil || n != 1 {
		t.Fatalf("PruneConsumers in cluster mode removed %d: %v; want 1", n, err)
	}
}
