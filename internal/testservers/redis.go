package testservers

import (
	"context"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
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
	bin  string
	args []string
	log  string
	t    testing.TB
}

// RedisOptions configures StartRedis.
type RedisOptions struct {
	Password string // requirepass; empty for none
	TLS      bool   // serve TLS only, with a self-signed certificate
	// Cluster runs a one-node cluster owning every slot, so cluster-mode
	// clients (REDIS_CLUSTER) can be tested. Not with TLS.
	Cluster bool
	// AppendOnly keeps an append-only file fsynced on every write, so a
	// restarted server comes back with its data.
	AppendOnly bool
	// Extra are further redis-server arguments (e.g. --replicaof).
	Extra []string
}

// Kill ends the server at once (SIGKILL), as a crashed node: whatever it
// held only in memory is gone.
func (r *Redis) Kill(t testing.TB) {
	t.Helper()
	_ = r.proc.Kill()
	_, _ = r.proc.Wait()
}

// Restart kills the server and starts it again on the same port with the
// same settings: empty unless it keeps an append-only file.
func (r *Redis) Restart(t testing.TB) {
	t.Helper()
	r.Kill(t)
	r.proc = start(r.t, r.bin, r.args, r.log+".restarted").Process
	waitFor(t, "redis-server (restarted)", r.log+".restarted", 10*time.Second, func() error { return dial(r.Port) })
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
	if opts.Cluster {
		args = append(args, "--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"))
	}
	if opts.AppendOnly {
		args = append(args, "--appendonly", "yes", "--appendfsync", "always")
	}
	args = append(args, opts.Extra...)
	log := filepath.Join(dir, "redis.log")
	r.bin, r.args, r.log, r.t = bin, args, log, t
	r.proc = start(t, bin, args, log).Process
	waitFor(t, "redis-server", log, 10*time.Second, func() error { return dial(port) })
	if opts.Cluster {
		r.assignAllSlots(t, log)
	}
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

// assignAllSlots gives the one node every hash slot and waits for the
// cluster to report ok.
func (r *Redis) assignAllSlots(t testing.TB, log string) {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: r.Addr, Password: r.Password})
	defer c.Close()
	ctx := context.Background()
	if err := c.Do(ctx, "CLUSTER", "ADDSLOTSRANGE", 0, 16383).Err(); err != nil {
		t.Fatalf("CLUSTER ADDSLOTSRANGE: %v", err)
	}
	waitFor(t, "redis cluster", log, 10*time.Second, func() error {
		info, err := c.ClusterInfo(ctx).Result()
		if err != nil {
			return err
		}
		if !strings.Contains(info, "cluster_state:ok") {
			return errors.New("cluster_state is not ok yet")
		}
		return nil
	})
}
