package testservers

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql" // the driver the apps use
)

// MariaDB is a running mariadbd with a root user without password.
type MariaDB struct {
	Port int
	Dir  string
	// CAFile is the certificate clients trust (TLS only).
	CAFile string
}

// MariaDBOptions configures StartMariaDBWith.
type MariaDBOptions struct {
	// TLS serves a self-signed certificate and refuses clients without TLS
	// (--require-secure-transport), as RDS does with require_secure_transport.
	TLS bool
	// AllowPlain, with TLS, also accepts clients without TLS, so a test can
	// prove that a user created with REQUIRE SSL is refused without it.
	AllowPlain bool
}

// DSN returns a DSN for user root and the database name.
func (m *MariaDB) DSN(database string) string {
	return fmt.Sprintf("root@tcp(127.0.0.1:%d)/%s?parseTime=true&multiStatements=false", m.Port, database)
}

// StartMariaDB initialises a data directory and starts mariadbd on loopback.
func StartMariaDB(t testing.TB) *MariaDB { return StartMariaDBWith(t, MariaDBOptions{}) }

// StartMariaDBWith starts mariadbd with options.
func StartMariaDBWith(t testing.TB, opts MariaDBOptions) *MariaDB {
	t.Helper()
	bin := need(t, "mariadbd")
	installBin := need(t, "mariadb-install-db")
	dir := t.TempDir()
	data, tmp := filepath.Join(dir, "data"), filepath.Join(dir, "tmp")
	if err := os.MkdirAll(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	// Each server gets its own tmpdir: bootstraps running at once in
	// parallel test packages otherwise trip over each other's temporary
	// tables in the shared /tmp.
	install := exec.Command(installBin, "--no-defaults", "--datadir="+data, "--user=root",
		"--auth-root-authentication-method=normal", "--skip-test-db")
	install.Env = append(os.Environ(), "TMPDIR="+tmp)
	out, err := install.CombinedOutput()
	if err != nil {
		t.Fatalf("mariadb-install-db: %v\n%s", err, out)
	}
	port := FreePort(t)
	log := filepath.Join(dir, "mariadb.log")
	args := []string{"--no-defaults", "--datadir=" + data, "--socket=" + filepath.Join(dir, "sock"),
		"--port=" + itoa(port), "--bind-address=127.0.0.1", "--user=root", "--skip-log-bin", "--tmpdir=" + tmp,
		"--innodb-buffer-pool-size=128M", "--innodb-flush-log-at-trx-commit=2", "--pid-file=" + filepath.Join(dir, "pid"),
		"--max-connections=500"}
	m := &MariaDB{Port: port, Dir: dir}
	if opts.TLS {
		cert, key, _ := SelfSignedCert(t, dir)
		args = append(args, "--ssl-cert="+cert, "--ssl-key="+key, "--ssl-ca="+cert)
		if !opts.AllowPlain {
			args = append(args, "--require-secure-transport=ON")
		}
		m.CAFile = cert
	}
	start(t, bin, args, log)
	// Readiness over the port without TLS: a TLS-only server refuses the
	// login but answers, which is enough to know it is up.
	waitFor(t, "mariadbd", log, 30*time.Second, func() error { return dial(port) })
	if !opts.TLS || opts.AllowPlain {
		waitFor(t, "mariadbd", log, 30*time.Second, func() error {
			db, err := sql.Open("mysql", m.DSN(""))
			if err != nil {
				return err
			}
			defer db.Close()
			return db.Ping()
		})
	}
	return m
}

// CreateDatabase creates a database and returns its name.
func (m *MariaDB) CreateDatabase(t testing.TB, name string) string {
	t.Helper()
	db, err := sql.Open("mysql", m.DSN(""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE DATABASE IF NOT EXISTS `" + name + "`"); err != nil {
		t.Fatal(err)
	}
	return name
}
