package consumer_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"
)

// BenchmarkConsumerRows measures how fast one consumer moves queued counts
// into MariaDB (real redis-server and mariadbd on loopback): rows per second
// and the p50/p99 time of one batch (claim or read, multi-row insert,
// commit, ack). The b.N entries are queued before the timer starts; the
// clock stops when the last batch is acknowledged.
//
//	go test ./internal/consumer -run '^$' -bench ConsumerRows -benchtime 200000x
func BenchmarkConsumerRows(b *testing.B) {
	rdb, db := setup(b)
	enqueue(b, rdb, 1, b.N)
	var mu sync.Mutex
	var batches []time.Duration
	rows := 0
	finished := make(chan struct{})
	c := newConsumer(rdb, db, "bench", 1000)
	c.OnBatch = func(n int, took time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		batches = append(batches, took)
		if rows += n; rows == b.N {
			close(finished)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	b.ResetTimer()
	start := time.Now()
	go func() { c.Run(ctx); close(done) }()
	select {
	case <-finished:
	case <-time.After(5 * time.Minute):
		b.Fatal("the consumer did not finish")
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-done
	assertExactly(b, db, b.N)
	slices.Sort(batches)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "rows/s")
	b.ReportMetric(float64(batches[len(batches)*50/100].Microseconds())/1000, "batch-p50-ms")
	b.ReportMetric(float64(batches[len(batches)*99/100].Microseconds())/1000, "batch-p99-ms")
	b.ReportMetric(0, "ns/op") // meaningless for a pipeline
}
