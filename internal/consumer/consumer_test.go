package consumer_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/consumer"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const stream = "counts"

func setup(t testing.TB) (redis.UniversalClient, *sql.DB) {
	t.Helper()
	rdb, db, _ := setupServers(t)
	return rdb, db
}

// setupServers also returns the Redis server, for tests that kill it.
func setupServers(t testing.TB) (redis.UniversalClient, *sql.DB, *testservers.Redis) {
	t.Helper()
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	m := testservers.StartMariaDB(t)
	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port})
	t.Cleanup(func() { rdb.Close() })
	db, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: m.CreateDatabase(t, "pushplatform")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := store.CreateSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	return rdb, db, r
}

func newConsumer(rdb redis.UniversalClient, db *sql.DB, name string, batch int) *consumer.Consumer {
	return &consumer.Consumer{
		Reader: &queue.Reader{RDB: rdb, Stream: stream, Consumer: name, MinIdle: 200 * time.Millisecond},
		DB:     db, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Batch: batch, Block: 50 * time.Millisecond,
	}
}

func enqueue(t testing.TB, rdb redis.UniversalClient, from, to int) {
	t.Helper()
	pipe := rdb.Pipeline()
	for v := from; v <= to; v++ {
		pipe.XAdd(context.Background(), &redis.XAddArgs{Stream: stream, Values: []any{queue.FieldValue, v}})
	}
	if _, err := pipe.Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// waitRows waits until the table holds n rows.
func waitRows(t testing.TB, db *sql.DB, n int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		rows, _, err := store.Counts(context.Background(), db)
		if err == nil && rows >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	rows, _, _ := store.Counts(context.Background(), db)
	t.Fatalf("%d rows after 30 s, want %d", rows, n)
}

func assertExactly(t testing.TB, db *sql.DB, n int) {
	t.Helper()
	var rows, ids, values int
	if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT msg_id), COUNT(DISTINCT count_value) FROM `count`").Scan(&rows, &ids, &values); err != nil {
		t.Fatal(err)
	}
	if rows != n || ids != n || values != n {
		t.Fatalf("rows %d, distinct msg_ids %d, distinct values %d; want %d of each", rows, ids, values, n)
	}
}

func TestMovesEveryMessageOnceAndDrains(t *testing.T) {
	rdb, db := setup(t)
	enqueue(t, rdb, 1, 1234)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	c := newConsumer(rdb, db, "c1", 100)
	go func() { done <- c.Run(ctx) }()
	waitRows(t, db, 1234)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("consumer did not stop after cancel")
	}
	assertExactly(t, db, 1234)
	if n, _ := queue.Backlog(context.Background(), rdb, stream); n != 0 {
		t.Fatalf("backlog %d after draining, want 0", n)
	}
	if n, _ := rdb.XLen(context.Background(), stream).Result(); n != 0 {
		t.Fatalf("%d acknowledged entries left in the stream", n)
	}
}

// TestReclaimsWhatADeadConsumerLeft reads messages as a consumer that then
// "dies" without acknowledging; another consumer must take them over.
func TestReclaimsWhatADeadConsumerLeft(t *testing.T) {
	rdb, db := setup(t)
	ctx := context.Background()
	if err := queue.EnsureGroup(ctx, rdb, stream); err != nil {
		t.Fatal(err)
	}
	enqueue(t, rdb, 1, 50)
	dead := &queue.Reader{RDB: rdb, Stream: stream, Consumer: "dead", MinIdle: time.Hour}
	got, err := dead.Read(ctx, 50, 10*time.Millisecond)
	if err != nil || len(got) != 50 {
		t.Fatalf("dead consumer read %d: %v", len(got), err)
	}
	// It also committed half of them before dying, without acknowledging.
	var rows []store.Row
	for _, m := range got[:25] {
		rows = append(rows, store.Row{MsgID: m.ID, Value: m.Value})
	}
	if _, err := store.InsertBatch(ctx, db, rows); err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go newConsumer(rdb, db, "alive", 20).Run(runCtx)
	waitRows(t, db, 50)
	time.Sleep(300 * time.Millisecond) // let it finish acknowledging
	assertExactly(t, db, 50)
	if pending, _ := rdb.XPending(ctx, stream, queue.Group).Result(); pending.Count != 0 {
		t.Fatalf("%d messages still pending", pending.Count)
	}
}

func TestDeadLettersUnusableMessages(t *testing.T) {
	rdb, db := setup(t)
	ctx := context.Background()
	enqueue(t, rdb, 1, 3)
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{queue.FieldValue, "not-a-number"}})
	rdb.XAdd(ctx, &redis.XAddArgs{Stream: stream, Values: []any{"other", "1"}})
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go newConsumer(rdb, db, "c", 10).Run(runCtx)
	waitRows(t, db, 3)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if n, _ := rdb.XLen(ctx, stream+":dead").Result(); n == 2 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n, _ := rdb.XLen(ctx, stream+":dead").Result(); n != 2 {
		t.Fatalf("%d dead letters, want 2", n)
	}
	assertExactly(t, db, 3)
}

func TestConcurrentConsumersNeverDuplicate(t *testing.T) {
	rdb, db := setup(t)
	const n = 5000
	enqueue(t, rdb, 1, n)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i, name := range []string{"a", "b", "c"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			newConsumer(rdb, db, name, 50+i*37).Run(ctx)
		}()
	}
	waitRows(t, db, n)
	cancel()
	wg.Wait()
	assertExactly(t, db, n)
	// The statistics row GET /count reads, kept by three consumers
	// committing concurrently, says what a full count says.
	rows, latest, err := store.Counts(context.Background(), db)
	fullRows, fullLatest, _ := store.FullCounts(context.Background(), db)
	if err != nil || rows != fullRows || latest != fullLatest {
		t.Fatalf("statistics %d rows, latest %d (%v); the table: %d rows, latest %d", rows, latest, err, fullRows, fullLatest)
	}
}

// TestRetriesThroughAMySQLOutage: while the table is unreachable (renamed
// away) inserts fail; the consumer keeps the batch unacknowledged, retries
// with backoff, and once the table is back every message lands once.
func TestRetriesThroughAMySQLOutage(t *testing.T) {
	rdb, db := setup(t)
	ctx := context.Background()
	if _, err := db.Exec("RENAME TABLE `count` TO `count_away`"); err != nil {
		t.Fatal(err)
	}
	enqueue(t, rdb, 1, 300)
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan struct{})
	go func() { newConsumer(rdb, db, "c", 100).Run(runCtx); close(done) }()
	time.Sleep(500 * time.Millisecond) // several failed attempts
	pending, err := rdb.XPending(ctx, stream, queue.Group).Result()
	if err != nil || pending.Count != 100 {
		t.Fatalf("during the outage %d pending (%v); want the batch of 100 held, unacknowledged", pending.Count, err)
	}
	if _, err := db.Exec("RENAME TABLE `count_away` TO `count`"); err != nil {
		t.Fatal(err)
	}
	waitRows(t, db, 300)
	cancel()
	<-done
	assertExactly(t, db, 300)
}
