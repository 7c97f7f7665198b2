package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/pushlog"
	"github.com/pushplatform/pushplatform/internal/pushprocessor"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const key = "BOrXhU1dwFMCeoIYtbSXHTDoEXSQBj3cJ0lFyG9e_6kKkqbZiPkpFKQ9SlBgj3TnxfWKN8TAmrkLKsAUDeHs3WQ"

// TestHandlesAnS3Event reads the object an S3 event names (its key
// URL-encoded, as S3 sends it) from an S3 API on loopback and processes
// it into redis-server and dynalite.
func TestHandlesAnS3Event(t *testing.T) {
	fakeS3 := testservers.StartS3(t)
	var obj bytes.Buffer
	w := gzip.NewWriter(&obj)
	w.Write(pushlog.Record{Timestamp: time.Now().UnixMilli(), VAPIDKey: key, MessageID: "m1", Size: 1, TTL: 60, Status: 201}.Marshal())
	w.Close()
	fakeS3.Put(t, "pushmessages", "records/2026/12/02/logs 1.gz", obj.Bytes())

	r := testservers.StartRedis(t, testservers.RedisOptions{})
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr})
	defer rdb.Close()
	rdb.HSet(context.Background(), pushprocessor.RegisteredKeys, key, "1")
	db := testservers.StartDynamo(t)
	db.CreateTable(t, "push-messages", pushprocessor.AttrKey, pushprocessor.AttrSortKey)

	h := &handler{
		s3: s3.New(s3.Options{Region: "eu-central-1", BaseEndpoint: aws.String(fakeS3.URL), UsePathStyle: true,
			Credentials: credentials.NewStaticCredentialsProvider("AKIATESTTESTTESTTEST", "test-secret", "")}),
		proc: &pushprocessor.Processor{Redis: rdb, DB: db.Client, Table: "push-messages"},
		log:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	ev := events.S3Event{Records: []events.S3EventRecord{{S3: events.S3Entity{
		Bucket: events.S3Bucket{Name: "pushmessages"}, Object: events.S3Object{Key: "records/2026/12/02/logs+1.gz"},
	}}}}
	if err := h.handle(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	if n, _ := rdb.LLen(context.Background(), key).Result(); n != 1 {
		t.Errorf("list holds %d entries, want 1", n)
	}
	ev.Records[0].S3.Object.Key = "records/missing.gz"
	if err := h.handle(context.Background(), ev); err == nil || !strings.Contains(err.Error(), "records/missing.gz") {
		t.Errorf("a missing object must fail the invocation naming it: %v", err)
	}
}
