package testservers

import (
	"context"
	"database/sql"
	"testing"

	"github.com/pushplatform/pushplatform/internal/store"
)

// CountDB starts a MariaDB, creates a database with the apps' schema and
// returns it opened as root, closed when the test ends.
func CountDB(t testing.TB) *sql.DB {
	t.Helper()
	m := StartMariaDB(t)
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", Name: m.CreateDatabase(t, "pushplatform")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := store.CreateSchema(ctx, db); err != nil {
		t.Fatal(err)
	}
	return db
}
