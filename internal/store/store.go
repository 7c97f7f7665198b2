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

// Schema creates the count table. Safe to run again.
const Schema = "CREATE TABLE IF NOT EXISTS `count` (" +
	"`id` BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, " +
	"`count_value` INT NOT NULL, " +
	"`msg_id` VARCHAR(64) NOT NULL, " +
	"`created_at` TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6), " +
	"UNIQUE KEY `uq_count_msg_id` (`msg_id`)" +
	") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"

// Row is one count to store.
type Row struct {
	MsgID string
	Value int
}

// InsertBatch stores rows in one transaction; rows whose msg_id is already
// stored are skipped (a redelivery after a crash between commit and ack).
// It returns how many rows were new.
func InsertBatch(ctx context.Context, db *sql.DB, rows []Row) (int64, error) {
	if len(rows) == 0 {
		return 0, nil
	}
	var b strings.Builder
	b.WriteString("INSERT IGNORE INTO `count` (`msg_id`, `count_value`) VALUES ")
	args := make([]any, 0, 2*len(rows))
	for i, r := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?)")
		args = append(args, r.MsgID, r.Value)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, b.String(), args...)
	if err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Counts returns the number of rows and the newest value (0 when empty).
func Counts(ctx context.Context, db *sql.DB) (rows int64, latest int64, err error) {
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM `count`").Scan(&rows); err != nil {
		return 0, 0, err
	}
	err = db.QueryRowContext(ctx, "SELECT `count_value` FROM `count` ORDER BY `id` DESC LIMIT 1").Scan(&latest)
	if errors.Is(err, sql.ErrNoRows) {
		return rows, 0, nil
	}
	return rows, latest, err
}
