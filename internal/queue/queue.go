// Package queue is the producer/consumer queue: a Redis (Valkey) stream with
// a consumer group. A message stays pending until the consumer acknowledges
// it after its row is committed; a consumer that dies leaves its messages
// pending, and any live consumer claims them once they have been idle long
// enough (XAUTOCLAIM). Together with the unique msg_id column this gives
// no loss and no duplicates.
package queue

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/tlsconf"
)

// Config is how to reach the queue (the seed's REDIS_* names, plus TLS and AUTH).
type Config struct {
	Host     string
	Port     int
	Stream   string // REDIS_QUEUE
	Cluster  bool   // REDIS_CLUSTER: a cluster-mode endpoint
	Password string // REDIS_PASSWORD: the AUTH token
	TLS      bool
	CAFile   string
	// TLSConfig overrides the TLS settings (tests).
	TLSConfig *tls.Config
}

// ConfigFromEnv reads REDIS_HOST, REDIS_PORT, REDIS_QUEUE, REDIS_CLUSTER,
// REDIS_PASSWORD, REDIS_TLS and REDIS_TLS_CA.
func ConfigFromEnv(e *settings.Env) Config {
	return Config{
		Host:     e.String("REDIS_HOST", "127.0.0.1"),
		Port:     e.Int("REDIS_PORT", 6379, 1, 65535),
		Stream:   e.String("REDIS_QUEUE", "counts"),
		Cluster:  e.Bool("REDIS_CLUSTER", false),
		Password: e.Secret("REDIS_PASSWORD"),
		TLS:      e.Bool("REDIS_TLS", false),
		CAFile:   e.String("REDIS_TLS_CA", ""),
	}
}

// Connect opens a client (a cluster client in cluster mode). Context
// deadlines are honoured (ContextTimeoutEnabled), so a readiness check with
// a 1 s budget answers in 1 s even when Redis hangs; the read and write
// timeouts bound the calls that carry no deadline.
func Connect(c Config) (redis.UniversalClient, error) {
	tlsConf := c.TLSConfig
	if tlsConf == nil && c.TLS {
		var err error
		if tlsConf, err = tlsconf.Client(c.Host, c.CAFile, "REDIS_TLS_CA"); err != nil {
			return nil, err
		}
	}
	addr := net.JoinHostPort(c.Host, strconv.Itoa(c.Port))
	const poolSize = 64
	// No automatic retries: go-redis would resend a pipeline whose
	// connection broke after Redis ran it (a failover moving the endpoint),
	// and an XADD sent twice is a count stored twice. The producer answers
	// 503 instead (the client retries, with its Idempotency-Key), and the
	// consumer retries each step itself.
	const maxRetries = -1
	if c.Cluster {
		return redis.NewClusterClient(&redis.ClusterOptions{
			Addrs: []string{addr}, Password: c.Password, TLSConfig: tlsConf, PoolSize: poolSize, MaxRetries: maxRetries,
			DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second, ContextTimeoutEnabled: true,
		}), nil
	}
	return redis.NewClient(&redis.Options{
		Addr: addr, Password: c.Password, TLSConfig: tlsConf, PoolSize: poolSize, MaxRetries: maxRetries,
		DialTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second, WriteTimeout: 5 * time.Second, ContextTimeoutEnabled: true,
	}), nil
}

// Group is the consumer group every consumer joins.
const Group = "count-consumers"

// Field names of a stream entry.
const (
	FieldValue = "count"
	// FieldKey holds the client's Idempotency-Key, when it sent one.
	FieldKey = "key"
)

// EnsureGroup creates the stream and the group if missing.
func EnsureGroup(ctx context.Context, rdb redis.UniversalClient, stream string) error {
	err := rdb.XGroupCreateMkStream(ctx, stream, Group, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return err
	}
	return nil
}

// IsNoGroup says whether err is Redis's NOGROUP reply: the stream or the
// consumer group does not exist (any more).
func IsNoGroup(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOGROUP")
}

// Message is one queue entry.
type Message struct {
	ID    string
	Value int
	// Key is the client's Idempotency-Key, "" for none.
	Key string
	// Err is set when the entry cannot be a row (bad or missing count).
	Err error
}

func toMessages(xs []redis.XMessage) []Message {
	out := make([]Message, 0, len(xs))
	for _, x := range xs {
		m := Message{ID: x.ID}
		m.Key, _ = x.Values[FieldKey].(string)
		raw, ok := x.Values[FieldValue].(string)
		if !ok {
			m.Err = fmt.Errorf("entry %s has no %q field", x.ID, FieldValue)
		} else if v, err := strconv.ParseInt(raw, 10, 32); err != nil {
			// The column is INT: a value the producer would have refused
			// can never be a row (and INSERT IGNORE would clamp it).
			m.Err = fmt.Errorf("entry %s: %q is not an integer from -2147483648 to 2147483647", x.ID, raw)
		} else {
			m.Value = int(v)
		}
		out = append(out, m)
	}
	return out
}

// RowID is the message's unique ID in the table (msg_id): derived from the
// client's Idempotency-Key when it sent one, so however often a request is
// retried, and whichever entry carries it, it is one row; otherwise the
// stream entry ID, so a redelivered entry is one row.
func (m Message) RowID() string {
	if m.Key == "" {
		return m.ID
	}
	sum := sha256.Sum256([]byte(m.Key))
	return "k:" + hex.EncodeToString(sum[:])[:62] // msg_id is VARCHAR(64)
}

// Reader reads for one consumer of the group.
type Reader struct {
	RDB      redis.UniversalClient
	Stream   string
	Consumer string
	// MinIdle is how long a message must have been pending before another
	// consumer takes it over (its consumer is presumed dead).
	MinIdle time.Duration
	claimAt string
}

// Restart forgets where the claim scan was, for a recreated group.
func (r *Reader) Restart() { r.claimAt = "" }

// Claim takes over up to count messages that have been pending longer than
// MinIdle (their consumer is presumed dead; the claim resets the idle time,
// so two live consumers never hold the same message at once). It walks the
// pending list with a cursor across calls.
func (r *Reader) Claim(ctx context.Context, count int) ([]Message, error) {
	if r.claimAt == "" {
		r.claimAt = "0-0"
	}
	xs, next, err := r.RDB.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: r.Stream, Group: Group, Consumer: r.Consumer, MinIdle: r.MinIdle, Start: r.claimAt, Count: int64(count),
	}).Result()
	if err != nil {
		return nil, err
	}
	r.claimAt = next
	return toMessages(xs), nil
}

// Read waits up to block for messages never delivered to the group.
func (r *Reader) Read(ctx context.Context, count int, block time.Duration) ([]Message, error) {
	res, err := r.RDB.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: Group, Consumer: r.Consumer, Streams: []string{r.Stream, ">"}, Count: int64(count), Block: block,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, s := range res {
		out = append(out, toMessages(s.Messages)...)
	}
	return out, nil
}

// Ack acknowledges messages and deletes them from the stream, so the stream
// holds only what is still to do.
func (r *Reader) Ack(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	pipe := r.RDB.TxPipeline()
	pipe.XAck(ctx, r.Stream, Group, ids...)
	pipe.XDel(ctx, r.Stream, ids...)
	_, err := pipe.Exec(ctx)
	return err
}

// DeadLetter moves entries that can never become rows aside, then acks them.
func (r *Reader) DeadLetter(ctx context.Context, msgs []Message) error {
	if len(msgs) == 0 {
		return nil
	}
	pipe := r.RDB.TxPipeline()
	ids := make([]string, 0, len(msgs))
	for _, m := range msgs {
		pipe.XAdd(ctx, &redis.XAddArgs{Stream: r.Stream + ":dead", Values: []any{"id", m.ID, "error", m.Err.Error()}})
		ids = append(ids, m.ID)
	}
	pipe.XAck(ctx, r.Stream, Group, ids...)
	pipe.XDel(ctx, r.Stream, ids...)
	_, err := pipe.Exec(ctx)
	return err
}

// Backlog is the work not yet done: entries never delivered (the group's
// lag) plus entries delivered but not acknowledged (pending).
func Backlog(ctx context.Context, rdb redis.UniversalClient, stream string) (int64, error) {
	groups, err := rdb.XInfoGroups(ctx, stream).Result()
	if err != nil && strings.Contains(err.Error(), "no such key") {
		return 0, nil // no stream: nothing was ever written, or Redis lost it
	}
	if err != nil {
		return 0, err
	}
	for _, g := range groups {
		if g.Name == Group {
			lag := g.Lag
			if lag < 0 { // unknown after deletions: fall back to the stream length
				n, err := rdb.XLen(ctx, stream).Result()
				if err != nil {
					return 0, err
				}
				return n, nil
			}
			return lag + g.Pending, nil
		}
	}
	return rdb.XLen(ctx, stream).Result()
}

// delIfIdle removes a group member only if it holds no pending message,
// atomically (a script), so a member cannot take messages between the check
// and the removal and leave them orphaned.
var delIfIdle = redis.NewScript(`
if #redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2]) > 0 then return -1 end
return redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])`)

// PruneConsumers removes group members that hold no pending message and
// have been idle longer than idle: every restarted consumer is a new member
// (names are unique per process), and the dead ones would otherwise pile up
// in XINFO CONSUMERS. A live member polls every few seconds, so it is never
// idle that long. It returns how many it removed.
func PruneConsumers(ctx context.Context, rdb redis.UniversalClient, stream, self string, idle time.Duration) (int, error) {
	members, err := rdb.XInfoConsumers(ctx, stream, Group).Result()
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, m := range members {
		if m.Name == self || m.Pending > 0 || m.Idle < idle {
			continue
		}
		n, err := delIfIdle.Run(ctx, rdb, []string{stream}, Group, m.Name).Int64()
		if err != nil {
			return removed, err
		}
		if n >= 0 {
			removed++
		}
	}
	return removed, nil
}
