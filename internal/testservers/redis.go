package testservers

import (
	"crypto/tls"
	"path/filepath"
	"testing"
	"time"
)

// Redis is a running redis-server.
type Redis struct {
	Addr     string
	Port     int
	Password string
	// TLS is the client config trusting the server's certificate (TLS only).
	TLS *tls.Config
}

// RedisOptions configures StartRedis.
type RedisOptions struct {
	Password string // requirepass; empty for none
	TLS      bool   // serve TLS only, with a self-signed certificate
}

// StartRedis starts redis-server on loopback, without persistence.
func StartRedis(t testing.TB, opts RedisOptions) *Redis {
	t.Helper()
	bin := need(t, "redis-server")
	dir := t.TempDir()
	port := FreePort(t)
	args := []string{"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir}
	r := &Redis{Port: port, Addr: "127.0.0.1:" + itoa(port), Password: opts.Password}
	if opts.Password != "" {
		args = append(args, "--requirepass", opts.Password)
	}
	if opts.TLS {
		cert, key, pool := SelfSignedCert(t, dir)
		args = append(args, "--port", "0", "--tls-port", itoa(port), "--tls-cert-file", cert, "--tls-key-file", key,
			"--tls-ca-cert-file", cert, "--tls-auth-clients", "no")
		r.TLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	} else {
		args = append(args, "--port", itoa(port))
	}
	log := filepath.Join(dir, "redis.log")
	start(t, bin, args, log)
	waitFor(t, "redis-server", log, 10*time.Second, func() error { return dial(port) })
	return r
}
