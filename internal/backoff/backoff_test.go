package backoff

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"
)

func TestRetryBacksOffUntilSuccess(t *testing.T) {
	p := Policy{First: 10 * time.Millisecond, Max: 40 * time.Millisecond}
	var calls []time.Time
	err := p.Retry(context.Background(), slog.New(slog.NewTextHandler(io.Discard, nil)), "step", func() error {
		calls = append(calls, time.Now())
		if len(calls) < 5 {
			return errors.New("down")
		}
		return nil
	})
	if err != nil || len(calls) != 5 {
		t.Fatalf("err %v after %d calls, want success on the 5th", err, len(calls))
	}
	// Waits 10, 20, 40, 40 ms (plus up to 25 %): each gap at least its base.
	for i, base := range []time.Duration{10, 20, 40, 40} {
		if gap := calls[i+1].Sub(calls[i]); gap < base*time.Millisecond || gap > base*time.Millisecond*2+50*time.Millisecond {
			t.Errorf("gap %d = %s, want about %d ms", i+1, gap, base)
		}
	}
}

func TestRetryStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := Default.Retry(ctx, slog.New(slog.NewTextHandler(io.Discard, nil)), "step", func() error { return errors.New("down") })
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > time.Second {
		t.Fatalf("err %v after %s, want the context's error promptly", err, time.Since(start))
	}
}
