// Package gateway is the push gateway in front of autoendpoint: a reverse
// proxy that passes every request through unchanged and, for each push
// message (POST /wpush/...), hands a pushlog.Record to a recorder
// (the Firehose shipper). It reads nothing it does not forward: the body
// streams through a counting reader, so a push is never buffered or
// slowed by the recording.
package gateway

import (
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pushplatform/pushplatform/internal/pushlog"
)

// MaxBodyBytes bounds a push request's body through the gateway.
const MaxBodyBytes = 64 << 10

// Recorder takes one record line; it must not block (Shipper.Offer).
type Recorder interface {
	Offer(line []byte)
}

// New returns the gateway to the autoendpoint at backend.
func New(backend *url.URL, rec Recorder) http.Handler {
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(backend)
			r.Out.Host = r.In.Host // autoendpoint sees the public host, as without the gateway
			r.SetXForwarded()
		},
		// Streamed: the push API's answers are small and immediate.
		FlushInterval: -1,
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/wpush/") {
			proxy.ServeHTTP(w, r)
			return
		}
		// Bounded: far above autoendpoint's own limit (MAX_DATA_BYTES,
		// 5,630 by default), so it only stops abuse.
		body := &countingReader{r: http.MaxBytesReader(w, r.Body, MaxBodyBytes)}
		r.Body = body
		rw := &recordingWriter{ResponseWriter: w, status: http.StatusOK}
		key, ttl := pushlog.VAPIDKey(r.Header), pushlog.TTL(r.Header)
		proxy.ServeHTTP(rw, r)
		rec.Offer(pushlog.Record{
			Timestamp: time.Now().UnixMilli(),
			VAPIDKey:  key,
			MessageID: pushlog.MessageID(rw.Header().Get("Location")),
			Size:      body.n.Load(),
			TTL:       ttl,
			Status:    rw.status,
		}.Marshal())
	})
}

// countingReader counts the bytes read through it, without copying.
type countingReader struct {
	r io.ReadCloser
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c *countingReader) Close() error { return c.r.Close() }

// recordingWriter remembers the status the backend answered.
type recordingWriter struct {
	http.ResponseWriter
	status int
}

func (w *recordingWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *recordingWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
