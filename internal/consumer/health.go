package consumer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Health answers the consumer's container health check: healthy while the
// consumer makes progress, or while it has nothing to do; unhealthy (503)
// when it has made no progress for Stall while work is waiting, so ECS
// replaces a stuck task instead of leaving the queue to grow. When the
// backlog cannot be read (Redis is down for everyone) it stays healthy: a
// new task would be just as stuck.
type Health struct {
	Consumer *Consumer
	// Stall is how long without progress, with work waiting, is a stall.
	Stall time.Duration
	// Backlog reads the work waiting (queue.Backlog).
	Backlog func(ctx context.Context) (int64, error)
}

// HealthReport is the health check's answer.
type HealthReport struct {
	Healthy bool   `json:"healthy"`
	Reason  string `json:"reason"`
	// SinceProgressSeconds is the time since the last progress.
	SinceProgressSeconds float64 `json:"sinceProgressSeconds"`
}

// Check decides the consumer's health now.
func (h *Health) Check(ctx context.Context) HealthReport {
	age := time.Since(h.Consumer.LastProgress())
	r := HealthReport{Healthy: true, SinceProgressSeconds: age.Round(time.Millisecond).Seconds()}
	if age <= h.Stall {
		r.Reason = "making progress"
		return r
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	n, err := h.Backlog(ctx)
	switch {
	case err != nil:
		r.Reason = fmt.Sprintf("no progress for %s, and the backlog cannot be read (%v): a new task would not fare better", age.Round(time.Second), err)
	case n == 0:
		r.Reason = "nothing to do"
	default:
		r.Healthy = false
		r.Reason = fmt.Sprintf("no progress for %s while %d messages wait (limit %s)", age.Round(time.Second), n, h.Stall)
	}
	return r
}

// ServeHTTP answers 200 when healthy and 503 when stalled, with the report.
func (h *Health) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rep := h.Check(r.Context())
	w.Header().Set("Content-Type", "application/json")
	if !rep.Healthy {
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_ = json.NewEncoder(w).Encode(rep)
}
