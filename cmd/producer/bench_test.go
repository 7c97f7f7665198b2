package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// BenchmarkPostCount measures POST /count end to end on loopback: a real
// HTTP server and client, a real redis-server taking the XADDs. It reports
// requests per second and the p50/p99 latency of a request.
//
//	go test ./cmd/producer -run '^$' -bench PostCount -benchtime 100000x
func BenchmarkPostCount(b *testing.B) {
	r := testservers.StartRedis(b, testservers.RedisOptions{Password: "bench-token-0123456789abcdef"})
	m := testservers.StartMariaDB(b)
	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port, Password: r.Password})
	defer rdb.Close()
	db, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: m.CreateDatabase(b, "pushplatform")})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	h := &handler{rdb: rdb, enqueuer: queue.NewBatcher(rdb, "counts", 128), db: db, stream: "counts", hostname: "bench", allowOrigin: "*", log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}}

	var mu sync.Mutex
	var latencies []time.Duration
	b.SetParallelism(16) // 16 x GOMAXPROCS concurrent clients
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		local := make([]time.Duration, 0, 1024)
		for i := 0; pb.Next(); i++ {
			t0 := time.Now()
			resp, err := client.Post(srv.URL+"/count", "application/json", strings.NewReader(fmt.Sprintf(`{"count": %d}`, i)))
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
			local = append(local, time.Since(t0))
		}
		mu.Lock()
		latencies = append(latencies, local...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	reportLatency(b, latencies, elapsed, "req/s")
	if n, _ := rdb.XLen(context.Background(), "counts").Result(); n != int64(b.N) {
		b.Fatalf("%d entries queued for %d requests", n, b.N)
	}
}

func reportLatency(b *testing.B, lat []time.Duration, elapsed time.Duration, unit string) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), unit)
	b.ReportMetric(float64(lat[len(lat)*50/100].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
