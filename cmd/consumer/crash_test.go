package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const redisToken = "crash-test-token-0123456789"

// proc is a consumer subprocess.
type proc struct {
	cmd    *exec.Cmd
	log    string
	exited chan error
}

// harness holds the servers and the consumer binary, built once.
type harness struct {
	t   *testing.T
	rdb redis.UniversalClient
	db  *sql.DB
	bin string
	env []string
}

func newHarness(t *testing.T, extraEnv ...string) *harness {
	t.Helper()
	r := testservers.StartRedis(t, testservers.RedisOptions{Password: redisToken})
	m := testservers.StartMariaDB(t)
	dbName := m.CreateDatabase(t, "pushplatform")
	db, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: dbName})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := store.CreateSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port, Password: r.Password})
	t.Cleanup(func() { rdb.Close() })
	bin := filepath.Join(t.TempDir(), "consumer")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build consumer: %v\n%s", err, out)
	}
	env := append(os.Environ(),
		"REDIS_HOST=127.0.0.1", "REDIS_PORT="+strconv.Itoa(r.Port), "REDIS_PASSWORD="+r.Password, "REDIS_QUEUE=counts",
		"DB_HOST=127.0.0.1", "DB_PORT="+strconv.Itoa(m.Port), "DB_USER=root", "DB_NAME="+dbName,
		"CONSUMER_MIN_IDLE_MS=500", "CONSUMER_DRAIN_TIMEOUT_MS=400", "CONSUMER_BLOCK_MS=100",
	)
	return &harness{t: t, rdb: rdb, db: db, bin: bin, env: append(env, extraEnv...)}
}

func (h *harness) enqueue(n int) {
	h.t.Helper()
	pipe := h.rdb.Pipeline()
	for v := 1; v <= n; v++ {
		pipe.XAdd(context.Background(), &redis.XAddArgs{Stream: "counts", Values: []any{queue.FieldValue, v}})
	}
	if _, err := pipe.Exec(context.Background()); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) start() *proc {
	h.t.Helper()
	log, err := os.CreateTemp(h.t.TempDir(), "consumer-*.log")
	if err != nil {
		h.t.Fatal(err)
	}
	cmd := exec.Command(h.bin)
	// Each process answers its health check on its own port, as each
	// task does in its own network namespace.
	cmd.Env = append(h.env, fmt.Sprintf("CONSUMER_HEALTH_PORT=%d", testservers.FreePort(h.t)))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		h.t.Fatal(err)
	}
	p := &proc{cmd: cmd, log: log.Name(), exited: make(chan error, 1)}
	go func() { p.exited <- cmd.Wait(); log.Close() }()
	h.t.Cleanup(func() { _ = cmd.Process.Kill() })
	return p
}

// waitRows polls until the table holds at least n rows and returns the
// count; it fails at once if a consumer it watches exits.
func (h *harness) waitRows(n int64, watch ...*proc) int64 {
	h.t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for time.Now().Before(deadline) {
		for _, p := range watch {
			select {
			case err := <-p.exited:
				logs, _ := os.ReadFile(p.log)
				h.t.Fatalf("consumer exited early: %v\n%s", err, logs)
			default:
			}
		}
		var rows int64
		if err := h.db.QueryRow("SELECT COUNT(*) FROM `count`").Scan(&rows); err == nil && rows >= n {
			return rows
		}
		time.Sleep(2 * time.Millisecond)
	}
	rows, _, _ := store.Counts(context.Background(), h.db)
	h.t.Fatalf("%d rows after 40 s, want %d", rows, n)
	return 0
}

// stop sends SIGTERM and requires a clean exit; it returns the logs.
func (p *proc) stop(t *testing.T) string {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.exited:
		logs, _ := os.ReadFile(p.log)
		if err != nil {
			t.Errorf("consumer exit after SIGTERM: %v, want 0\n%s", err, logs)
		}
		return string(logs)
	case <-time.After(15 * time.Second):
		t.Fatal("consumer did not exit after SIGTERM")
		return ""
	}
}

// assertExactly checks the table holds 1..n once each, by msg_id and value.
func (h *harness) assertExactly(n int) (rows int) {
	h.t.Helper()
	var ids, values int
	var sum int64
	if err := h.db.QueryRow("SELECT COUNT(*), COUNT(DISTINCT msg_id), COUNT(DISTINCT count_value), COALESCE(SUM(count_value), 0) FROM `count`").Scan(&rows, &ids, &values, &sum); err != nil {
		h.t.Fatal(err)
	}
	if rows != n || ids != n || values != n || sum != int64(n)*int64(n+1)/2 {
		h.t.Fatalf("rows %d, distinct msg_ids %d, distinct values %d, sum %d; want exactly %d rows holding 1..%d", rows, ids, values, sum, n, n)
	}
	return rows
}

// TestCrashLosesNothingAndDuplicatesNothing enqueues N messages, runs the
// real consumer binary, SIGKILLs it mid-stream several times (no chance to
// clean up: batches die between read, insert, commit and ack), restarts it
// each time, lets two consumers drain the rest side by side, and requires
// exactly N rows, every value once.
func TestCrashLosesNothingAndDuplicatesNothing(t *testing.T) {
	const n = 10000
	kills := []int64{1200, 3500, 6000, 8000} // rows written before each SIGKILL
	h := newHarness(t, "CONSUMER_BATCH=50")
	h.enqueue(n)

	killed := 0
	for _, at := range kills {
		p := h.start()
		rows := h.waitRows(at, p)
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-p.exited
		if rows >= n {
			t.Fatalf("the consumer finished before kill %d; the test would prove nothing", killed+1)
		}
		killed++
		pending, _ := h.rdb.XPending(context.Background(), "counts", queue.Group).Result()
		t.Logf("SIGKILL %d after %d rows; %d messages left pending by the dead consumer", killed, rows, pending.Count)
	}

	a, b := h.start(), h.start()
	h.waitRows(n, a, b)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if bl, err := queue.Backlog(context.Background(), h.rdb, "counts"); err == nil && bl == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	logs := a.stop(t) + b.stop(t)
	rows := h.assertExactly(n)
	t.Logf("crash test: N=%d, SIGKILLs=%d, final rows=%d (distinct msg_ids and values: %d)", n, killed, rows, rows)
	if killed < 3 {
		t.Fatalf("only %d kills", killed)
	}
	if bl, _ := queue.Backlog(context.Background(), h.rdb, "counts"); bl != 0 {
		t.Fatalf("backlog %d at the end", bl)
	}
	if strings.Contains(logs, redisToken) {
		t.Fatal("the Redis token reached the logs")
	}
}

// TestSIGTERMDrainsTheBatchInHand stops a consumer with SIGTERM mid-stream:
// it must exit 0 having acknowledged everything it committed, so nothing is
// pending, and the committed rows plus the entries left make N.
func TestSIGTERMDrainsTheBatchInHand(t *testing.T) {
	const n = 20000
	h := newHarness(t, "CONSUMER_BATCH=200")
	h.enqueue(n)
	p := h.start()
	h.waitRows(2000, p)
	logs := p.stop(t)
	var rows int64
	if err := h.db.QueryRow("SELECT COUNT(*) FROM `count`").Scan(&rows); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	pending, err := h.rdb.XPending(ctx, "counts", queue.Group).Result()
	if err != nil {
		t.Fatal(err)
	}
	left, _ := h.rdb.XLen(ctx, "counts").Result()
	t.Logf("SIGTERM after %d rows; %d pending, %d entries left", rows, pending.Count, left)
	if rows >= n {
		t.Fatalf("all %d rows were written before SIGTERM; the test would prove nothing", n)
	}
	if pending.Count != 0 || rows+left != n {
		t.Fatalf("after SIGTERM: %d rows, %d pending, %d left; want 0 pending and rows+left = %d", rows, pending.Count, left, n)
	}
	if !strings.Contains(logs, "consumer drained and stopped") {
		t.Fatalf("no drain in the logs:\n%s", logs)
	}
}

// TestBinaryRefusesBadSettings: every problem named, with value and range.
func TestBinaryRefusesBadSettings(t *testing.T) {
	h := &harness{t: t, bin: filepath.Join(t.TempDir(), "consumer")}
	if out, err := exec.Command("go", "build", "-o", h.bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, c := range []struct{ env, want string }{
		{"CONSUMER_BATCH=0", `CONSUMER_BATCH=\"0\": want a whole number from 1 to 10000`},
		{"REDIS_CLUSTER=sometimes", `REDIS_CLUSTER=\"sometimes\": want true or false`},
		{"CONSUMER_MIN_IDLE_MS=1000", "CONSUMER_MIN_IDLE_MS=1000 must be greater than CONSUMER_DRAIN_TIMEOUT_MS=20000"},
	} {
		cmd := exec.Command(h.bin)
		cmd.Env = append(os.Environ(), c.env, "DB_PASSWORD=hunter2-db")
		out, err := cmd.CombinedOutput()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !strings.Contains(string(out), c.want) || strings.Contains(string(out), "hunter2") {
			t.Errorf("%s: exit %v, output %s; want exit 2 naming %s", c.env, err, out, c.want)
		}
	}
}
