package queue

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrClosed is returned by Enqueue after Close.
var ErrClosed = errors.New("queue: the batcher is closed")

// ErrNotReplicated is returned when the entry did not reach the replicas
// the batcher waits for in time: it is not acknowledged (and was removed
// again), so the caller must answer "not enqueued".
var ErrNotReplicated = errors.New("queue: the entry did not reach a replica in time")

// BatcherOptions tunes a Batcher.
type BatcherOptions struct {
	// MaxBatch is the most entries per pipeline.
	MaxBatch int
	// Replicas, above 0, ends every pipeline with WAIT Replicas
	// ReplicaTimeout: an entry is acknowledged only once that many replicas
	// hold it, so a failover to a replica cannot lose it (ElastiCache
	// replicates asynchronously and has no append-only file on Multi-AZ
	// groups). Not with a cluster-mode client: WAIT names no key.
	Replicas       int
	ReplicaTimeout time.Duration
	// IdempotencyTTL is how long an Idempotency-Key is remembered: a
	// request repeating it within that time adds nothing and is answered
	// with the first request's entry. Default 24 h.
	IdempotencyTTL time.Duration
	// Margin is how long before the earliest caller's deadline the
	// pipeline must be answered, so no entry is written after its caller
	// gave up and answered "not enqueued". Default 100 ms.
	Margin time.Duration
}

// Entry is one count to enqueue.
type Entry struct {
	Value int
	// Key is the client's Idempotency-Key, "" for none.
	Key string
}

// Enqueued is where an entry went.
type Enqueued struct {
	// ID is the stream entry ID.
	ID string
	// Value is the stored count: for a repeated key, the first request's.
	Value int
	// Repeated says the key was seen before: nothing new was added.
	Repeated bool
}

// Batcher enqueues concurrent requests together: whatever arrived while the
// previous round trip was in flight goes out as one pipeline. Under load this
// turns N round trips into a few, with no added wait when idle.
//
// A request is sent only while its caller still waits: requests whose
// context ended while queued are dropped before the pipeline is built, and
// the pipeline is bounded to end Margin before the earliest deadline in it.
// So an error answer means the entry was not written, except for the one
// race no client avoids (written, answer lost), which Idempotency-Key
// covers.
type Batcher struct {
	rdb    redis.UniversalClient
	stream string
	opts   BatcherOptions
	reqs   chan batchReq
	done   chan struct{}

	mu     sync.RWMutex // guards closed against a send on a closed reqs
	closed bool
}

type batchReq struct {
	ctx   context.Context
	entry Entry
	done  chan batchResult
}

type batchResult struct {
	Enqueued
	err error
}

// NewBatcher starts a batcher; Close stops it.
func NewBatcher(rdb redis.UniversalClient, stream string, opts BatcherOptions) *Batcher {
	if opts.MaxBatch < 1 {
		opts.MaxBatch = 256
	}
	if opts.IdempotencyTTL == 0 {
		opts.IdempotencyTTL = 24 * time.Hour
	}
	if opts.Margin == 0 {
		opts.Margin = 100 * time.Millisecond
	}
	if opts.ReplicaTimeout == 0 {
		opts.ReplicaTimeout = 500 * time.Millisecond
	}
	b := &Batcher{rdb: rdb, stream: stream, opts: opts, reqs: make(chan batchReq, 4*opts.MaxBatch), done: make(chan struct{})}
	go b.loop()
	return b
}

// Enqueue appends one count and returns where it went once Redis (and the
// replicas it waits for) have it.
func (b *Batcher) Enqueue(ctx context.Context, e Entry) (Enqueued, error) {
	req := batchReq{ctx: ctx, entry: e, done: make(chan batchResult, 1)}
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return Enqueued{}, ErrClosed
	}
	select {
	case b.reqs <- req:
		b.mu.RUnlock()
	case <-ctx.Done():
		b.mu.RUnlock()
		return Enqueued{}, ctx.Err()
	}
	select {
	case r := <-req.done:
		return r.Enqueued, r.err
	case <-ctx.Done():
		// The flush ends before the deadline, so the answer is normally in
		// already; take it if it is.
		select {
		case r := <-req.done:
			return r.Enqueued, r.err
		default:
			return Enqueued{}, ctx.Err()
		}
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
	batch := make([]batchReq, 0, b.opts.MaxBatch)
	for first := range b.reqs {
		batch = append(batch[:0], first)
	fill:
		for len(batch) < b.opts.MaxBatch {
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

// IdempotencyKeyName is where a key's first entry is remembered: in the
// stream's hash slot ({stream}), so one script may touch both in cluster
// mode too.
func IdempotencyKeyName(stream, key string) string {
	sum := sha256.Sum256([]byte(key))
	return "{" + stream + "}:idem:" + hex.EncodeToString(sum[:])
}

// addOnce adds an entry unless its idempotency key was seen: atomically,
// so the key and the entry are written (and replicated) together or not at
// all. It returns {1, "id value"} for a new entry, {0, "id value"} for a
// repeated key.
var addOnce = redis.NewScript(`
local seen = redis.call('GET', KEYS[2])
if seen then return {0, seen} end
local id = redis.call('XADD', KEYS[1], '*', ARGV[1], ARGV[2], ARGV[3], ARGV[4])
local stored = id .. ' ' .. ARGV[2]
redis.call('SET', KEYS[2], stored, 'PX', ARGV[5])
return {1, stored}`)

func (b *Batcher) flush(batch []batchReq) {
	// Drop the requests whose callers gave up while queued, and bound the
	// rest below the earliest deadline left.
	live := batch[:0]
	deadline := time.Now().Add(time.Minute)
	for _, r := range batch {
		d, ok := r.ctx.Deadline()
		if ok {
			d = d.Add(-b.opts.Margin)
		}
		if r.ctx.Err() != nil || ok && !time.Now().Before(d) {
			r.done <- batchResult{err: fmt.Errorf("not sent: %w", context.DeadlineExceeded)}
			continue
		}
		if ok && d.Before(deadline) {
			deadline = d
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	// Not a request's own context: one cancelled request must not fail the
	// pipeline for the others.
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()

	pipe := b.rdb.Pipeline()
	plain := make([]*redis.StringCmd, len(live))
	keyed := make([]*redis.Cmd, len(live))
	keyNames := make([]string, len(live)) // where each key is remembered
	for i, r := range live {
		value := strconv.Itoa(r.entry.Value)
		if r.entry.Key == "" {
			plain[i] = pipe.XAdd(ctx, &redis.XAddArgs{Stream: b.stream, Values: []any{FieldValue, value}})
			continue
		}
		keyNames[i] = IdempotencyKeyName(b.stream, r.entry.Key)
		keyed[i] = addOnce.Eval(ctx, pipe, []string{b.stream, keyNames[i]},
			FieldValue, value, FieldKey, r.entry.Key, b.opts.IdempotencyTTL.Milliseconds())
	}
	var wait *redis.Cmd
	if b.opts.Replicas > 0 {
		// WAIT covers every write before it on this connection: the whole
		// pipeline, which go-redis sends on one connection.
		wait = pipe.Do(ctx, "WAIT", b.opts.Replicas, b.opts.ReplicaTimeout.Milliseconds())
	}
	_, _ = pipe.Exec(ctx) // each command carries its own error

	results := make([]batchResult, len(live))
	var added []string     // entries this pipeline created
	var addedKeys []string // idempotency keys it set
	for i, r := range live {
		res := &results[i]
		if plain[i] != nil {
			res.ID, res.err = plain[i].Result()
			res.Value = r.entry.Value
			if res.err == nil {
				added = append(added, res.ID)
			}
			continue
		}
		res.Enqueued, res.err = parseAddOnce(keyed[i])
		if res.err == nil && !res.Repeated {
			added = append(added, res.ID)
			addedKeys = append(addedKeys, keyNames[i])
		}
	}
	if wait != nil {
		if n, err := wait.Int64(); err != nil || n < int64(b.opts.Replicas) {
			// Not durable: answer "not enqueued" and take back what this
			// pipeline added, so a 503 means not enqueued (unless a
			// consumer read an entry in the meantime; a client's
			// Idempotency-Key makes that harmless).
			why := fmt.Errorf("%w (%d of %d replicas acknowledged within %s: %v)", ErrNotReplicated, n, b.opts.Replicas, b.opts.ReplicaTimeout, err)
			b.takeBack(added, addedKeys)
			for i := range results {
				if results[i].err == nil {
					results[i] = batchResult{err: why}
				}
			}
		}
	}
	for i, r := range live {
		r.done <- results[i]
	}
}

// takeBack removes entries and keys a pipeline added, best effort, in the
// little time callers still wait.
func (b *Batcher) takeBack(ids, keys []string) {
	if len(ids) == 0 && len(keys) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), b.opts.Margin)
	defer cancel()
	pipe := b.rdb.Pipeline()
	if len(ids) > 0 {
		pipe.XDel(ctx, b.stream, ids...)
	}
	for _, k := range keys {
		pipe.Del(ctx, k)
	}
	_, _ = pipe.Exec(ctx)
}

func parseAddOnce(cmd *redis.Cmd) (Enqueued, error) {
	res, err := cmd.Slice()
	if err != nil {
		return Enqueued{}, err
	}
	if len(res) != 2 {
		return Enqueued{}, fmt.Errorf("idempotent add: unexpected reply %v", res)
	}
	fresh, _ := res[0].(int64)
	stored, _ := res[1].(string)
	id, raw, ok := strings.Cut(stored, " ")
	v, err := strconv.Atoi(raw)
	if !ok || err != nil {
		return Enqueued{}, fmt.Errorf("idempotent add: unexpected stored value %q", stored)
	}
	return Enqueued{ID: id, Value: v, Repeated: fresh == 0}, nil
}
