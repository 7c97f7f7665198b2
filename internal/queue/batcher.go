package queue

import (
	"context"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// Batcher enqueues concurrent requests together: whatever arrived while the
// previous round trip was in flight goes out as one pipeline. Under load this
// turns N round trips into a few, with no added wait when idle.
type Batcher struct {
	rdb    redis.UniversalClient
	stream string
	reqs   chan batchReq
	max    int
}

type batchReq struct {
	ctx   context.Context
	value int
	done  chan batchResult
}

type batchResult struct {
	id  string
	err error
}

// NewBatcher starts a batcher; Close stops it.
func NewBatcher(rdb redis.UniversalClient, stream string, maxBatch int) *Batcher {
	b := &Batcher{rdb: rdb, stream: stream, reqs: make(chan batchReq, 4*maxBatch), max: maxBatch}
	go b.loop()
	return b
}

// Enqueue appends one count and returns its entry ID once Redis has it.
func (b *Batcher) Enqueue(ctx context.Context, value int) (string, error) {
	req := batchReq{ctx: ctx, value: value, done: make(chan batchResult, 1)}
	select {
	case b.reqs <- req:
	case <-ctx.Done():
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

// Close stops the batcher after the requests in hand.
func (b *Batcher) Close() { close(b.reqs) }

func (b *Batcher) loop() {
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
	pipe := b.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(batch))
	for i, r := range batch {
		cmds[i] = pipe.XAdd(context.Background(), &redis.XAddArgs{Stream: b.stream, Values: []any{FieldValue, strconv.Itoa(r.value)}})
	}
	_, _ = pipe.Exec(context.Background())
	for i, r := range batch {
		id, err := cmds[i].Result()
		r.done <- batchResult{id: id, err: err}
	}
}
