package testservers

import (
	"crypto/tls"
	"os"
	"path/filepath"
	"syscall"
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
	// CAFile is the PEM certificate clients trust, for REDIS_TLS_CA (TLS only).
	CAFile string

	proc *os.Process
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
		r.CAFile = cert
		r.TLS = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
	} else {
		args = append(args, "--port", itoa(port))
	}
	log := filepath.Join(dir, "redis.log")
	r.proc = start(t, bin, args, log).Process
	waitFor(t, "redis-server", log, 10*time.Second, func() error { return dial(port) })
	return r
}

// Stop freezes the server (SIGSTOP): connections stay open but nothing
// answers, as with a hung or partitioned Redis.
func (r *Redis) Stop(t testing.TB) {
	t.Helper()
	if err := r.proc.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
}

// Continue resumes a stopped server (SIGCONT).
func (r *Redis) Continue(t testing.TB) {
	t.Helper()
	if err := r.proc.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
}
