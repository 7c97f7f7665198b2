package gateway

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"
)

// Firehose's PutRecordBatch limits (Firehose API reference): 500 records
// and 4 MiB per call.
const (
	maxBatchRecords = 500
	maxBatchBytes   = 4 << 20
)

// Putter is the part of the Firehose client the shipper uses.
type Putter interface {
	PutRecordBatch(ctx context.Context, in *firehose.PutRecordBatchInput, opts ...func(*firehose.Options)) (*firehose.PutRecordBatchOutput, error)
}

// ShipperOptions bound the shipper.
type ShipperOptions struct {
	// Stream is the delivery stream's name.
	Stream string
	// Queue is how many records wait at most; beyond, records are dropped
	// and counted, never waited for (default 10,000).
	Queue int
	// FlushEvery sends a partial batch after this long (default 1 s).
	FlushEvery time.Duration
	// Attempts is how often a failed record is sent (default 4), with
	// backoff from 100 ms, before it is dropped and counted.
	Attempts int
	Log      *slog.Logger
}

// Shipper sends records to Firehose in batches from one goroutine.
// Offer never blocks: a push is never slowed by Firehose.
type Shipper struct {
	opts    ShipperOptions
	client  Putter
	queue   chan []byte
	done    chan struct{}
	stopped sync.Once

	sent, dropped, retried atomic.Int64
}

// ShipperStats are the shipper's counters.
type ShipperStats struct{ Sent, Dropped, Retried, Queued int64 }

// NewShipper starts the shipping goroutine.
func NewShipper(client Putter, opts ShipperOptions) *Shipper {
	if opts.Queue <= 0 {
		opts.Queue = 10000
	}
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = time.Second
	}
	if opts.Attempts <= 0 {
		opts.Attempts = 4
	}
	s := &Shipper{opts: opts, client: client, queue: make(chan []byte, opts.Queue), done: make(chan struct{})}
	go s.run()
	return s
}

// Offer queues one record, or drops it (counted) when the queue is full.
func (s *Shipper) Offer(line []byte) {
	select {
	case s.queue <- line:
	default:
		s.dropped.Add(1)
	}
}

// Stats reports what was sent, dropped and retried.
func (s *Shipper) Stats() ShipperStats {
	return ShipperStats{s.sent.Load(), s.dropped.Load(), s.retried.Load(), int64(len(s.queue))}
}

// Close sends what is queued (bounded by ctx) and stops.
func (s *Shipper) Close(ctx context.Context) {
	s.stopped.Do(func() { close(s.queue) })
	select {
	case <-s.done:
	case <-ctx.Done():
	}
}

func (s *Shipper) run() {
	defer close(s.done)
	var batch [][]byte
	size := 0
	tick := time.NewTicker(s.opts.FlushEvery)
	defer tick.Stop()
	flush := func() {
		if len(batch) > 0 {
			s.send(batch)
			batch, size = nil, 0
		}
	}
	for {
		select {
		case line, ok := <-s.queue:
			if !ok {
				flush()
				return
			}
			if len(batch) == maxBatchRecords || size+len(line) > maxBatchBytes {
				flush()
			}
			batch = append(batch, line)
			size += len(line)
		case <-tick.C:
			flush()
		}
	}
}

// send puts one batch, resending only the records Firehose refused, and
// drops (counts) what still fails after the last attempt.
func (s *Shipper) send(batch [][]byte) {
	pending := batch
	backoff := 100 * time.Millisecond
	for attempt := 1; ; attempt++ {
		records := make([]types.Record, len(pending))
		for i, b := range pending {
			records[i] = types.Record{Data: b}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		out, err := s.client.PutRecordBatch(ctx, &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String(s.opts.Stream), Records: records})
		cancel()
		var failed [][]byte
		switch {
		case err != nil:
			failed = pending
			s.logf("put record batch failed", "records", len(pending), "attempt", attempt, "error", err.Error())
		default:
			for i, r := range out.RequestResponses {
				if r.ErrorCode != nil && i < len(pending) {
					failed = append(failed, pending[i])
				}
			}
		}
		s.sent.Add(int64(len(pending) - len(failed)))
		if len(failed) == 0 {
			return
		}
		if attempt >= s.opts.Attempts {
			s.dropped.Add(int64(len(failed)))
			s.logf("records dropped after retries", "records", len(failed))
			return
		}
		s.retried.Add(int64(len(failed)))
		pending = failed
		time.Sleep(backoff)
		backoff *= 2
	}
}

func (s *Shipper) logf(msg string, args ...any) {
	if s.opts.Log != nil {
		s.opts.Log.Warn(msg, args...)
	}
}
