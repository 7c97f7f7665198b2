// Package migrate creates the producer/consumer schema and the
// least-privilege application user. It runs as the master user (from the
// RDS-managed secret) inside the migrate function, or locally; every
// statement is idempotent, so running it again changes nothing but the app
// user's password, which it sets from the app secret each time (that is how
// a rotated secret reaches MySQL).
package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strings"

	"github.com/pushplatform/pushplatform/internal/store"
)

// Summary is what a run did; it holds no credential.
type Summary struct {
	Database string   `json:"database"`
	Table    string   `json:"table"`
	AppUser  string   `json:"appUser"`
	Grants   string   `json:"grants"`
	TLSOnly  bool     `json:"appUserRequiresTLS"`
	Steps    []string `json:"steps"`
}

var (
	identifier = regexp.MustCompile(`^[A-Za-z0-9_]{1,64}$`)
	// Passwords are generated from letters and digits (by the
	// infrastructure); anything else is refused rather
	// than quoted into SQL, as CREATE USER takes no bound parameters.
	password = regexp.MustCompile(`^[A-Za-z0-9]{16,128}$`)
)

// The app user's privileges, per table: on `count` the consumer inserts
// (INSERT IGNORE needs only INSERT) and reads back its batch's newest row;
// on `count_stats` the consumer updates the one statistics row and the
// producer reads it (GET /count). Nothing else: no DELETE, no DDL, no
// UPDATE of a count.
const (
	CountGrants = "SELECT, INSERT"
	StatsGrants = "SELECT, UPDATE"
	// Grants summarises both for the migration's report.
	Grants = CountGrants + " ON count; " + StatsGrants + " ON count_stats"
)

// Run applies the schema and the app user on db (connected as master).
// requireTLS makes the app user log in over TLS only (REQUIRE SSL).
func Run(ctx context.Context, db *sql.DB, database, appUser, appPassword string, requireTLS bool) (*Summary, error) {
	if !identifier.MatchString(database) {
		return nil, fmt.Errorf("database name %q: want 1-64 of A-Z a-z 0-9 _", database)
	}
	if !identifier.MatchString(appUser) {
		return nil, fmt.Errorf("app user %q: want 1-64 of A-Z a-z 0-9 _", appUser)
	}
	if !password.MatchString(appPassword) {
		return nil, fmt.Errorf("app password: want 16-128 letters and digits, got %d characters (the value is not shown)", len(appPassword))
	}
	tls := ""
	if requireTLS {
		tls = " REQUIRE SSL"
	}
	account := fmt.Sprintf("'%s'@'%%'", appUser)
	// Both MySQL 8.4 and MariaDB 10.11 accept every statement below.
	steps := []struct{ name, sql string }{
		{"create database", "CREATE DATABASE IF NOT EXISTS `" + database + "` CHARACTER SET utf8mb4"},
		{"use database", "USE `" + database + "`"},
	}
	for _, st := range store.Schema {
		steps = append(steps, struct{ name, sql string }{st.Name, st.SQL})
	}
	steps = append(steps, []struct{ name, sql string }{
		{"create app user", "CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY '" + appPassword + "'" + tls},
		{"set app user password", "ALTER USER " + account + " IDENTIFIED BY '" + appPassword + "'" + tls},
		{"grant " + CountGrants + " on count", "GRANT " + CountGrants + " ON `" + database + "`.`count` TO " + account},
		{"grant " + StatsGrants + " on count_stats", "GRANT " + StatsGrants + " ON `" + database + "`.`count_stats` TO " + account},
	}...)
	conn, err := db.Conn(ctx) // USE must apply to the following statements
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	sum := &Summary{Database: database, Table: "count", AppUser: appUser, Grants: Grants, TLSOnly: requireTLS}
	for i, s := range steps {
		if _, err := conn.ExecContext(ctx, s.sql); err != nil {
			// A syntax error quotes the statement near the fault: redact.
			msg := strings.ReplaceAll(err.Error(), appPassword, "<hidden>")
			return nil, fmt.Errorf("migration step %d of %d (%s) failed: %s", i+1, len(steps), s.name, msg)
		}
		sum.Steps = append(sum.Steps, s.name)
	}
	return sum, nil
}
