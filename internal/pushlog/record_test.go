package pushlog

import (
	"errors"
	"net/http"
	"testing"
)

const key = "BOrXhU1dwFMCeoIYtbSXHTDoEXSQBj3cJ0lFyG9e_6kKkqbZiPkpFKQ9SlBgj3TnxfWKN8TAmrkLKsAUDeHs3WQ"

func TestVAPIDKey(t *testing.T) {
	for name, h := range map[string]http.Header{
		"rfc8292":      {"Authorization": {"vapid t=eyJ0eXAi.eyJhdWQi.sig, k=" + key}},
		"rfc8292 caps": {"Authorization": {"VAPID k=" + key + ",t=eyJ.eyJ.s"}},
		"draft":        {"Authorization": {"WebPush eyJ.eyJ.s"}, "Crypto-Key": {"dh=BDd3;p256ecdsa=" + key}},
	} {
		if got := VAPIDKey(h); got != key {
			t.Errorf("%s: %q", name, got)
		}
	}
	for name, h := range map[string]http.Header{
		"none":      {},
		"bearer":    {"Authorization": {"Bearer x"}},
		"no k":      {"Authorization": {"vapid t=eyJ.eyJ.s"}},
		"bad chars": {"Authorization": {"vapid t=x, k=<script>"}},
		"too long":  {"Authorization": {"vapid t=x, k=" + key + key}},
	} {
		if got := VAPIDKey(h); got != "" {
			t.Errorf("%s: %q, want none", name, got)
		}
	}
}

func TestMessageIDAndTTL(t *testing.T) {
	if got := MessageID("https://push.example.com/m/gAAAAABk-abc_123"); got != "gAAAAABk-abc_123" {
		t.Errorf("message id %q", got)
	}
	if MessageID("") != "" || MessageID("https://x/wpush/v2/abc") != "" {
		t.Error("no message id in other paths")
	}
	if TTL(http.Header{"Ttl": {"60"}}) != 60 || TTL(http.Header{}) != -1 || TTL(http.Header{"Ttl": {"abc"}}) != -1 {
		t.Error("TTL")
	}
}

func TestRoundTripAndMalformed(t *testing.T) {
	r := Record{Timestamp: 1796239894123, VAPIDKey: key, MessageID: "m1", Size: 3070, TTL: 60, Status: 201}
	line := r.Marshal()
	if line[len(line)-1] != '\n' {
		t.Fatal("a record is one line")
	}
	got, err := Parse(line)
	if err != nil || got != r {
		t.Fatalf("parse %s: %+v %v", line, got, err)
	}
	for _, bad := range []string{`not json`, `{"timestamp":0,"status":201}`, `{"timestamp":1,"status":99}`, `{"timestamp":1,"status":201,"extra":1}`, `{"timestamp":1,"status":201,"vapid_key":"<x>"}`, `[]`} {
		if _, err := Parse([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
