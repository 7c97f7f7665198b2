package gateway

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/testservers"
)

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

type discard struct{}

func (discard) Offer([]byte) {}

// BenchmarkGatewayOverhead posts 4 KB push messages to a fake autoendpoint
// on loopback directly (the baseline) and through the gateway (recording
// into a queue that discards), 16 at a time, and reports requests/s and
// p50/p99 latency for each; the difference is what the gateway adds.
//
//	go test -run '^$' -bench GatewayOverhead -benchtime 1x ./internal/gateway
func BenchmarkGatewayOverhead(b *testing.B) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Location", "https://push.example.com/m/abc")
		w.WriteHeader(http.StatusCreated)
	}))
	defer backend.Close()
	u := mustURL(backend.URL)
	gw := httptest.NewServer(New(u, discard{}))
	defer gw.Close()
	body := strings.Repeat("e", 4096)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 10 * time.Second}
	const n, workers = 20000, 16
	for _, target := range []struct{ name, url string }{{"direct-", backend.URL}, {"gateway-", gw.URL}} {
		lat, elapsed := testservers.Load(b, workers, n, func(int) error {
			req, _ := http.NewRequest(http.MethodPost, target.url+"/wpush/v2/token", strings.NewReader(body))
			req.Header.Set("TTL", "60")
			req.Header.Set("Authorization", "vapid t=eyJ.eyJ.s, k="+vapidKey)
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return nil
		})
		testservers.ReportLatency(b, target.name, lat, elapsed, "req/s")
	}
	b.ReportMetric(0, "ns/op")
}
