package main

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/consumer"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// The container health check (-healthcheck) asks the running process on
// loopback: healthy exits 0, a stall with work waiting exits 1, and so does
// a process that does not answer at all.
func TestHealthcheckProbe(t *testing.T) {
	port := testservers.FreePort(t)
	if probe(port) != 1 {
		t.Fatal("no consumer answering must be unhealthy")
	}
	var waiting atomic.Int64
	h := &consumer.Health{
		Consumer: &consumer.Consumer{}, // never made progress
		Stall:    time.Second,
		Backlog:  func(context.Context) (int64, error) { return waiting.Load(), nil },
	}
	stop, err := serveHealth(port, h, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if code := probe(port); code != 0 {
		t.Fatalf("nothing waiting: exit %d, want 0", code)
	}
	waiting.Store(42)
	if code := probe(port); code != 1 {
		t.Fatalf("a stall with 42 messages waiting: exit %d, want 1", code)
	}
}
