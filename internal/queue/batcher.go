package queue

import (
	"context"
	"errors"
	"strconv"
	"sync"

	"github.com/redis/go-redis/v9"
)

// ErrClosed is returned by Enqueue after Close.
var ErrClosed = errors.New("queue: the batcher is closed")

// Batcher enqueues concurrent requests together: whatever arrived while the
// previous round trip was in flight goes out as one pipeline. Under load this
// turns N round trips into a few, with no added wait when idle.
type Batcher struct {
	rdb    redis.UniversalClient
	stream string
	max    int
	reqs   chan batchReq
	done   chan struct{}

	mu     sync.RWMutex // guards closed against a send on a closed reqs
	closed bool
}

type batchReq struct {
	value int
	done  chan batchResult
}

type batchResult struct {
	id  string
	err error
}

// NewBatcher starts a batcher sending at most maxBatch XADDs per pipeline;
// Close stops it.
func NewBatcher(rdb redis.UniversalClient, stream string, maxBatch int) *Batcher {
	b := &Batcher{rdb: rdb, stream: stream, max: maxBatch, reqs: make(chan batchReq, 4*maxBatch), done: make(chan struct{})}
	go b.loop()
	return b
}

// Enqueue appends one count and returns its entry ID once Redis has it.
func (b *Batcher) Enqueue(ctx context.Context, value int) (string, error) {
	req := batchReq{value: value, done: make(chan batchResult, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return "", ErrClosed
	}
	select {
	case b.reqs <- req:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return "", ctx.Err()
	}
	select {
	case r := <-req.done:
		return r.id, r.err
	case <-ctx.Done():
		// The entry may still be written; the caller reports failure and
		// the client retries: at-least-once, as any queue client.
		return "", ctx.Err()
	}
}

// Close stops taking requests, sends the ones in hand and returns when the
// last pipeline has been answered, so the Redis client can be closed next.
func (b *Batcher) Close() {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.reqs)
	}
	b.mu.Unlock()
	<-b.done
}

func (b *Batcher) loop() {
	defer close(b.done)
	batch := make([]batchReq, 0, b.max)
	for first := range b.reqs {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.max {
			select {
			case r, ok := <-b.reqs:
				if !ok {
					break fill
				}
				batch = append(batch, r)
			default:
				break fill
			}
		}
		b.flush(batch)
	}
}

func (b *Batcher) flush(batch []batchReq) {
	// Not the requests' contexts: one cancelled request must not fail the
	// pipeline for the others. The client's read/write timeouts bound it.
	ctx := context.Background()
	pipe := b.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(batch))
	for i, r := range batch {
		cmds[i] = pipe.XAdd(ctx, &redis.XAddArgs{Stream: b.stream, Values: []any{FieldValue, strconv.Itoa(r.value)}})
	}
	_, _ = pipe.Exec(ctx) // each command carries its own error
	for i, r := range batch {
		id, err := cmds[i].Result()
		r.done <- batchResult{id: id, err: err}
	}
}
