package store_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// TestTLSOnlyServer: against a server that refuses clients without TLS (as
// RDS with require_secure_transport), DB_TLS with the server's CA works and
// a plain connection is refused.
func TestTLSOnlyServer(t *testing.T) {
	m := testservers.StartMariaDBWith(t, testservers.MariaDBOptions{TLS: true})
	ctx := context.Background()
	cfg := store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", TLS: true, CAFile: m.CAFile}
	// The server may still be starting: retry the TLS login for a while.
	var err error
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		db, openErr := store.Open(ctx, cfg)
		if err = openErr; err == nil {
			db.Close()
			break
		}
	}
	if err != nil {
		t.Fatalf("TLS connection with the server's CA failed: %v", err)
	}
	plain := cfg
	plain.TLS = false
	if db, err := store.Open(ctx, plain); err == nil {
		db.Close()
		t.Fatal("a plain connection to a TLS-only server succeeded")
	}
	untrusted := cfg
	untrusted.CAFile = ""
	if db, err := store.Open(ctx, untrusted); err == nil {
		db.Close()
		t.Fatal("a TLS connection trusted a certificate outside the CA bundle")
	} else if !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("want a certificate verification error, got %v", err)
	}
}

func TestCountsAndIdempotentInserts(t *testing.T) {
	m := testservers.StartMariaDB(t)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: m.CreateDatabase(t, "pushplatform")})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := store.CreateSchema(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	if rows, latest, err := store.Counts(ctx, db); err != nil || rows != 0 || latest != 0 {
		t.Fatalf("empty table: %d rows, latest %d, %v", rows, latest, err)
	}
	n, err := store.InsertBatch(ctx, db, []store.Row{{"1-0", 10}, {"2-0", 20}})
	if err != nil || n != 2 {
		t.Fatalf("insert: %d new, %v", n, err)
	}
	// A redelivered batch (one old entry, one new) adds only the new row.
	n, err = store.InsertBatch(ctx, db, []store.Row{{"2-0", 20}, {"3-0", 30}})
	if err != nil || n != 1 {
		t.Fatalf("redelivery: %d new, %v; want 1", n, err)
	}
	if rows, latest, err := store.Counts(ctx, db); err != nil || rows != 3 || latest != 30 {
		t.Fatalf("%d rows, latest %d, %v; want 3 and 30", rows, latest, err)
	}
}

// TestStatsMatchAFullCountUnderConcurrentCommits: four writers commit
// overlapping batches at once (as consumers racing on redeliveries); the
// statistics row must then say exactly what COUNT(*) and the last row say.
// It also starts from rows that predate the statistics table: the seed
// counts them once.
func TestStatsMatchAFullCountUnderConcurrentCommits(t *testing.T) {
	ctx := context.Background()
	db := testservers.CountDB(t)
	// Rows written before the statistics existed (a live table upgraded).
	if _, err := db.Exec("DROP TABLE `count_stats`"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO `count` (`msg_id`, `count_value`) VALUES ('old-1', 5), ('old-2', 6)"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Counts(ctx, db); err == nil {
		t.Fatal("Counts without the statistics table must fail, not answer 0")
	}
	for range 2 { // the seed counts them once, however often it runs
		if err := store.CreateSchema(ctx, db); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range 50 {
				var rows []store.Row
				for i := range 40 {
					// Batches overlap across writers: half the IDs repeat.
					id := (b*40 + i) * 2 / (1 + w%2)
					rows = append(rows, store.Row{MsgID: fmt.Sprintf("m-%d", id), Value: id})
				}
				// Overlapping batches can deadlock on the unique index;
				// the transaction then rolls back whole, statistics
				// included, and is retried, as the consumer does.
				for attempt := 0; ; attempt++ {
					_, err := store.InsertBatch(ctx, db, rows)
					if err == nil {
						break
					}
					if attempt == 20 || !strings.Contains(err.Error(), "Deadlock") {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	gotRows, gotLatest, err := store.Counts(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	wantRows, wantLatest, err := store.FullCounts(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if gotRows != wantRows || gotLatest != wantLatest {
		t.Fatalf("statistics say %d rows, latest %d; the table has %d rows, latest %d", gotRows, gotLatest, wantRows, wantLatest)
	}
	t.Logf("%d rows, latest %d, from 4 concurrent writers", gotRows, gotLatest)
}

// TestStatsWhenAnOlderBatchCommitsLast: batch A inserts first (lower ids),
// batch B inserts and commits, then A commits. The newest row is B's; A's
// later commit must not make its own older row the "latest".
func TestStatsWhenAnOlderBatchCommitsLast(t *testing.T) {
	ctx := context.Background()
	db := testservers.CountDB(t)
	aPaused, bDone := make(chan struct{}), make(chan struct{})
	var first atomic.Bool
	store.SetHookBeforeStats(func() {
		if first.CompareAndSwap(false, true) { // only A, the first, waits
			close(aPaused)
			<-bDone
		}
	})
	defer store.SetHookBeforeStats(nil)
	aErr := make(chan error, 1)
	go func() {
		_, err := store.InsertBatch(ctx, db, []store.Row{{"a-1", 1}, {"a-2", 2}})
		aErr <- err
	}()
	<-aPaused
	if _, err := store.InsertBatch(ctx, db, []store.Row{{"b-1", 100}, {"b-2", 200}}); err != nil {
		t.Fatal(err)
	}
	close(bDone)
	if err := <-aErr; err != nil {
		t.Fatal(err)
	}
	gotRows, gotLatest, _ := store.Counts(ctx, db)
	wantRows, wantLatest, _ := store.FullCounts(ctx, db)
	if gotRows != wantRows || gotLatest != wantLatest || gotLatest != 200 {
		t.Fatalf("statistics say %d rows, latest %d; the table has %d, latest %d (want latest 200)", gotRows, gotLatest, wantRows, wantLatest)
	}
}
