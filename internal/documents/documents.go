// Package documents hands out short-lived links to the private documents
// bucket. The bucket is never public; a browser reads one object through a
// presigned GET URL the producer signs with its task role, which may read
// that bucket only.
package documents

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/pushplatform/pushplatform/internal/settings"
)

// MaxKeyBytes bounds a document key. S3 allows 1,024 bytes; the API takes
// half, which leaves room for the URL's own length limits.
const MaxKeyBytes = 512

// TTL bounds of a link. A URL signed with role credentials stops working
// when those credentials expire, whatever its expiry says, so links stay
// short.
const (
	DefaultTTL = 5 * time.Minute
	MinTTL     = time.Minute
	MaxTTL     = time.Hour
)

// ErrNotFound is a key the bucket does not hold.
var ErrNotFound = errors.New("no such document")

// Config says which bucket and how long links live.
type Config struct {
	Bucket string
	Region string
	TTL    time.Duration
	// Endpoint is an S3-compatible server's URL (path-style), for local
	// runs and tests; empty in AWS.
	Endpoint string
}

// ConfigFromEnv reads DOCUMENTS_BUCKET (empty: no documents on this
// deployment), DOCUMENTS_URL_TTL_S, AWS_REGION and DOCUMENTS_S3_ENDPOINT.
func ConfigFromEnv(env *settings.Env) Config {
	return Config{
		Bucket:   env.String("DOCUMENTS_BUCKET", ""),
		Region:   env.String("AWS_REGION", ""),
		TTL:      time.Duration(env.Int("DOCUMENTS_URL_TTL_S", int(DefaultTTL/time.Second), int(MinTTL/time.Second), int(MaxTTL/time.Second))) * time.Second,
		Endpoint: env.String("DOCUMENTS_S3_ENDPOINT", ""),
	}
}

// Link is a presigned GET URL and when it stops working.
type Link struct {
	Key       string    `json:"key"`
	URL       string    `json:"url"`
	ExpiresIn int       `json:"expires_in"`
	ExpiresAt time.Time `json:"expires_at"`
}

// Store signs links to one bucket.
type Store struct {
	bucket  string
	ttl     time.Duration
	client  *s3.Client
	presign *s3.PresignClient
	now     func() time.Time
}

// Open builds the S3 client from the default credential chain (the task
// role in ECS). It makes no call: a bucket that is missing or not allowed
// shows on the first request.
func Open(ctx context.Context, c Config) (*Store, error) {
	if c.Bucket == "" {
		return nil, errors.New("documents: DOCUMENTS_BUCKET is empty")
	}
	if c.Region == "" {
		return nil, errors.New("documents: AWS_REGION is required with DOCUMENTS_BUCKET (the bucket's region signs the links)")
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(c.Region))
	if err != nil {
		return nil, fmt.Errorf("documents: AWS configuration: %w", err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		if c.Endpoint != "" {
			o.BaseEndpoint = aws.String(c.Endpoint)
			o.UsePathStyle = true
		}
	})
	ttl := c.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	return &Store{bucket: c.Bucket, ttl: ttl, client: client, presign: s3.NewPresignClient(client), now: time.Now}, nil
}

// Bucket is the bucket links point into.
func (s *Store) Bucket() string { return s.bucket }

// Link checks that the key exists (HeadObject; a missing key is
// ErrNotFound, which needs s3:ListBucket: without it S3 answers 403 for
// both) and signs a GET URL for it.
func (s *Store) Link(ctx context.Context, key string) (Link, error) {
	if err := ValidateKey(key); err != nil {
		return Link{}, err
	}
	if _, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)}); err != nil {
		var re interface{ HTTPStatusCode() int }
		var api smithy.APIError
		if errors.As(err, &re) && re.HTTPStatusCode() == http.StatusNotFound || errors.As(err, &api) && api.ErrorCode() == "NotFound" {
			return Link{}, ErrNotFound
		}
		return Link{}, fmt.Errorf("documents: head %q: %w", key, err)
	}
	signedAt := s.now()
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(s.bucket), Key: aws.String(key)},
		s3.WithPresignExpires(s.ttl))
	if err != nil {
		return Link{}, fmt.Errorf("documents: sign %q: %w", key, err)
	}
	return Link{Key: key, URL: req.URL, ExpiresIn: int(s.ttl / time.Second), ExpiresAt: signedAt.Add(s.ttl).UTC().Truncate(time.Second)}, nil
}

// KeyError is a key the API refuses, with the reason.
type KeyError struct {
	Key    string
	Reason string
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("document key %q: %s; allowed: 1 to %d bytes of UTF-8 without control characters or backslashes, no \"..\", slash-separated segments that are neither empty nor \".\"", e.Key, e.Reason, MaxKeyBytes)
}

// ValidateKey refuses keys that could name something other than one plain
// object: traversal segments, empty segments, control characters, and
// keys longer than MaxKeyBytes.
func ValidateKey(key string) error {
	bad := func(reason string) error { return &KeyError{Key: key, Reason: reason} }
	switch {
	case key == "":
		return bad("empty")
	case len(key) > MaxKeyBytes:
		return bad(fmt.Sprintf("%d bytes long", len(key)))
	case !utf8.ValidString(key):
		return bad("not valid UTF-8")
	case strings.ContainsRune(key, '\\'):
		return bad("contains a backslash")
	case strings.Contains(key, ".."):
		return bad(`contains ".."`)
	}
	for _, r := range key {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return bad(fmt.Sprintf("contains the control character %U", r))
		}
	}
	for _, seg := range strings.Split(key, "/") {
		switch seg {
		case "":
			return bad("has an empty segment (a leading, trailing or double slash)")
		case ".":
			return bad(`has a "." segment`)
		}
	}
	return nil
}
