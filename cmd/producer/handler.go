package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
)

// MaxBodyBytes bounds a POST /count body; {"count": -2147483648} is 22.
const MaxBodyBytes = 1024

// handler serves the seed producer's API: the same paths, methods, status
// codes and JSON field names, also under /api (the CloudFront route).
type handler struct {
	rdb         redis.UniversalClient
	enqueuer    *queue.Batcher
	db          *sql.DB
	stream      string
	hostname    string
	allowOrigin string
	log         *slog.Logger
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", h.allowOrigin)
	w.Header().Set("Vary", "Origin")
	path := strings.TrimPrefix(r.URL.Path, "/api")
	if path == "" {
		path = "/"
	}
	if r.Method == http.MethodOptions {
		w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
		w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
		w.Header().Set("Access-Control-Max-Age", "600")
		w.WriteHeader(http.StatusNoContent)
		return
	}
	switch path {
	case "/":
		if h.allow(w, r, http.MethodGet, http.MethodHead) {
			w.WriteHeader(http.StatusOK)
		}
	case "/health":
		if h.allow(w, r, http.MethodGet) {
			h.health(w, r)
		}
	case "/count":
		if h.allow(w, r, http.MethodGet, http.MethodPost) {
			if r.Method == http.MethodPost {
				h.postCount(w, r)
			} else {
				h.getCount(w, r)
			}
		}
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": fmt.Sprintf("no such path %q; paths: /, /health, /count", r.URL.Path)})
	}
}

func (h *handler) allow(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", strings.Join(methods, ", "))
	writeJSON(w, http.StatusMethodNotAllowed, map[string]string{
		"error": fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(methods, ", ")),
	})
	return false
}

// health keeps the seed's fields and adds readiness: Redis and MySQL must
// answer within a second, or the answer is 503 "degraded", so the load
// balancer stops sending traffic to a task that cannot serve it.
func (h *handler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	var problems []string
	if err := h.rdb.Ping(ctx).Err(); err != nil {
		problems = append(problems, "redis unreachable: "+err.Error())
	}
	if err := h.db.PingContext(ctx); err != nil {
		problems = append(problems, "mysql unreachable: "+err.Error())
	}
	if len(problems) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{
			"status": "degraded", "message": strings.Join(problems, "; "), "hostname": h.hostname,
		})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "message": "redis and mysql reachable", "hostname": h.hostname})
}

func (h *handler) getCount(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	rows, latest, err := store.Counts(ctx, h.db)
	if err != nil {
		h.log.Error("read counts", "error", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "the database is unavailable; try again"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rows_count": rows, "latest_value": latest, "hostname": h.hostname})
}

func (h *handler) postCount(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]string{"error": fmt.Sprintf("body larger than %d bytes", MaxBodyBytes)})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "could not read the body"})
		return
	}
	value, problem := parseCount(body)
	if problem != "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": problem})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	if _, err := h.enqueuer.Enqueue(ctx, value); err != nil {
		h.log.Error("enqueue", "error", err.Error())
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "the queue is unavailable; nothing was enqueued, try again"})
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"message": "Count added to the queue", "value": value})
}

// parseCount accepts exactly {"count": <integer in int32>}; anything else is
// explained.
func parseCount(body []byte) (int, string) {
	const want = `want a JSON object {"count": <integer>}`
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil || fields == nil {
		return 0, "malformed JSON: " + want
	}
	if dec.More() {
		return 0, "unexpected data after the JSON object: " + want
	}
	raw, ok := fields["count"]
	if !ok {
		return 0, `missing field "count": ` + want
	}
	for k := range fields {
		if k != "count" {
			return 0, fmt.Sprintf("unknown field %q: %s", k, want)
		}
	}
	// json.Number would also take "3" (a string): insist on a bare number.
	trimmed := bytes.TrimSpace(raw)
	var n json.Number
	if len(trimmed) == 0 || !(trimmed[0] == '-' || trimmed[0] >= '0' && trimmed[0] <= '9') || json.Unmarshal(trimmed, &n) != nil {
		return 0, fmt.Sprintf("count is %s, not a number: %s", trimmed, want)
	}
	v, err := n.Int64()
	if err != nil {
		return 0, fmt.Sprintf("count %s is not an integer: %s", n, want)
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, fmt.Sprintf("count %d is out of range %d..%d", v, math.MinInt32, math.MaxInt32)
	}
	return int(v), ""
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
