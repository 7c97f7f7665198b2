package consumer_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"

	"github.com/pushplatform/pushplatform/internal/consumer"
	"github.com/pushplatform/pushplatform/internal/queue"
)

// TestRecoversWhenRedisLosesItsState restarts Redis empty in the middle of
// the stream, as a cache node replaced without its data: the producer's
// next XADD recreates the stream but not the group, so every read fails
// with NOGROUP. The consumer must recreate the group and move every count
// written afterwards, with nobody restarting it.
func TestRecoversWhenRedisLosesItsState(t *testing.T) {
	rdb, db, server := setupServers(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := newConsumer(rdb, db, "c1", 50)
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()

	enqueue(t, rdb, 1, 200)
	waitRows(t, db, 200)
	time.Sleep(100 * time.Millisecond) // the last batch acknowledged

	server.Restart(t) // empty: no group, no stream
	// The producer keeps writing; the first XADDs may meet the restart.
	deadline := time.Now().Add(10 * time.Second)
	for rdb.Ping(context.Background()).Err() != nil && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	enqueue(t, rdb, 201, 700)
	waitRows(t, db, 700)
	cancel()
	<-done
	assertExactly(t, db, 700)
	if n, err := queue.Backlog(context.Background(), rdb, stream); err != nil || n != 0 {
		t.Fatalf("backlog %d (%v) after recovery, want 0", n, err)
	}
}

// TestHealthFailsOnlyOnAStallWithWorkWaiting: a consumer whose batches keep
// failing (MySQL refuses them) makes no progress while messages wait, so
// its health check fails and ECS replaces the task; an idle consumer with
// an empty queue, and one that cannot read the backlog (Redis down for
// everyone), stay healthy.
func TestHealthFailsOnlyOnAStallWithWorkWaiting(t *testing.T) {
	rdb, db := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	backlog := func(ctx context.Context) (int64, error) { return queue.Backlog(ctx, rdb, stream) }

	idle := newConsumer(rdb, db, "idle", 10)
	idleCtx, stopIdle := context.WithCancel(ctx)
	idleDone := make(chan error, 1)
	go func() { idleDone <- idle.Run(idleCtx) }()
	h := &consumer.Health{Consumer: idle, Stall: 300 * time.Millisecond, Backlog: backlog}
	time.Sleep(700 * time.Millisecond)
	if rep := h.Check(ctx); !rep.Healthy {
		t.Fatalf("an idle consumer with an empty queue is unhealthy: %+v", rep)
	}
	stopIdle() // it must not take the messages the stuck consumer cannot write
	<-idleDone

	// A database that refuses every connection: no batch ever commits.
	dead, err := sql.Open("mysql", "root@tcp(127.0.0.1:1)/pushplatform?timeout=100ms")
	if err != nil {
		t.Fatal(err)
	}
	defer dead.Close()
	enqueue(t, rdb, 1, 20)
	stuck := newConsumer(rdb, dead, "stuck", 10)
	stuck.DrainTimeout = 200 * time.Millisecond
	go stuck.Run(ctx)
	h = &consumer.Health{Consumer: stuck, Stall: 300 * time.Millisecond, Backlog: backlog}
	time.Sleep(time.Second)
	rep := h.Check(ctx)
	if rep.Healthy || !strings.Contains(rep.Reason, "messages wait") {
		t.Fatalf("a consumer stuck with 20 messages waiting reports %+v, want unhealthy", rep)
	}

	h.Backlog = func(context.Context) (int64, error) { return 0, errors.New("dial tcp: connection refused") }
	if rep := h.Check(ctx); !rep.Healthy {
		t.Fatalf("a consumer that cannot read the backlog is replaced for nothing: %+v", rep)
	}
}
