package testservers

import (
	"bytes"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3 is an in-process S3-compatible server (gofakes3 over HTTP on
// loopback): the AWS SDK talks to it as to S3, path-style.
type S3 struct {
	URL     string
	backend gofakes3.Backend
}

// StartS3 starts the server and stops it when the test ends. It checks no
// signatures; what it proves is the requests the SDK makes and the URLs
// it signs.
func StartS3(t testing.TB) *S3 {
	t.Helper()
	backend := s3mem.New()
	srv := httptest.NewServer(gofakes3.New(backend, gofakes3.WithTimeSkewLimit(time.Hour)).Server())
	t.Cleanup(srv.Close)
	return &S3{URL: srv.URL, backend: backend}
}

// Put creates the bucket if needed and stores one object.
func (s *S3) Put(t testing.TB, bucket, key string, body []byte) {
	t.Helper()
	if ok, _ := s.backend.BucketExists(bucket); !ok {
		if err := s.backend.CreateBucket(bucket); err != nil {
			t.Fatalf("create bucket %s: %v", bucket, err)
		}
	}
	if _, err := s.backend.PutObject(bucket, key, map[string]string{"Content-Type": "application/pdf"}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		t.Fatalf("put %s/%s: %v", bucket, key, err)
	}
}
