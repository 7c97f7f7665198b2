package store_test

import (
	"context"
	"strings"
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
	if _, err := db.Exec(store.Schema); err != nil {
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
