// Package consumer moves counts from the queue into MySQL: read a batch
// (first messages dead consumers left behind, then new ones), insert it in
// one transaction, acknowledge it only after the commit. A crash at any
// point leaves the batch pending for the next consumer; the unique msg_id
// turns a repeated insert into a no-op.
package consumer

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

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
	// OnBatch, if set, observes each committed batch (rows new, duration).
	OnBatch func(rows int, took time.Duration)
}

// maxBackoff caps the wait between retries of a failing step.
const maxBackoff = 5 * time.Second

// Run consumes until ctx is cancelled, then finishes the batch in hand and
// returns (a graceful drain on SIGTERM).
func (c *Consumer) Run(ctx context.Context) error {
	if err := retry(ctx, c.Log, "create consumer group", func() error {
		return queue.EnsureGroup(ctx, c.Reader.RDB, c.Reader.Stream)
	}); err != nil {
		return nil // cancelled while waiting for Redis
	}
	for ctx.Err() == nil {
		msgs, err := c.Reader.Claim(ctx, c.Batch)
		if err == nil && len(msgs) == 0 {
			msgs, err = c.Reader.Read(ctx, c.Batch, c.Block)
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			c.Log.Warn("read queue", "error", err.Error())
			sleep(ctx, time.Second)
			continue
		}
		if len(msgs) > 0 {
			// The batch in hand is finished even during shutdown, within a
			// bound: what does not make it stays pending for another consumer.
			work, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
			c.process(work, msgs)
			cancel()
		}
	}
	c.Log.Info("consumer drained and stopped", "consumer", c.Reader.Consumer)
	return nil
}

func (c *Consumer) process(ctx context.Context, msgs []queue.Message) {
	start := time.Now()
	var rows []store.Row
	var ids []string
	var bad []queue.Message
	for _, m := range msgs {
		if m.Err != nil {
			bad = append(bad, m)
			continue
		}
		rows = append(rows, store.Row{MsgID: m.ID, Value: m.Value})
		ids = append(ids, m.ID)
	}
	var inserted int64
	if err := retry(ctx, c.Log, "insert batch", func() error {
		n, err := store.InsertBatch(ctx, c.DB, rows)
		inserted = n
		return err
	}); err != nil {
		return // not acknowledged: redelivered later
	}
	if err := retry(ctx, c.Log, "acknowledge batch", func() error { return c.Reader.Ack(ctx, ids) }); err != nil {
		return // rows are committed; a redelivery is a no-op thanks to msg_id
	}
	if len(bad) > 0 {
		for _, m := range bad {
			c.Log.Error("dead-lettering unusable message", "id", m.ID, "error", m.Err.Error())
		}
		_ = retry(ctx, c.Log, "dead-letter", func() error { return c.Reader.DeadLetter(ctx, bad) })
	}
	if c.OnBatch != nil {
		c.OnBatch(int(inserted), time.Since(start))
	}
}

// retry runs step with exponential backoff until it succeeds or ctx ends.
func retry(ctx context.Context, log *slog.Logger, what string, step func() error) error {
	wait := 50 * time.Millisecond
	for {
		err := step()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		log.Warn(what+" failed; retrying", "error", err.Error(), "in", wait.String())
		sleep(ctx, wait)
		wait = min(2*wait, maxBackoff)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
