package consumer_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/store"
)

// BenchmarkConsumerRows measures how fast one consumer moves queued counts
// into MariaDB (real redis-server and mariadbd on loopback): rows per second
// and the p50/p99 time of one batch (claim or read, insert, commit, ack).
//
//	go test ./internal/consumer -run '^$' -bench ConsumerRows -benchtime 200000x
func BenchmarkConsumerRows(b *testing.B) {
	rdb, db := setup(b)
	enqueue(b, rdb, 1, b.N)
	var mu sync.Mutex
	var batches []time.Duration
	c := newConsumer(rdb, db, "bench", 1000)
	c.OnBatch = func(_ int, took time.Duration) {
		mu.Lock()
		batches = append(batches, took)
		mu.Unlock()
	}
	ctx, cancel := context.WithCancel(context.Background())
	b.ResetTimer()
	start := time.Now()
	done := make(chan struct{})
	go func() { c.Run(ctx); close(done) }()
	for {
		rows, _, err := store.Counts(context.Background(), db)
		if err == nil && rows >= int64(b.N) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	sort.Slice(batches, func(i, j int) bool { return batches[i] < batches[j] })
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "rows/s")
	if len(batches) > 0 {
		b.ReportMetric(float64(batches[len(batches)*50/100].Microseconds())/1000, "batch-p50-ms")
		b.ReportMetric(float64(batches[len(batches)*99/100].Microseconds())/1000, "batch-p99-ms")
	}
}
