// Package migrate creates the producer/consumer schema and the
// least-privilege application user. It runs as the master user (from the
// RDS-managed secret) inside the migrate function, or locally; every
// statement is idempotent, so running it again changes nothing but the app
// user's password, which it sets from the app secret each time.
package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"

	"github.com/pushplatform/pushplatform/internal/store"
)

// Summary is what a run did; it holds no credential.
type Summary struct {
	Database string `json:"database"`
	Table    string `json:"table"`
	AppUser  string `json:"appUser"`
	Grants   string `json:"grants"`
}

var (
	identifier = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	// The program generates the password from letters and digits; anything
	// else is refused rather than quoted into SQL (CREATE USER accepts no
	// bound parameters).
	password = regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`)
)

// Run applies the schema and the app user on db (connected as master).
func Run(ctx context.Context, db *sql.DB, database, appUser, appPassword string, requireTLS bool) (*Summary, error) {
	if !identifier.MatchString(database) {
		return nil, fmt.Errorf("database name %q: want 1-64 of A-Z a-z 0-9 _", database)
	}
	if !identifier.MatchString(appUser) {
		return nil, fmt.Errorf("app user %q: want 1-64 of A-Z a-z 0-9 _", appUser)
	}
	if !password.MatchString(appPassword) {
		return nil, fmt.Errorf("app password: want 16-128 letters and digits (the value is not shown)")
	}
	tls := ""
	if requireTLS {
		tls = " REQUIRE SSL"
	}
	account := fmt.Sprintf("'%s'@'%%'", appUser)
	grants := "SELECT, INSERT"
	stmts := []string{
		"CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4",
		"USE `" + database + "`",
		store.Schema,
		"CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + appPassword + "'" + tls,
		"ALTER USER " + account + " IDENTIFIED BY '" + appPassword + "'" + tls,
		"GRANT " + grants + " ON `" + database + "`.`count` TO " + account,
	}
	conn, err := db.Conn(ctx) // USE must apply to the following statements
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	for i, s := range stmts {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("migration step %d of %d failed: %w", i+1, len(stmts), err)
		}
	}
	return &Summary{Database: database, Table: "count", AppUser: appUser, Grants: grants}, nil
}
