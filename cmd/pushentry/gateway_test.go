package main

import (
	"context"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/firehose/types"

	"github.com/pushplatform/pushplatform/internal/pushlog"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// TestFakeAutoendpoint stands in for autoendpoint when the gateway test
// starts this binary: 201 with a Location for every push.
func TestFakeAutoendpoint(t *testing.T) {
	if os.Getenv("PUSHENTRY_FAKE_AUTOENDPOINT") == "" {
		t.Skip("started by TestGatewayInFrontOfAutoendpoint")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("AUTOEND__PORT"))
	if err != nil {
		t.Fatal(err)
	}
	http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", "https://push.example.com/m/abc123")
		w.WriteHeader(http.StatusCreated)
	}))
}

type memFirehose struct {
	mu      sync.Mutex
	records [][]byte
}

func (m *memFirehose) PutRecordBatch(_ context.Context, in *firehose.PutRecordBatchInput, _ ...func(*firehose.Options)) (*firehose.PutRecordBatchOutput, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := &firehose.PutRecordBatchOutput{}
	for _, r := range in.Records {
		m.records = append(m.records, r.Data)
		out.RequestResponses = append(out.RequestResponses, types.PutRecordBatchResponseEntry{})
	}
	return out, nil
}

func TestGatewayInFrontOfAutoendpoint(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{"AUTOEND__PORT": strconv.Itoa(testservers.FreePort(t)), streamVar: "push-records", "PUSHENTRY_FAKE_AUTOENDPOINT": "1"}
	env := os.Environ()
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	fh := &memFirehose{}
	done := make(chan int, 1)
	go func() {
		code, _ := serveGateway(ln, fh, []string{os.Args[0], "-test.run=^TestFakeAutoendpoint$"}, env, func(k string) string { return vars[k] })
		done <- code
	}()
	var res *http.Response
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/wpush/v2/tok", strings.NewReader("payload"))
		req.Header.Set("TTL", "30")
		if res, err = http.DefaultClient.Do(req); err == nil && res.StatusCode == 201 {
			break
		}
	}
	if err != nil || res.StatusCode != 201 {
		t.Fatalf("push through the gateway: %v", err)
	}
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("pushentry did not end after SIGTERM")
	}
	fh.mu.Lock()
	defer fh.mu.Unlock()
	// Attempts before autoendpoint was up were answered 502 and are
	// recorded too; the last is the delivered push, flushed at exit.
	if len(fh.records) == 0 {
		t.Fatal("no record flushed at exit")
	}
	r, err := pushlog.Parse([]byte(strings.TrimSpace(string(fh.records[len(fh.records)-1]))))
	if err != nil || r.MessageID != "abc123" || r.Size != 7 || r.TTL != 30 || r.Status != 201 {
		t.Errorf("record %+v %v", r, err)
	}
}
