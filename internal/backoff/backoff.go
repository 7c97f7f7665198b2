// Package backoff retries a failing step with exponential backoff and
// jitter, for the calls to Redis and MySQL that must eventually succeed
// (a consumer must not drop a batch because the database failed over).
package backoff

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"
)

// Policy is the wait before the first retry and the cap on the wait.
type Policy struct {
	First, Max time.Duration
}

// Default waits 50 ms, doubling to at most 5 s.
var Default = Policy{First: 50 * time.Millisecond, Max: 5 * time.Second}

// Retry runs step until it succeeds or ctx ends; it returns ctx's error in
// the latter case. Each failure is logged with what was attempted.
func (p Policy) Retry(ctx context.Context, log *slog.Logger, what string, step func() error) error {
	wait := p.First
	for attempt := 1; ; attempt++ {
		err := step()
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		// Up to 25 % jitter so consumers that failed together do not
		// retry together.
		d := wait + time.Duration(rand.Int64N(int64(wait)/4+1))
		log.Warn(what+" failed; retrying", "error", err.Error(), "attempt", attempt, "in", d.String())
		if !Sleep(ctx, d) {
			return ctx.Err()
		}
		wait = min(2*wait, p.Max)
	}
}

// Retry retries with the Default policy.
func Retry(ctx context.Context, log *slog.Logger, what string, step func() error) error {
	return Default.Retry(ctx, log, what, step)
}

// Sleep waits d or until ctx ends; it reports whether the full d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
