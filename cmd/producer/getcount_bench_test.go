package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// BenchmarkGetCount measures GET /count at 10,000 and at 1,000,000 rows,
// beside a no-op handler on the same HTTP stack in the same run: the
// statistics row makes it one primary-key read, so the rate must not fall
// with the table's size (a COUNT(*) scan did: 36 req/s at 632,000 rows).
//
//	go test ./cmd/producer -run '^$' -bench GetCount -benchtime 20000x
func BenchmarkGetCount(b *testing.B) {
	b.Run("noop-baseline", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			writeJSON(w, http.StatusOK, countsBody{1, 1, "bench"})
		}))
		defer srv.Close()
		loadGET(b, srv.URL+"/count")
	})
	ctx := context.Background()
	db := testservers.CountDB(b)
	h := &handler{db: db, hostname: "bench", cors: corsPolicy{any: true}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	srv := httptest.NewServer(h)
	defer srv.Close()
	have := 0
	for _, rows := range []int{10_000, 1_000_000} {
		// Fill with MariaDB's sequence engine, then count once through
		// InsertBatch's path so the statistics row is what it would be.
		if _, err := db.Exec(fmt.Sprintf("INSERT INTO `count` (`msg_id`, `count_value`) SELECT CONCAT('seed-', seq), seq FROM seq_%d_to_%d", have+1, rows-1)); err != nil {
			b.Fatal(err)
		}
		if _, err := db.Exec("DELETE FROM `count_stats`"); err != nil {
			b.Fatal(err)
		}
		if err := store.CreateSchema(ctx, db); err != nil { // re-seeds the statistics
			b.Fatal(err)
		}
		if _, err := store.InsertBatch(ctx, db, []store.Row{{MsgID: fmt.Sprintf("last-%d", rows), Value: rows}}); err != nil {
			b.Fatal(err)
		}
		have = rows
		got, latest, _ := store.Counts(ctx, db)
		if got != int64(rows) || latest != int64(rows) {
			b.Fatalf("statistics %d rows, latest %d; want %d", got, latest, rows)
		}
		b.Run(fmt.Sprintf("rows=%d", rows), func(b *testing.B) { loadGET(b, srv.URL+"/count") })
	}
}

// loadGET sends b.N GETs from 32 concurrent keep-alive clients and reports
// the rate and latency.
func loadGET(b *testing.B, url string) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}}
	var issued, failed atomic.Int64
	lats := make([][]time.Duration, 32)
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for i := range lats {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for issued.Add(1) <= int64(b.N) {
				t0 := time.Now()
				resp, err := client.Get(url)
				if err != nil {
					failed.Add(1)
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					continue
				}
				lats[i] = append(lats[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d requests failed", failed.Load())
	}
	reportLatency(b, lats, elapsed, "req/s")
}
