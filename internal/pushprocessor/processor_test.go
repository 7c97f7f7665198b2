package pushprocessor

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/redis/go-redis/v9"

	"github.com/pushplatform/pushplatform/internal/pushlog"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const (
	keyA  = "BOrXhU1dwFMCeoIYtbSXHTDoEXSQBj3cJ0lFyG9e_6kKkqbZiPkpFKQ9SlBgj3TnxfWKN8TAmrkLKsAUDeHs3WQ"
	keyB  = "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM"
	table = "push-messages"
)

type fixture struct {
	p   *Processor
	rdb *redis.Client
	db  *testservers.Dynamo
}

func newFixture(t *testing.T) *fixture { return newFixtureTB(t) }

func newFixtureTB(t testing.TB) *fixture {
	t.Helper()
	r := testservers.StartRedis(t, testservers.RedisOptions{})
	rdb := redis.NewClient(&redis.Options{Addr: r.Addr})
	t.Cleanup(func() { rdb.Close() })
	db := testservers.StartDynamo(t)
	db.CreateTable(t, table, AttrKey, AttrSortKey)
	return &fixture{p: &Processor{Redis: rdb, DB: db.Client, Table: table, Keep: 5}, rdb: rdb, db: db}
}

// gz makes an object as Firehose writes it: records joined, gzip.
func gz(lines ...string) *bytes.Reader {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	for _, l := range lines {
		w.Write([]byte(l))
		if !strings.HasSuffix(l, "\n") {
			w.Write([]byte("\n"))
		}
	}
	w.Close()
	return bytes.NewReader(b.Bytes())
}

func rec(key, id string, ms int64) string {
	return string(pushlog.Record{Timestamp: ms, VAPIDKey: key, MessageID: id, Size: 100, TTL: 60, Status: 201}.Marshal())
}

func (f *fixture) items(t *testing.T, key string) []map[string]types.AttributeValue {
	out, err := f.db.Client.Query(context.Background(), &dynamodb.QueryInput{
		TableName: aws.String(table), KeyConditionExpression: aws.String("vapidKey = :k"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":k": &types.AttributeValueMemberS{Value: key}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out.Items
}

func (f *fixture) list(t *testing.T, key string) []Entry {
	raw, err := f.rdb.LRange(context.Background(), key, 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	var out []Entry
	for _, r := range raw {
		var e Entry
		if err := json.Unmarshal([]byte(r), &e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// TestProcess: registered keys' messages reach the capped list and the
// table; unregistered keys, records without a message and malformed
// lines are counted and skipped; a second delivery changes nothing.
func TestProcess(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.rdb.HSet(ctx, RegisteredKeys, keyA, "1")
	base := time.Now().UnixMilli()
	var lines []string
	for i := range 7 {
		lines = append(lines, rec(keyA, fmt.Sprint("m", i), base+int64(i)))
	}
	lines = append(lines,
		rec(keyB, "other", base),                              // not registered
		`{"timestamp":1,"vapid_key":"`+keyA+`","status":410}`, // nothing stored
		`{"broken json`, `{"timestamp":5,"status":201,"surprise":true}`,
	)
	st, err := f.p.Process(ctx, gz(lines...))
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Lines: 11, Stored: 7, Unregistered: 1, NotStored: 1, Malformed: 2}) {
		t.Errorf("stats %+v", st)
	}
	list := f.list(t, keyA)
	if len(list) != 5 || list[0].ID != "m6" || list[4].ID != "m2" || list[0].Size != 100 || list[0].TTL != 60 || list[0].Timestamp != (base+6)/1000 {
		t.Errorf("list %+v, want the 5 newest, newest first", list)
	}
	items := f.items(t, keyA)
	if len(items) != 7 {
		t.Errorf("%d items, want 7", len(items))
	}
	if n := len(f.items(t, keyB)); n != 0 {
		t.Errorf("an unregistered key got %d items", n)
	}
	sk := items[0][AttrSortKey].(*types.AttributeValueMemberS).Value
	if sk != SortKey(base, "m0") || len(strings.Split(sk, "#")[0]) != 13 {
		t.Errorf("sort key %q", sk)
	}

	// S3 delivers the same event again.
	st, err = f.p.Process(ctx, gz(lines...))
	if err != nil || st.Stored != 0 || st.Duplicates != 7 {
		t.Fatalf("second delivery: %+v %v", st, err)
	}
	if got := f.list(t, keyA); len(got) != 5 || got[0].ID != "m6" {
		t.Errorf("the list changed on a second delivery: %+v", got)
	}
	if n := len(f.items(t, keyA)); n != 7 {
		t.Errorf("%d items after a second delivery", n)
	}
}

// TestFailingTableWrite: a table write that fails fails the invocation;
// the retry (after the table is back) completes it without doubling the
// list.
func TestFailingTableWrite(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.rdb.HSet(ctx, RegisteredKeys, keyA, "1")
	f.p.Table = "missing-table"
	obj := []string{rec(keyA, "x1", time.Now().UnixMilli()), rec(keyA, "x2", time.Now().UnixMilli()+1)}
	if _, err := f.p.Process(ctx, gz(obj...)); err == nil || !strings.Contains(err.Error(), "missing-table") {
		t.Fatalf("want the table write's error, got %v", err)
	}
	f.p.Table = table
	st, err := f.p.Process(ctx, gz(obj...))
	if err != nil || st.Duplicates != 2 || st.Stored != 0 {
		t.Fatalf("retry: %+v %v", st, err)
	}
	if len(f.list(t, keyA)) != 2 || len(f.items(t, keyA)) != 2 {
		t.Errorf("after the retry: list %d, items %d", len(f.list(t, keyA)), len(f.items(t, keyA)))
	}
}

func TestNotGzip(t *testing.T) {
	p := &Processor{}
	if _, err := p.Process(context.Background(), strings.NewReader("plain text")); err == nil || !strings.Contains(err.Error(), "gzip") {
		t.Errorf("got %v", err)
	}
}
