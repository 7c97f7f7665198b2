package gateway

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"

	"github.com/pushplatform/pushplatform/internal/pushlog"
)

const vapidKey = "BOrXhU1dwFMCeoIYtbSXHTDoEXSQBj3cJ0lFyG9e_6kKkqbZiPkpFKQ9SlBgj3TnxfWKN8TAmrkLKsAUDeHs3WQ"

// fakeAutoendpoint answers a push as autoendpoint does: 201 with the
// message's Location; it echoes the body's length and the Host it saw.
func fakeAutoendpoint(t testing.TB) *url.URL {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("X-Seen-Host", r.Host)
		switch {
		case r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/wpush/"):
			if r.URL.Path == "/wpush/v2/gone" {
				w.WriteHeader(http.StatusGone)
				return
			}
			w.Header().Set("Location", "https://push.example.com/m/msg-"+fmt.Sprint(len(b)))
			w.WriteHeader(http.StatusCreated)
		case r.URL.Path == "/__lbheartbeat__":
			w.WriteHeader(http.StatusOK)
		default:
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	u, _ := url.Parse(srv.URL)
	return u
}

// fakeFirehose speaks Firehose's JSON protocol for PutRecordBatch: it
// keeps the records and fails the first failPuts calls' first record
// (Firehose's partial failure) or, with down, every call.
type fakeFirehose struct {
	mu       sync.Mutex
	records  [][]byte
	failPuts int
	down     bool
	calls    int
}

func (f *fakeFirehose) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if r.Header.Get("X-Amz-Target") != "Firehose_20150804.PutRecordBatch" {
		http.Error(w, "unexpected target "+r.Header.Get("X-Amz-Target"), http.StatusBadRequest)
		return
	}
	if f.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"__type":"ServiceUnavailableException","message":"down"}`))
		return
	}
	var in struct {
		DeliveryStreamName string
		Records            []struct{ Data string }
	}
	json.NewDecoder(r.Body).Decode(&in)
	type resp struct {
		RecordId  string `json:",omitempty"`
		ErrorCode string `json:",omitempty"`
	}
	out := struct {
		FailedPutCount   int
		RequestResponses []resp
	}{}
	for i, rec := range in.Records {
		data, _ := base64.StdEncoding.DecodeString(rec.Data)
		if f.failPuts > 0 && i == 0 {
			out.FailedPutCount++
			out.RequestResponses = append(out.RequestResponses, resp{ErrorCode: "ServiceUnavailableException"})
			continue
		}
		f.records = append(f.records, data)
		out.RequestResponses = append(out.RequestResponses, resp{RecordId: fmt.Sprint(len(f.records))})
	}
	if f.failPuts > 0 {
		f.failPuts--
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	json.NewEncoder(w).Encode(out)
}

func (f *fakeFirehose) got() [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.records...)
}

func firehoseClient(t testing.TB, f *fakeFirehose) *firehose.Client {
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return firehose.New(firehose.Options{
		Region: "eu-central-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1,
	})
}

func push(t testing.TB, gw string, path, body string, header ...string) *http.Response {
	req, _ := http.NewRequest(http.MethodPost, gw+path, strings.NewReader(body))
	req.Header.Set("TTL", "60")
	req.Header.Set("Authorization", "vapid t=eyJ.eyJ.sig, k="+vapidKey)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

// TestRecordsEveryPush: pushes pass through unchanged and each becomes
// one record in Firehose; other requests pass through unrecorded.
func TestRecordsEveryPush(t *testing.T) {
	fh := &fakeFirehose{}
	s := NewShipper(firehoseClient(t, fh), ShipperOptions{Stream: "push-messages", FlushEvery: 20 * time.Millisecond})
	gw := httptest.NewServer(New(fakeAutoendpoint(t), s))
	defer gw.Close()

	res := push(t, gw.URL, "/wpush/v2/tok1", strings.Repeat("x", 3070))
	if res.StatusCode != 201 || res.Header.Get("Location") != "https://push.example.com/m/msg-3070" || res.Header.Get("X-Seen-Host") != strings.TrimPrefix(gw.URL, "http://") {
		t.Fatalf("push through the gateway: %d %v", res.StatusCode, res.Header)
	}
	if res := push(t, gw.URL, "/wpush/v2/gone", "y", "Authorization", "WebPush eyJ.eyJ.s", "Crypto-Key", "p256ecdsa="+vapidKey, "TTL", "bad"); res.StatusCode != 410 {
		t.Fatalf("gone: %d", res.StatusCode)
	}
	if r, _ := http.Get(gw.URL + "/__lbheartbeat__"); r.StatusCode != 200 {
		t.Fatalf("health through the gateway: %d", r.StatusCode)
	}
	s.Close(context.Background())
	got := fh.got()
	if len(got) != 2 {
		t.Fatalf("records %q, want two (the health check is not a push)", got)
	}
	first, err := pushlog.Parse(bytes.TrimSpace(got[0]))
	if err != nil || first.VAPIDKey != vapidKey || first.MessageID != "msg-3070" || first.Size != 3070 || first.TTL != 60 || first.Status != 201 || time.Since(time.UnixMilli(first.Timestamp)) > time.Minute {
		t.Errorf("first record %+v %v", first, err)
	}
	second, _ := pushlog.Parse(bytes.TrimSpace(got[1]))
	if second.VAPIDKey != vapidKey || second.MessageID != "" || second.Status != 410 || second.TTL != -1 {
		t.Errorf("second record %+v", second)
	}
}

// TestRetriesRefusedRecords: a record Firehose refuses is sent again.
func TestRetriesRefusedRecords(t *testing.T) {
	fh := &fakeFirehose{failPuts: 2}
	s := NewShipper(firehoseClient(t, fh), ShipperOptions{Stream: "s", FlushEvery: 10 * time.Millisecond})
	for i := range 3 {
		s.Offer(pushlog.Record{Timestamp: int64(i + 1), Status: 201}.Marshal())
	}
	s.Close(context.Background())
	if st := s.Stats(); st.Sent != 3 || st.Retried < 1 || st.Dropped != 0 || len(fh.got()) != 3 {
		t.Errorf("stats %+v, records %d", st, len(fh.got()))
	}
}

// TestFirehoseDownNeverSlowsAPush: with Firehose down, pushes answer as
// fast as without, records are dropped and counted, and a full queue
// drops instead of waiting.
func TestFirehoseDownNeverSlowsAPush(t *testing.T) {
	fh := &fakeFirehose{down: true}
	s := NewShipper(firehoseClient(t, fh), ShipperOptions{Stream: "s", Queue: 5, FlushEvery: 5 * time.Millisecond, Attempts: 2})
	gw := httptest.NewServer(New(fakeAutoendpoint(t), s))
	defer gw.Close()
	start := time.Now()
	for range 50 {
		if res := push(t, gw.URL, "/wpush/v2/tok", "z"); res.StatusCode != 201 {
			t.Fatalf("push with Firehose down: %d", res.StatusCode)
		}
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("50 pushes took %v with Firehose down", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Close(ctx)
	if st := s.Stats(); st.Dropped == 0 || st.Sent != 0 {
		t.Errorf("stats %+v, want drops counted and nothing sent", st)
	}
}

// TestBoundsTheBody: a body over MaxBodyBytes is cut off, not buffered.
func TestBoundsTheBody(t *testing.T) {
	s := NewShipper(firehoseClient(t, &fakeFirehose{}), ShipperOptions{Stream: "s"})
	gw := httptest.NewServer(New(fakeAutoendpoint(t), s))
	defer gw.Close()
	res := push(t, gw.URL, "/wpush/v2/tok", strings.Repeat("b", MaxBodyBytes+1))
	if res.StatusCode < 400 {
		t.Errorf("an oversized body got %d", res.StatusCode)
	}
}
