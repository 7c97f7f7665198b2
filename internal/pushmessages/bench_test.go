package pushmessages

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	pp "github.com/pushplatform/pushplatform/internal/pushprocessor"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// BenchmarkMessages serves GET /messages/{key} (a registered key with a
// full list of 100 messages in local Valkey) and, as the baseline on the
// same server, GET /__lbheartbeat__, 16 requests at a time, and reports
// requests/s, p50 and p99 of each.
//
//	go test -run '^$' -bench Messages -benchtime 1x ./internal/pushmessages
func BenchmarkMessages(b *testing.B) {
	r := testservers.StartRedis(b, testservers.RedisOptions{})
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr, PoolSize: 32})
	defer rdb.Close()
	ctx := context.Background()
	rdb.HSet(ctx, pp.RegisteredKeys, keyA, "1")
	for i := range 100 {
		e, _ := json.Marshal(pp.Entry{ID: fmt.Sprintf("gAAAAAB%030d", i), Timestamp: time.Now().Unix(), Size: 3070, TTL: 86400})
		rdb.LPush(ctx, keyA, e)
	}
	srv := httptest.NewServer(&API{Redis: rdb, Token: token})
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, Timeout: 10 * time.Second}
	const n, workers = 20000, 16
	for _, c := range []struct{ name, path string }{{"baseline-", "/__lbheartbeat__"}, {"messages-", "/messages/" + keyA}} {
		lat, elapsed := testservers.Load(b, workers, n, func(int) error {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 {
				return fmt.Errorf("%s: %d", c.path, res.StatusCode)
			}
			return nil
		})
		testservers.ReportLatency(b, c.name, lat, elapsed, "req/s")
	}
	b.ReportMetric(0, "ns/op")
}
