package pushprocessor

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/pushlog"
)

// BenchmarkProcess reads a 100 MB (uncompressed) gzip object of records
// into local Valkey and dynalite: one record in ten is from one of 100
// registered keys (stored in both), the rest from unregistered senders
// (skipped after a cached lookup). It reports records/s read and stored/s.
//
//	go test -run '^$' -bench Process -benchtime 1x ./internal/pushprocessor
func BenchmarkProcess(b *testing.B) {
	f := newFixtureTB(b)
	ctx := context.Background()
	var keys []string
	for i := range 100 {
		k := fmt.Sprintf("BK%085d", i)
		keys = append(keys, k)
		f.rdb.HSet(ctx, RegisteredKeys, k, "1")
	}
	var raw bytes.Buffer
	base := time.Now().UnixMilli()
	for i := 0; raw.Len() < 100<<20; i++ {
		key := fmt.Sprintf("BU%085d", i%5000) // unregistered senders
		if i%10 == 0 {
			key = keys[i/10%len(keys)]
		}
		raw.Write(pushlog.Record{Timestamp: base + int64(i), VAPIDKey: key, MessageID: fmt.Sprintf("gAAAAAB%030d", i), Size: 3070, TTL: 86400, Status: 201}.Marshal())
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write(raw.Bytes())
	w.Close()
	b.ResetTimer()
	start := time.Now()
	st, err := f.p.Process(ctx, bytes.NewReader(z.Bytes()))
	elapsed := time.Since(start)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(raw.Len())/(1<<20), "MB")
	b.ReportMetric(float64(z.Len())/(1<<20), "gzip-MB")
	b.ReportMetric(float64(st.Lines), "records")
	b.ReportMetric(float64(st.Lines)/elapsed.Seconds(), "records/s")
	b.ReportMetric(float64(st.Stored)/elapsed.Seconds(), "stored/s")
	b.ReportMetric(0, "ns/op")
}
