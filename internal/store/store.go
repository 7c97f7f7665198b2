// Package store is the MySQL side of the producer/consumer: the seed's
// `count` table (id, count_value) plus msg_id, the queue entry each row came
// from, unique so a redelivered entry can never become a second row.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/tlsconf"
)

// Config is how to reach the database (the seed's DB_* names, plus TLS).
type Config struct {
	Host, User, Password, Name string
	Port                       int
	// TLS requires TLS (RDS enforces it with require_secure_transport);
	// CAFile adds a CA bundle (the RDS one) to the system roots.
	TLS    bool
	CAFile string
}

// ConfigFromEnv reads DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME,
// DB_TLS and DB_TLS_CA.
func ConfigFromEnv(e *settings.Env) Config {
	return Config{
		Host:     e.String("DB_HOST", "127.0.0.1"),
		Port:     e.Int("DB_PORT", 3306, 1, 65535),
		User:     e.String("DB_USER", "root"),
		Password: e.Secret("DB_PASSWORD"),
		Name:     e.String("DB_NAME", "pushplatform"),
		TLS:      e.Bool("DB_TLS", false),
		CAFile:   e.String("DB_TLS_CA", ""),
	}
}

// DSN renders the driver DSN; the password never appears in errors we log.
func (c Config) DSN() (string, error) {
	mc := mysql.NewConfig()
	mc.User, mc.Passwd, mc.DBName = c.User, c.Password, c.Name
	mc.Net, mc.Addr = "tcp", fmt.Sprintf("%s:%d", c.Host, c.Port)
	mc.ParseTime = true
	mc.Timeout, mc.ReadTimeout, mc.WriteTimeout = 5*time.Second, 30*time.Second, 30*time.Second
	if c.TLS {
		conf, err := tlsconf.Client(c.Host, c.CAFile, "DB_TLS_CA")
		if err != nil {
			return "", err
		}
		name := "pushplatform-" + c.Host
		if err := mysql.RegisterTLSConfig(name, conf); err != nil {
			return "", err
		}
		mc.TLSConfig = name
	}
	return mc.FormatDSN(), nil
}

// Open connects and pings.
func Open(ctx context.Context, c Config) (*sql.DB, error) {
	dsn, err := c.DSN()
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("mysql", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	db.SetConnMaxLifetime(10 * time.Minute)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("mysql %s:%d as %s: %w", c.Host, c.Port, c.User, err)
	}
	return db, nil
}

// The tables. `count` holds one row per count; `count_stats` holds one row
// (id 1) with the row count and the newest row's id and value, kept by the
// consumer in the same transaction as its inserts, so GET /count is one
// primary-key read however large `count` grows.
const (
	countTable = "CREATE TABLE IF NOT EXISTS `count` (" +
		"`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, " +
		"`count_value` INT NOT NULL, " +
		"`msg_id` VARCHAR(64) NOT NULL, " +
		"`created_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), " +
		"UNIQUE KEY `uq_count_msg_id` (`msg_id`)" +
		") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
	statsTable = "CREATE TABLE IF NOT EXISTS `count_stats` (" +
		"`id` TINYINT NOT NULL PRIMARY KEY, " +
		"`rows_count` BIGINT NOT NULL, " +
		"`latest_id` BIGINT NOT NULL, " +
		"`latest_value` INT NOT NULL" +
		") ENGINE=InnoDB"
	// seedStats fills the statistics row from the table once, when it is
	// missing (the first migration, or the one that adds it to a live
	// table); the constant condition keeps later runs from scanning, and
	// IGNORE drops the one aggregate row they still produce.
	seedStats = "INSERT IGNORE INTO `count_stats` (`id`, `rows_count`, `latest_id`, `latest_value`) " +
		"SELECT 1, COUNT(*), COALESCE(MAX(`id`), 0), " +
		"COALESCE((SELECT `count_value` FROM `count` ORDER BY `id` DESC LIMIT 1), 0) FROM `count` " +
		"WHERE NOT EXISTS (SELECT 1 FROM `count_stats` WHERE `id` = 1)"
)

// Schema is every statement that creates the tables, in order; each is
// safe to run again.
var Schema = []struct{ Name, SQL string }{
	{"create table count", countTable},
	{"create table count_stats", statsTable},
	{"seed count_stats", seedStats},
}

// execer is a *sql.DB, *sql.Conn or *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// CreateSchema runs Schema.
func CreateSchema(ctx context.Context, db execer) error {
	for _, st := range Schema {
		if _, err := db.ExecContext(ctx, st.SQL); err != nil {
			return fmt.Errorf("%s: %w", st.Name, err)
		}
	}
	return nil
}

// ErrNoStats means the statistics row does not exist: the migration has
// not run yet. The consumer's transaction rolls back and retries.
var ErrNoStats = errors.New("the count_stats row does not exist yet; the migration creates it")

// Row is one count to store.
type Row struct {
	MsgID string
	Value int
}

// InsertBatch stores rows in one transaction; rows whose msg_id is already
// stored are skipped (a redelivery after a crash between commit and ack).
// The statistics row is updated in the same transaction: the new rows
// added to the count, and the newest row (highest id) of the batch
// recorded if it is newer than the one there, so concurrent consumers
// committing in any order leave exactly what a full count and the last row
// would show. It returns how many rows were new.
func InsertBatch(ctx context.Context, db *sql.DB, rows []Row) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	var b strings.Builder
	b.WriteString("INSERT IGNORE INTO `count` (`msg_id`, `count_value`) VALUES ")
	args := make([]any, 0, 2*len(rows))
	ids := make([]any, 0, len(rows))
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?)")
		args = append(args, r.MsgID, r.Value)
		ids = append(ids, r.MsgID)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	res, err := tx.ExecContext(ctx, b.String(), args...)
	if err != nil {
		return 0, err
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if inserted > 0 {
		if hookBeforeStats != nil {
			hookBeforeStats()
		}
		var newestID, newestValue int64
		q := "SELECT `id`, `count_value` FROM `count` WHERE `msg_id` IN (?" + strings.Repeat(",?", len(ids)-1) + ") ORDER BY `id` DESC LIMIT 1"
		if err := tx.QueryRowContext(ctx, q, ids...).Scan(&newestID, &newestValue); err != nil {
			return 0, fmt.Errorf("newest row of the batch: %w", err)
		}
		up, err := tx.ExecContext(ctx, "UPDATE `count_stats` SET `rows_count` = `rows_count` + ?, "+
			"`latest_value` = IF(? > `latest_id`, ?, `latest_value`), `latest_id` = GREATEST(`latest_id`, ?) WHERE `id` = 1",
			inserted, newestID, newestValue, newestID)
		if err != nil {
			return 0, fmt.Errorf("update count_stats: %w", err)
		}
		if n, err := up.RowsAffected(); err != nil || n != 1 {
			return 0, ErrNoStats
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return inserted, nil
}

// hookBeforeStats, set only by tests, runs between a batch's insert and
// its statistics update, so a test can commit another batch in between.
var hookBeforeStats func()

// Counts returns the number of rows and the newest value (0 when empty):
// one primary-key read of the statistics row.
func Counts(ctx context.Context, db *sql.DB) (rows int64, latest int64, err error) {
	err = db.QueryRowContext(ctx, "SELECT `rows_count`, `latest_value` FROM `count_stats` WHERE `id` = 1").Scan(&rows, &latest)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, ErrNoStats
	}
	return rows, latest, err
}

// FullCounts computes what Counts reads by scanning the table; tests
// compare the two.
func FullCounts(ctx context.Context, db *sql.DB) (rows int64, latest int64, err error) {
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM `count`").Scan(&rows); err != nil {
		return 0, 0, err
	}
	err = db.QueryRowContext(ctx, "SELECT `count_value` FROM `count` ORDER BY `id` DESC LIMIT 1").Scan(&latest)
	if errors.Is(err, sql.ErrNoRows) {
		return rows, 0, nil
	}
	return rows, latest, err
}
