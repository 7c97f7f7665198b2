package documents

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/testservers"
)

func openStore(t *testing.T, s3 *testservers.S3, bucket string) *Store {
	t.Helper()
	// Static credentials: the fake server checks no signature, and the
	// SDK must not look for real ones.
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIATESTTESTTESTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	s, err := Open(context.Background(), Config{Bucket: bucket, Region: "eu-central-1", TTL: 2 * time.Minute, Endpoint: s3.URL})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestLinkReadsTheObject signs a link against a real S3 API and fetches
// the object through it.
func TestLinkReadsTheObject(t *testing.T) {
	s3 := testservers.StartS3(t)
	s3.Put(t, "docs", "reports/2026/q4.pdf", []byte("%PDF-1.7 quarterly"))
	store := openStore(t, s3, "docs")

	link, err := store.Link(context.Background(), "reports/2026/q4.pdf")
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Path != "/docs/reports/2026/q4.pdf" || q.Get("X-Amz-Expires") != "120" || q.Get("X-Amz-Signature") == "" || q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		t.Fatalf("link %s: want a SigV4 GET of /docs/reports/2026/q4.pdf valid 120 s", link.URL)
	}
	if !strings.Contains(q.Get("X-Amz-Credential"), "/eu-central-1/s3/aws4_request") {
		t.Errorf("signed for the wrong region or service: %s", q.Get("X-Amz-Credential"))
	}
	if link.ExpiresIn != 120 || time.Until(link.ExpiresAt) > 2*time.Minute || time.Until(link.ExpiresAt) < time.Minute {
		t.Errorf("expiry %d s at %s", link.ExpiresIn, link.ExpiresAt)
	}
	res, err := http.Get(link.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || string(body) != "%PDF-1.7 quarterly" {
		t.Fatalf("GET through the link: %d %q", res.StatusCode, body)
	}
}

func TestMissingKeyIsNotFound(t *testing.T) {
	s3 := testservers.StartS3(t)
	s3.Put(t, "docs", "present.txt", []byte("x"))
	store := openStore(t, s3, "docs")
	if _, err := store.Link(context.Background(), "absent.txt"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
}

func TestUnreachableS3IsAnError(t *testing.T) {
	openStore(t, testservers.StartS3(t), "docs") // sets the test credentials
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	closed, err := Open(context.Background(), Config{Bucket: "docs", Region: "eu-central-1", Endpoint: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = closed.Link(ctx, "a.txt")
	if err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("an unreachable S3 must be an error other than not-found, got %v", err)
	}
}

func TestValidateKey(t *testing.T) {
	for _, ok := range []string{"a", "a.pdf", "reports/2026/q4.pdf", "naïve résumé.txt", "a b/c-d_e.f", strings.Repeat("k", MaxKeyBytes)} {
		if err := ValidateKey(ok); err != nil {
			t.Errorf("ValidateKey(%q): %v", ok, err)
		}
	}
	for key, reason := range map[string]string{
		"":                                 "empty",
		"../secret":                        `".."`,
		"a/../b":                           `".."`,
		"a..b":                             `".."`,
		"/abs":                             "empty segment",
		"a//b":                             "empty segment",
		"dir/":                             "empty segment",
		"./a":                              `"." segment`,
		"a\\b":                             "backslash",
		"a\x00b":                           "control character",
		"line\nbreak":                      "control character",
		"\xff\xfe":                         "UTF-8",
		strings.Repeat("k", MaxKeyBytes+1): "bytes long",
	} {
		err := ValidateKey(key)
		var ke *KeyError
		if !errors.As(err, &ke) || !strings.Contains(err.Error(), reason) || !strings.Contains(err.Error(), "allowed:") {
			t.Errorf("ValidateKey(%q) = %v; want a KeyError saying %s and what is allowed", key, err, reason)
		}
	}
}

func TestOpenNeedsBucketAndRegion(t *testing.T) {
	if _, err := Open(context.Background(), Config{Region: "eu-central-1"}); err == nil || !strings.Contains(err.Error(), "DOCUMENTS_BUCKET") {
		t.Errorf("no bucket: %v", err)
	}
	if _, err := Open(context.Background(), Config{Bucket: "b"}); err == nil || !strings.Contains(err.Error(), "AWS_REGION") {
		t.Errorf("no region: %v", err)
	}
}
