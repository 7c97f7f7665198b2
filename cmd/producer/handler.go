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
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
)

// MaxBodyBytes bounds a POST /count body; {"count": -2147483648} is 22.
const MaxBodyBytes = 1024

// readinessTimeout bounds each dependency check of /health: the load
// balancer's health check must get an answer well inside its own timeout.
const readinessTimeout = time.Second

// enqueuer appends one count to the queue (queue.Batcher).
type enqueuer interface {
	Enqueue(ctx context.Context, e queue.Entry) (queue.Enqueued, error)
}

// handler serves the seed producer's API: the same paths, methods, status
// codes and JSON field names, also under /api (the CloudFront route).
type handler struct {
	rdb      redis.UniversalClient
	enqueuer enqueuer
	db       *sql.DB
	hostname string
	cors     corsPolicy
	docs     linker // nil: no documents bucket configured
	log      *slog.Logger
}

// routes are the paths and the methods each takes: the seed's, with HEAD
// wherever GET is, as Flask adds it (OPTIONS, the CORS preflight, is
// answered for every route).
var routes = map[string][]string{
	"/":       {http.MethodGet, http.MethodHead},
	"/health": {http.MethodGet, http.MethodHead},
	"/count":  {http.MethodGet, http.MethodHead, http.MethodPost},
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/api")
	if path == "" {
		path = "/"
	}
	methods, ok := routes[path]
	docKey, isDocument := strings.CutPrefix(path, documentsPrefix)
	if isDocument {
		methods, ok = []string{http.MethodGet, http.MethodHead}, true
	}
	if !ok {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no such path %q; paths: /, /health, /count, /documents/{key} (also under /api)", r.URL.Path))
		return
	}
	originOK := h.cors.apply(w.Header(), r.Header.Get("Origin"))
	if r.Method == http.MethodOptions {
		h.preflight(w, r, methods, originOK)
		return
	}
	// The origin list holds on every request, not only on preflights: a
	// "simple" request (a form POST, text/plain) needs no preflight, and a
	// page on a refused origin must not enqueue counts through one.
	if !originOK {
		writeError(w, http.StatusForbidden, fmt.Sprintf("origin %q is not allowed; allowed origins: %s (CORS_ALLOW_ORIGIN)", r.Header.Get("Origin"), h.cors))
		return
	}
	if !allowed(methods, r.Method) {
		w.Header().Set("Allow", strings.Join(append(methods, http.MethodOptions), ", "))
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(methods, ", ")))
		return
	}
	switch {
	case isDocument:
		h.document(w, r, docKey)
	case path == "/":
		w.WriteHeader(http.StatusOK) // the seed's empty 200 (ALB default health check)
	case path == "/health":
		h.health(w, r)
	case r.Method == http.MethodPost:
		h.postCount(w, r)
	default:
		h.getCount(w, r)
	}
}

// preflight answers a CORS preflight: 204 with the route's methods, or 403
// naming the refused origin.
func (h *handler) preflight(w http.ResponseWriter, r *http.Request, methods []string, originOK bool) {
	if !originOK {
		writeError(w, http.StatusForbidden, fmt.Sprintf("origin %q is not allowed; allowed origins: %s (CORS_ALLOW_ORIGIN)", r.Header.Get("Origin"), h.cors))
		return
	}
	w.Header().Set("Access-Control-Allow-Methods", strings.Join(append(methods, http.MethodOptions), ", "))
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key")
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
}

func allowed(methods []string, m string) bool {
	for _, x := range methods {
		if x == m {
			return true
		}
	}
	return false
}

type healthBody struct {
	Status   string `json:"status"`
	Message  string `json:"message"`
	Hostname string `json:"hostname"`
}

// The seed's /health answer, which monitors match on.
const (
	statusHealthy  = "healthy"
	messageHealthy = "application is running without issues"
)

// health keeps the seed's answer and adds readiness. Decision: when Redis
// or MySQL does not answer within readinessTimeout the answer is 503 with
// status "degraded" (the seed had no such case), so the load balancer
// stops routing to a task that cannot serve; the container health check
// (-healthcheck) only asks whether the process answers, so an outage of a
// dependency does not make ECS restart every task. The message names the
// dependency and the cause; the error detail (addresses) goes to the log
// only.
func (h *handler) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), readinessTimeout)
	defer cancel()
	redisErr, mysqlErr := make(chan error, 1), make(chan error, 1)
	go func() { redisErr <- h.rdb.Ping(ctx).Err() }()
	go func() { mysqlErr <- h.db.PingContext(ctx) }()
	var problems []string
	for _, c := range []struct {
		name string
		err  error
	}{{"redis", <-redisErr}, {"mysql", <-mysqlErr}} {
		if c.err == nil {
			continue
		}
		h.log.Warn("readiness check failed", "dependency", c.name, "error", c.err.Error())
		problems = append(problems, c.name+" unreachable ("+cause(c.err)+")")
	}
	if len(problems) > 0 {
		writeJSON(w, http.StatusServiceUnavailable, healthBody{"degraded", strings.Join(problems, "; "), h.hostname})
		return
	}
	writeJSON(w, http.StatusOK, healthBody{statusHealthy, messageHealthy, h.hostname})
}

// cause names why a dependency failed, in words an operator acts on,
// without the addresses the error text carries.
func cause(err error) string {
	msg := err.Error()
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "no answer within " + readinessTimeout.String()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF):
		return "connection closed by the server"
	case strings.Contains(msg, "WRONGPASS"), strings.Contains(msg, "NOAUTH"), strings.Contains(msg, "Access denied"):
		return "credentials refused"
	case strings.Contains(msg, "x509:"), strings.Contains(msg, "tls:"):
		return "TLS handshake failed"
	case strings.Contains(msg, "no such host"):
		return "host name does not resolve"
	}
	return "error; see the log"
}

type countsBody struct {
	RowsCount   int64  `json:"rows_count"`
	LatestValue int64  `json:"latest_value"`
	Hostname    string `json:"hostname"`
}

func (h *handler) getCount(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 3*time.Second)
	defer cancel()
	rows, latest, err := store.Counts(ctx, h.db)
	if err != nil {
		h.log.Error("read counts", "error", err.Error())
		writeError(w, http.StatusServiceUnavailable, "the database is unavailable; try again")
		return
	}
	writeJSON(w, http.StatusOK, countsBody{rows, latest, h.hostname})
}

type addedBody struct {
	Message string `json:"message"`
	Value   int    `json:"value"`
}

// The seed's POST answer.
const messageAdded = "Value added to Redis queue"

// MaxIdempotencyKey is the longest Idempotency-Key accepted.
const MaxIdempotencyKey = 128

func (h *handler) postCount(w http.ResponseWriter, r *http.Request) {
	if problem := jsonContentType(r.Header.Get("Content-Type")); problem != "" {
		writeError(w, http.StatusUnsupportedMediaType, problem)
		return
	}
	key, problem := idempotencyKey(r.Header)
	if problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes: %s", MaxBodyBytes, wantBody))
			return
		}
		writeError(w, http.StatusBadRequest, "could not read the body: "+err.Error())
		return
	}
	value, problem := parseCount(body)
	if problem != "" {
		writeError(w, http.StatusBadRequest, problem)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), enqueueTimeout)
	defer cancel()
	got, err := h.enqueuer.Enqueue(ctx, queue.Entry{Value: value, Key: key})
	if err != nil {
		// 503 means not enqueued: the batcher never sends a request after
		// its caller gave up, and takes back what did not reach a replica.
		h.log.Error("enqueue", "error", err.Error())
		writeError(w, http.StatusServiceUnavailable, "the queue is unavailable; the count was not added; try again")
		return
	}
	// A repeated Idempotency-Key adds nothing and gets the first answer.
	writeJSON(w, http.StatusCreated, addedBody{messageAdded, got.Value})
}

// enqueueTimeout bounds a POST's wait for the queue.
const enqueueTimeout = 3 * time.Second

// jsonContentType accepts application/json with optional parameters
// (charset); anything else, a form (what plain curl -d sends), text/plain
// or none, is refused: such requests need no CORS preflight, and the body
// is JSON.
func jsonContentType(ct string) string {
	if ct == "" {
		return `no Content-Type; send the body as "Content-Type: application/json"`
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return fmt.Sprintf(`Content-Type %q is not accepted; send the body as "Content-Type: application/json"`, ct)
	}
	return ""
}

// idempotencyKey reads the optional Idempotency-Key: 1 to 128 printable
// ASCII characters.
func idempotencyKey(h http.Header) (string, string) {
	values, ok := h["Idempotency-Key"]
	if !ok {
		return "", ""
	}
	rule := fmt.Sprintf("Idempotency-Key must be 1 to %d printable ASCII characters (space to ~)", MaxIdempotencyKey)
	if len(values) != 1 {
		return "", fmt.Sprintf("%s, sent once; got %d values", rule, len(values))
	}
	k := values[0]
	if k == "" || len(k) > MaxIdempotencyKey {
		return "", fmt.Sprintf("%s; got %d characters", rule, len(k))
	}
	for i := 0; i < len(k); i++ {
		if k[i] < 0x20 || k[i] > 0x7e {
			return "", fmt.Sprintf("%s; character %d is byte 0x%02x", rule, i+1, k[i])
		}
	}
	return k, ""
}

type errorBody struct {
	Error string `json:"error"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)              // the messages quote <integer>; keep them readable
	if err := enc.Encode(v); err != nil { // the bodies are fixed structs: cannot happen
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
