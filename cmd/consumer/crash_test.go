package main

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// TestCrashLosesNothingAndDuplicatesNothing enqueues N messages, runs the
// real consumer binary, SIGKILLs it mid-stream several times (no chance to
// clean up), restarts it, and requires exactly N rows, every value once.
func TestCrashLosesNothingAndDuplicatesNothing(t *testing.T) {
	const n = 10000
	kills := []int{1500, 4000, 6500, 8500} // rows written before each SIGKILL

	r := testservers.StartRedis(t, testservers.RedisOptions{Password: "crash-test-token-0123456789"})
	m := testservers.StartMariaDB(t)
	dbName := m.CreateDatabase(t, "pushplatform")
	db, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: dbName})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(store.Schema); err != nil {
		t.Fatal(err)
	}
	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port, Password: r.Password})
	defer rdb.Close()
	ctx := context.Background()
	pipe := rdb.Pipeline()
	for v := 1; v <= n; v++ {
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: "counts", Values: []any{queue.FieldValue, v}})
	}
	if _, err := pipe.Exec(ctx); err != nil {
		t.Fatal(err)
	}

	bin := filepath.Join(t.TempDir(), "consumer")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build consumer: %v\n%s", err, out)
	}
	env := append(os.Environ(),
		"REDIS_HOST=127.0.0.1", "REDIS_PORT="+strconv.Itoa(r.Port), "REDIS_PASSWORD="+r.Password, "REDIS_QUEUE=counts",
		"DB_HOST=127.0.0.1", "DB_PORT="+strconv.Itoa(m.Port), "DB_USER=root", "DB_NAME="+dbName,
		"CONSUMER_BATCH=50", "CONSUMER_MIN_IDLE_MS=300", "CONSUMER_BLOCK_MS=100",
	)
	startConsumer := func() *exec.Cmd {
		cmd := exec.Command(bin)
		cmd.Env = env
		log, _ := os.Create(filepath.Join(t.TempDir(), "consumer.log"))
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	killed := 0
	for _, at := range kills {
		cmd := startConsumer()
		rows := waitFor(t, db, int64(at))
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if rows >= n {
			t.Fatalf("the consumer finished before kill %d; the test would prove nothing", killed+1)
		}
		killed++
		t.Logf("SIGKILL %d after %d rows", killed, rows)
	}

	final := startConsumer()
	waitFor(t, db, n)
	// Let it settle: nothing pending, nothing left to claim, then a clean stop.
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := queue.Backlog(ctx, rdb, "counts"); err == nil && b == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = final.Process.Signal(syscall.SIGTERM)
	if err := final.Wait(); err != nil {
		t.Errorf("consumer did not exit cleanly on SIGTERM: %v", err)
	}

	var rows, ids, values int
	var sum int64
	if err := db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT msg_id), COUNT(DISTINCT count_value), SUM(count_value) FROM `count`").Scan(&rows, &ids, &values, &sum); err != nil {
		t.Fatal(err)
	}
	t.Logf("crash test: N=%d, SIGKILLs=%d, final rows=%d, distinct msg_ids=%d, distinct values=%d", n, killed, rows, ids, values)
	if rows != n || ids != n || values != n || sum != int64(n)*(n+1)/2 {
		t.Fatalf("rows %d, distinct ids %d, distinct values %d, sum %d; want exactly %d rows holding 1..%d", rows, ids, values, sum, n, n)
	}
	if killed < 3 {
		t.Fatalf("only %d kills", killed)
	}
	if b, _ := queue.Backlog(ctx, rdb, "counts"); b != 0 {
		t.Fatalf("backlog %d at the end", b)
	}
}

// waitFor polls until the table holds at least n rows and returns the count.
func waitFor(t *testing.T, db *sql.DB, n int64) int64 {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		rows, _, err := store.Counts(context.Background(), db)
		if err == nil && rows >= n {
			return rows
		}
		time.Sleep(2 * time.Millisecond)
	}
	rows, _, _ := store.Counts(context.Background(), db)
	t.Fatalf("%d rows after 60 s, want %d", rows, n)
	return 0
}
