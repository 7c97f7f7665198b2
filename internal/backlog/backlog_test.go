package backlog_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/backlog"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

type recorder struct {
	mu     sync.Mutex
	values []int64
	fail   bool
}

func (r *recorder) Publish(_ context.Context, n int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail {
		r.fail = false
		return errors.New("throttled")
	}
	r.values = append(r.values, n)
	return nil
}

func (r *recorder) last() (int64, int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.values) == 0 {
		return -1, 0
	}
	return r.values[len(r.values)-1], len(r.values)
}

// TestReporterPublishesLagPlusPending: 30 entries, 10 of them delivered
// and unacknowledged, 5 of those acknowledged: the backlog is 25, and the
// reporter keeps going after a failed publication.
func TestReporterPublishesLagPlusPending(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port})
	defer rdb.Close()
	ctx := context.Background()
	if err := queue.EnsureGroup(ctx, rdb, "counts"); err != nil {
		t.Fatal(err)
	}
	for v := range 30 {
		rdb.XAdd(ctx, &redis.XAddArgs{Stream: "counts", Values: []any{queue.FieldValue, v}})
	}
	reader := &queue.Reader{RDB: rdb, Stream: "counts", Consumer: "c"}
	msgs, err := reader.Read(ctx, 10, 0)
	if err != nil || len(msgs) != 10 {
		t.Fatalf("read %d: %v", len(msgs), err)
	}
	if err := reader.Ack(ctx, []string{msgs[0].ID, msgs[1].ID, msgs[2].ID, msgs[3].ID, msgs[4].ID}); err != nil {
		t.Fatal(err)
	}
	if n, err := queue.Backlog(ctx, rdb, "counts"); err != nil || n != 25 {
		t.Fatalf("Backlog = %d, %v; want 25 (20 undelivered + 5 pending)", n, err)
	}

	rec := &recorder{fail: true}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		(&backlog.Reporter{RDB: rdb, Stream: "counts", Every: 20 * time.Millisecond, Publisher: rec, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}).Run(runCtx)
		close(done)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for v, n := rec.last(); n < 2; v, n = rec.last() {
		if time.Now().After(deadline) {
			t.Fatalf("%d readings published, last %d", n, v)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if v, _ := rec.last(); v != 25 {
		t.Fatalf("published %d, want 25", v)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("the reporter did not stop")
	}
}

type fakeCloudWatch struct {
	in *cloudwatch.PutMetricDataInput
}

func (f *fakeCloudWatch) PutMetricData(_ context.Context, in *cloudwatch.PutMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error) {
	f.in = in
	return &cloudwatch.PutMetricDataOutput{}, nil
}

func TestCloudWatchDatum(t *testing.T) {
	api := &fakeCloudWatch{}
	cw := &backlog.CloudWatch{API: api, Namespace: "PushPlatform/Queue", Name: "Backlog", Queue: "counts", Stack: "prod"}
	if err := cw.Publish(context.Background(), 1234); err != nil {
		t.Fatal(err)
	}
	in := api.in
	if aws.ToString(in.Namespace) != "PushPlatform/Queue" || len(in.MetricData) != 1 {
		t.Fatalf("input %+v", in)
	}
	d := in.MetricData[0]
	dims := map[string]string{}
	for _, x := range d.Dimensions {
		dims[aws.ToString(x.Name)] = aws.ToString(x.Value)
	}
	if aws.ToString(d.MetricName) != "Backlog" || aws.ToFloat64(d.Value) != 1234 || d.Unit != "Count" || len(dims) != 2 || dims["Queue"] != "counts" || dims["Stack"] != "prod" {
		t.Fatalf("datum %+v, dimensions %v", d, dims)
	}
}
