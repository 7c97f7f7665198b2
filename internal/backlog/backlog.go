// Package backlog publishes the queue's backlog (messages not yet written:
// the consumer group's lag plus its pending entries) for the consumer's
// queue-depth autoscaling. Publishing goes through the Publisher interface,
// so the loop is tested without AWS; CloudWatch is one implementation.
package backlog

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/queue"
)

// Publisher sends one backlog reading.
type Publisher interface {
	Publish(ctx context.Context, backlog int64) error
}

// Reporter reads the backlog every Every and publishes it.
type Reporter struct {
	RDB       redis.UniversalClient
	Stream    string
	Every     time.Duration
	Publisher Publisher
	Log       *slog.Logger
}

// Run reports at once and then every r.Every until ctx ends. A failed
// reading or publication is logged and the next tick tries again: a metric
// gap only delays scaling, it must never stop the consumer.
func (r *Reporter) Run(ctx context.Context) {
	t := time.NewTicker(r.Every)
	defer t.Stop()
	for {
		r.once(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (r *Reporter) once(ctx context.Context) {
	n, err := queue.Backlog(ctx, r.RDB, r.Stream)
	if err == nil {
		err = r.Publisher.Publish(ctx, n)
	}
	if err != nil && ctx.Err() == nil {
		r.Log.Warn("publish queue backlog", "error", err.Error())
	}
}
