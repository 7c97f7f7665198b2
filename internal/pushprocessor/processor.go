// Package pushprocessor turns the push-message records Firehose wrote to
// S3 (gzip JSON lines, internal/pushlog) into what the Push Messages API
// reads, for the VAPID keys registered with it:
//   - Valkey: the latest Keep messages per key, as upstream push-processor
//     0.4 kept them: the hash registered_keys names the keys, and a list
//     named by the key holds {"id","timestamp","size","ttl"} entries,
//     newest first, trimmed to Keep;
//   - DynamoDB: one item per message in the push-messages table
//     (vapidKey, sentAtId = 13-digit epoch ms + "#" + message id,
//     expiresAt), so the history outlives a cache loss.
//
// Processing an object twice changes nothing: a set of the IDs already
// listed guards the Valkey list, and the table item's key is derived
// from the record, so writing it again writes the same item.
package pushprocessor

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/pushlog"
)

// Layout names shared with the Push Messages API.
const (
	// RegisteredKeys is the hash of registered VAPID keys (upstream's name).
	RegisteredKeys = "registered_keys"
	// DefaultKeep is how many messages a key's list holds (upstream ~100).
	DefaultKeep = 100
	// Table attributes (components/datastores).
	AttrKey       = "vapidKey"
	AttrSortKey   = "sentAtId"
	AttrExpiresAt = "expiresAt"
	AttrID        = "messageId"
	AttrTimestamp = "timestamp"
	AttrSize      = "size"
	AttrTTL       = "ttl"
	AttrStatus    = "status"
)

// SeenKey is the set of message IDs already listed for a key.
func SeenKey(vapidKey string) string { return "seen:" + vapidKey }

// Entry is one message as the list and the API hold it.
type Entry struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"` // epoch seconds
	Size      int64  `json:"size"`
	TTL       int64  `json:"ttl"`
}

// SortKey orders a key's items by time: 13-digit epoch ms, "#", the ID.
func SortKey(ms int64, id string) string { return fmt.Sprintf("%013d#%s", ms, id) }

// DynamoAPI is the part of the DynamoDB client the processor uses.
type DynamoAPI interface {
	BatchWriteItem(ctx context.Context, in *dynamodb.BatchWriteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// Processor writes records of registered keys to Valkey and DynamoDB.
type Processor struct {
	Redis redis.UniversalClient
	DB    DynamoAPI
	Table string
	// Keep is the list length per key (DefaultKeep).
	Keep int
	// Retention is how long a table item lives (its expiresAt), and how
	// long the seen-IDs set outlives its last write.
	Retention time.Duration
	Log       *slog.Logger
}

// Stats count what one object held.
type Stats struct {
	Lines, Stored, Duplicates, Unregistered, NotStored, Malformed int
}

// MaxLineBytes bounds one record line.
const MaxLineBytes = 64 << 10

// dynamoBatch is BatchWriteItem's limit of 25 requests.
const dynamoBatch = 25

// listScript adds an entry unless its ID was listed before, and trims the
// list; KEYS[1] the list, KEYS[2] the seen set; ARGV id, entry, keep,
// seconds the seen set lives.
var listScript = redis.NewScript(`
if redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('LPUSH', KEYS[1], ARGV[2])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
return 1
`)

// Process reads one gzip object of records. Malformed lines are counted
// and skipped; a Valkey or DynamoDB failure is returned (the invocation
// fails, Lambda retries it, and a retry repeats nothing already done).
func (p *Processor) Process(ctx context.Context, object io.Reader) (Stats, error) {
	var st Stats
	zr, err := gzip.NewReader(object)
	if err != nil {
		return st, fmt.Errorf("object is not gzip: %w", err)
	}
	defer zr.Close()
	keep := p.Keep
	if keep <= 0 {
		keep = DefaultKeep
	}
	registered := map[string]bool{}
	var items []types.WriteRequest
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 4096), MaxLineBytes)
	for sc.Scan() {
		line := sc.Bytes()
		if len(line) == 0 {
			continue
		}
		st.Lines++
		rec, err := pushlog.Parse(line)
		if err != nil {
			st.Malformed++
			continue
		}
		if rec.VAPIDKey == "" || rec.MessageID == "" {
			st.NotStored++ // no sender key, or autoendpoint stored nothing
			continue
		}
		ok, known := registered[rec.VAPIDKey]
		if !known {
			if ok, err = p.Redis.HExists(ctx, RegisteredKeys, rec.VAPIDKey).Result(); err != nil {
				return st, fmt.Errorf("registered keys: %w", err)
			}
			registered[rec.VAPIDKey] = ok
		}
		if !ok {
			st.Unregistered++
			continue
		}
		entry, _ := json.Marshal(Entry{ID: rec.MessageID, Timestamp: rec.Timestamp / 1000, Size: rec.Size, TTL: rec.TTL})
		added, err := listScript.Run(ctx, p.Redis, []string{rec.VAPIDKey, SeenKey(rec.VAPIDKey)},
			rec.MessageID, entry, keep, int(p.retention().Seconds())).Int()
		if err != nil {
			return st, fmt.Errorf("list %s: %w", rec.VAPIDKey, err)
		}
		if added == 0 {
			st.Duplicates++
		} else {
			st.Stored++
		}
		items = append(items, p.item(rec))
		if len(items) == dynamoBatch {
			if err := p.write(ctx, items); err != nil {
				return st, err
			}
			items = items[:0]
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return st, fmt.Errorf("a line over %d bytes: %w", MaxLineBytes, err)
		}
		return st, fmt.Errorf("read object: %w", err)
	}
	if err := p.write(ctx, items); err != nil {
		return st, err
	}
	return st, nil
}

func (p *Processor) retention() time.Duration {
	if p.Retention <= 0 {
		return 30 * 24 * time.Hour
	}
	return p.Retention
}

func (p *Processor) item(r pushlog.Record) types.WriteRequest {
	n := func(v int64) types.AttributeValue {
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
	}
	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	expires := time.UnixMilli(r.Timestamp).Add(p.retention()).Unix()
	return types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
		AttrKey: s(r.VAPIDKey), AttrSortKey: s(SortKey(r.Timestamp, r.MessageID)), AttrExpiresAt: n(expires),
		AttrID: s(r.MessageID), AttrTimestamp: n(r.Timestamp / 1000), AttrSize: n(r.Size), AttrTTL: n(r.TTL), AttrStatus: n(int64(r.Status)),
	}}}
}

// write puts items with BatchWriteItem, resending what DynamoDB left
// unprocessed, a few times with backoff.
func (p *Processor) write(ctx context.Context, items []types.WriteRequest) error {
	pending := items
	backoff := 50 * time.Millisecond
	for attempt := 1; len(pending) > 0; attempt++ {
		out, err := p.DB.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{p.Table: pending}})
		if err != nil {
			return fmt.Errorf("write %d items to %s: %w", len(pending), p.Table, err)
		}
		pending = out.UnprocessedItems[p.Table]
		if len(pending) == 0 {
			return nil
		}
		if attempt == 5 {
			return fmt.Errorf("write to %s: %d items still unprocessed after %d attempts", p.Table, len(pending), attempt)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff):
		}
		backoff *= 2
	}
	return nil
}

// The SDK's client is what production passes.
var _ DynamoAPI = (*dynamodb.Client)(nil)
