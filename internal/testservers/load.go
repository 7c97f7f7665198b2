package testservers

import (
	"slices"
	"sync"
	"testing"
	"time"
)

// Load runs call n times from workers goroutines and returns each call's
// latency and the wall time; the first error fails the benchmark.
func Load(b *testing.B, workers, n int, call func(i int) error) ([]time.Duration, time.Duration) {
	b.Helper()
	lat := make([][]time.Duration, workers)
	var next sync.Mutex
	i := 0
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				next.Lock()
				k := i
				i++
				next.Unlock()
				if k >= n {
					return
				}
				t0 := time.Now()
				if err := call(k); err != nil {
					errs <- err
					return
				}
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	slices.Sort(all)
	return all, elapsed
}

// ReportLatency reports rate (per second, in unit) and the p50 and p99
// of sorted latencies, with prefix naming the series.
func ReportLatency(b *testing.B, prefix string, sorted []time.Duration, elapsed time.Duration, unit string) {
	if len(sorted) == 0 {
		return
	}
	b.ReportMetric(float64(len(sorted))/elapsed.Seconds(), prefix+unit)
	b.ReportMetric(float64(sorted[len(sorted)*50/100].Microseconds())/1000, prefix+"p50-ms")
	b.ReportMetric(float64(sorted[len(sorted)*99/100].Microseconds())/1000, prefix+"p99-ms")
}
