// Package consumer moves counts from the queue into MySQL: read a batch
// (first messages dead consumers left behind, then new ones), insert it in
// one transaction, acknowledge it only after the commit. A crash at any
// point leaves the batch pending for the next consumer; the unique msg_id
// turns a repeated insert into a no-op. Hence no loss and no duplicates.
package consumer

import (
	"context"
	"database/sql"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/pushplatform/pushplatform/internal/backoff"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
)

// Consumer is one consumer process.
type Consumer struct {
	Reader *queue.Reader
	DB     *sql.DB
	Log    *slog.Logger
	// Batch is the most messages per transaction.
	Batch int
	// Block is how long a read waits for new messages.
	Block time.Duration
	// DrainTimeout bounds finishing the batch in hand after ctx ends; what
	// does not make it stays pending for another consumer. Default 20 s,
	// inside ECS's 30 s stop timeout.
	DrainTimeout time.Duration
	// PruneIdle, if set, removes group members idle that long with nothing
	// pending (dead consumers), checked every PruneIdle/4.
	PruneIdle time.Duration
	// OnBatch, if set, observes each committed and acknowledged batch.
	OnBatch func(rows int, took time.Duration)

	progress atomic.Int64 // unix nanoseconds of the last progress
}

// LastProgress is when the consumer last did its job: committed and
// acknowledged a batch, or found the queue empty. A consumer that keeps
// failing (Redis lost the group, MySQL refuses the batch) stops making
// progress; Health turns that into a failed container health check.
func (c *Consumer) LastProgress() time.Time { return time.Unix(0, c.progress.Load()) }

func (c *Consumer) madeProgress() { c.progress.Store(time.Now().UnixNano()) }

// Starting starts the stall clock before Run (while the process still
// waits for its dependencies), so the health check measures from now.
func (c *Consumer) Starting() { c.madeProgress() }

// Run consumes until ctx is cancelled, then finishes the batch in hand
// (insert, commit, acknowledge) and returns: the graceful drain on SIGTERM.
func (c *Consumer) Run(ctx context.Context) error {
	if err := backoff.Retry(ctx, c.Log, "create consumer group", func() error {
		return queue.EnsureGroup(ctx, c.Reader.RDB, c.Reader.Stream)
	}); err != nil {
		return nil // stopped while waiting for Redis: nothing in hand
	}
	c.madeProgress()
	drain := c.DrainTimeout
	if drain == 0 {
		drain = 20 * time.Second
	}
	var nextPrune time.Time
	readFailures := 0
	failing := false
	for ctx.Err() == nil {
		if c.PruneIdle > 0 && time.Now().After(nextPrune) {
			c.prune(ctx)
			nextPrune = time.Now().Add(c.PruneIdle / 4)
		}
		msgs, err := c.Reader.Claim(ctx, c.Batch)
		if err == nil && len(msgs) == 0 {
			msgs, err = c.Reader.Read(ctx, c.Batch, c.Block)
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			if queue.IsNoGroup(err) {
				// Redis lost its state (a restart without data, a node
				// replaced): the producer's next XADD recreates the stream
				// but not the group. Recreate it and go on, from the
				// stream's start, so every entry written since is consumed.
				c.Log.Warn("the consumer group is gone (Redis lost its state); recreating it", "error", err.Error())
				if err := queue.EnsureGroup(ctx, c.Reader.RDB, c.Reader.Stream); err == nil {
					c.Reader.Restart()
					continue
				}
			}
			// Exponential backoff, 50 ms doubling to 5 s, reset on success.
			wait := min(backoff.Default.First<<min(readFailures, 10), backoff.Default.Max)
			readFailures++
			c.Log.Warn("read queue failed; retrying", "error", err.Error(), "attempt", readFailures, "in", wait.String())
			backoff.Sleep(ctx, wait)
			continue
		}
		readFailures = 0
		if len(msgs) == 0 {
			// Nothing to do is not a stall, unless the last batch failed:
			// then its messages wait, pending, until they can be claimed.
			if !failing {
				c.madeProgress()
			}
			continue
		}
		// The batch in hand is finished even during shutdown, within a
		// bound: what does not make it stays pending for another consumer.
		work, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
		failing = !c.process(work, msgs)
		cancel()
	}
	c.Log.Info("consumer drained and stopped", "consumer", c.Reader.Consumer)
	return nil
}

// process commits and acknowledges one batch; it reports whether it did.
func (c *Consumer) process(ctx context.Context, msgs []queue.Message) bool {
	start := time.Now()
	rows := make([]store.Row, 0, len(msgs))
	ids := make([]string, 0, len(msgs))
	var bad []queue.Message
	for _, m := range msgs {
		if m.Err != nil {
			bad = append(bad, m)
			continue
		}
		rows = append(rows, store.Row{MsgID: m.RowID(), Value: m.Value})
		ids = append(ids, m.ID)
	}
	var inserted int64
	if err := backoff.Retry(ctx, c.Log, "insert batch", func() error {
		n, err := store.InsertBatch(ctx, c.DB, rows)
		inserted = n
		return err
	}); err != nil {
		return false // not acknowledged: redelivered later
	}
	if err := backoff.Retry(ctx, c.Log, "acknowledge batch", func() error { return c.Reader.Ack(ctx, ids) }); err != nil {
		return false // rows are committed; a redelivery is a no-op thanks to msg_id
	}
	if len(bad) > 0 {
		for _, m := range bad {
			c.Log.Error("dead-lettering unusable message", "id", m.ID, "error", m.Err.Error())
		}
		_ = backoff.Retry(ctx, c.Log, "dead-letter", func() error { return c.Reader.DeadLetter(ctx, bad) })
	}
	c.madeProgress()
	if c.OnBatch != nil {
		c.OnBatch(int(inserted), time.Since(start))
	}
	return true
}

func (c *Consumer) prune(ctx context.Context) {
	n, err := queue.PruneConsumers(ctx, c.Reader.RDB, c.Reader.Stream, c.Reader.Consumer, c.PruneIdle)
	if err != nil {
		c.Log.Warn("prune dead consumers", "error", err.Error())
	} else if n > 0 {
		c.Log.Info("pruned dead consumers", "removed", n)
	}
}
