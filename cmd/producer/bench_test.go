package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// BenchmarkPostCount measures POST /count end to end on loopback: the
// producer's real http.Server and handler, a real redis-server (with AUTH)
// taking the XADDs, and a Go load generator with 64 concurrent keep-alive
// connections in the same process. It reports requests per second and the
// p50/p99 latency of a request, and checks every request made an entry.
//
// Two load generators: "conns" writes HTTP/1.1 requests on raw keep-alive
// connections (cheap, so the 2 cores go to the server and Redis);
// "nethttp" uses net/http's client, which costs about as much CPU as the
// server and so measures the generator as much as the producer.
//
//	go test ./cmd/producer -run '^$' -bench PostCount -benchtime 100000x
func BenchmarkPostCount(b *testing.B) {
	for _, gen := range []struct {
		name string
		run  func(b *testing.B, addr string, next func() int) ([]time.Duration, int)
	}{{"conns", rawWorker}, {"nethttp", netHTTPWorker}} {
		b.Run(gen.name, func(b *testing.B) {
			r := testservers.StartRedis(b, testservers.RedisOptions{Password: "bench-token-0123456789abcdef"})
			rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port, Password: r.Password})
			defer rdb.Close()
			batcher := queue.NewBatcher(rdb, "counts", queue.BatcherOptions{MaxBatch: 256})
			defer batcher.Close()
			// POST /count touches no database: db stays nil.
			h := &handler{rdb: rdb, enqueuer: batcher, hostname: "bench", cors: corsPolicy{any: true}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second}
			ctx, stop := context.WithCancel(context.Background())
			served := make(chan error, 1)
			go func() { served <- serve(ctx, srv, ln, 5*time.Second, slog.New(slog.NewTextHandler(io.Discard, nil))) }()

			const conns = 64
			var issued atomic.Int64
			next := func() int {
				if n := issued.Add(1); n <= int64(b.N) {
					return int(n)
				}
				return -1
			}
			lats := make([][]time.Duration, conns)
			var wg sync.WaitGroup
			var failed atomic.Int64
			b.ResetTimer()
			start := time.Now()
			for i := range conns {
				wg.Add(1)
				go func() {
					defer wg.Done()
					lat, n := gen.run(b, ln.Addr().String(), next)
					lats[i] = lat
					failed.Add(int64(n))
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			stop()
			if err := <-served; err != nil {
				b.Error(err)
			}
			if failed.Load() > 0 {
				b.Fatalf("%d requests failed", failed.Load())
			}
			reportLatency(b, lats, elapsed, "req/s")
			if n, _ := rdb.XLen(context.Background(), "counts").Result(); n != int64(b.N) {
				b.Fatalf("%d entries queued for %d requests", n, b.N)
			}
		})
	}
}

// rawWorker sends requests on one keep-alive connection until next says
// stop. It returns the latencies of the successful requests and the number
// of failed ones.
func rawWorker(b *testing.B, addr string, next func() int) (lat []time.Duration, failed int) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Error(err)
		return nil, 1
	}
	defer conn.Close()
	br, bw := bufio.NewReader(conn), bufio.NewWriter(conn)
	for v := next(); v >= 0; v = next() {
		body := `{"count": ` + strconv.Itoa(v) + `}`
		t0 := time.Now()
		fmt.Fprintf(bw, "POST /count HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
		if err := bw.Flush(); err != nil {
			b.Error(err)
			return lat, failed + 1
		}
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			b.Error(err)
			return lat, failed + 1
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			failed++
			continue
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, failed
}

// netHTTPClient is shared by the nethttp workers, keeping one idle
// connection per worker.
var netHTTPClient = &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 256}}

// netHTTPWorker is rawWorker with net/http's client.
func netHTTPWorker(b *testing.B, addr string, next func() int) (lat []time.Duration, failed int) {
	for v := next(); v >= 0; v = next() {
		t0 := time.Now()
		resp, err := netHTTPClient.Post("http://"+addr+"/count", "application/json", strings.NewReader(`{"count": `+strconv.Itoa(v)+`}`))
		if err != nil {
			b.Error(err)
			return lat, failed + 1
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			failed++
			continue
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, failed
}

// reportLatency reports the rate over elapsed and the p50/p99 latency of
// the requests every worker timed.
func reportLatency(b *testing.B, perWorker [][]time.Duration, elapsed time.Duration, unit string) {
	var lat []time.Duration
	for _, l := range perWorker {
		lat = append(lat, l...)
	}
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	b.ReportMetric(float64(len(lat))/elapsed.Seconds(), unit)
	b.ReportMetric(float64(lat[len(lat)*50/100].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op") // meaningless for a concurrent load
}
