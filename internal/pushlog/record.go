// Package pushlog is the push-message record: one JSON line per push
// message autoendpoint accepted or refused, written by the push gateway
// (internal/gateway), shipped through Firehose to S3, and read by the
// push-processor. autopush-rs 1.71.7 logs no such line (its logs carry no
// sender key), so the gateway in front of it writes them.
package pushlog

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Record is one push message. Field names follow what the retired Python
// autoendpoint logged for push-processor (jwt_crypto_key, message_id,
// message_size, message_ttl), shortened.
type Record struct {
	// Timestamp is when the gateway answered, in epoch milliseconds.
	Timestamp int64 `json:"timestamp"`
	// VAPIDKey is the sender's VAPID public key (base64url, the k= of the
	// Authorization header); empty for a sender without VAPID.
	VAPIDKey string `json:"vapid_key"`
	// MessageID is autoendpoint's message ID (the last segment of its
	// Location answer); empty when it stored nothing.
	MessageID string `json:"message_id"`
	// Size is the request body's length in bytes (the encrypted payload).
	Size int64 `json:"size"`
	// TTL is the TTL header in seconds (-1 when missing or malformed).
	TTL int64 `json:"ttl"`
	// Status is autoendpoint's HTTP status.
	Status int `json:"status"`
}

// MaxKeyLength bounds a VAPID key: an uncompressed P-256 point is 65
// bytes, 87 characters of unpadded base64url; room for padding and
// mistakes, not for abuse.
const MaxKeyLength = 128

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_\-]+=*$`)

// ValidKey says whether a VAPID key is base64url and at most MaxKeyLength.
func ValidKey(k string) bool { return len(k) <= MaxKeyLength && keyPattern.MatchString(k) }

// VAPIDKey reads the sender's public key from a push request: the RFC 8292
// form "Authorization: vapid t=<JWT>, k=<key>", or the draft form
// "Authorization: WebPush <JWT>" with "Crypto-Key: p256ecdsa=<key>".
// Empty when there is none or it is malformed.
func VAPIDKey(h http.Header) string {
	auth := strings.TrimSpace(h.Get("Authorization"))
	scheme, params, _ := strings.Cut(auth, " ")
	var k string
	switch strings.ToLower(scheme) {
	case "vapid":
		for _, p := range strings.Split(params, ",") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "k="); ok {
				k = v
			}
		}
	case "webpush":
		for _, part := range strings.FieldsFunc(h.Get("Crypto-Key"), func(r rune) bool { return r == ';' || r == ',' }) {
			if v, ok := strings.CutPrefix(strings.TrimSpace(part), "p256ecdsa="); ok {
				k = v
			}
		}
	}
	k = strings.Trim(k, `"`)
	if !ValidKey(k) {
		return ""
	}
	return k
}

// MessageID is the last path segment of autoendpoint's Location header
// (https://<host>/m/<message id>).
func MessageID(location string) string {
	u, err := url.Parse(location)
	if err != nil {
		return ""
	}
	path := strings.TrimSuffix(u.Path, "/")
	if i := strings.LastIndex(path, "/m/"); i >= 0 {
		return path[i+3:]
	}
	return ""
}

// TTL reads the TTL header; -1 when it is missing or not a number.
func TTL(h http.Header) int64 {
	v, err := strconv.ParseInt(strings.TrimSpace(h.Get("TTL")), 10, 64)
	if err != nil || v < 0 {
		return -1
	}
	return v
}

// Marshal is the record as one line, newline included (Firehose joins
// records as they come).
func (r Record) Marshal() []byte {
	b, _ := json.Marshal(r) // a fixed struct of strings and numbers
	return append(b, '\n')
}

// ErrMalformed is a line that is not a record.
var ErrMalformed = errors.New("malformed record")

// Parse reads one line back, checking what the processor relies on.
func Parse(line []byte) (Record, error) {
	var r Record
	dec := json.NewDecoder(strings.NewReader(string(line)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return Record{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if r.Timestamp <= 0 || r.Size < 0 || r.Status < 100 || r.Status > 599 || r.VAPIDKey != "" && !ValidKey(r.VAPIDKey) || len(r.MessageID) > 256 {
		return Record{}, fmt.Errorf("%w: field out of range", ErrMalformed)
	}
	return r, nil
}
