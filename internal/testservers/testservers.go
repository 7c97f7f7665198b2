// Package testservers starts throwaway redis-server and mariadbd processes
// on loopback for tests: each in its own temp dir on a free port, stopped
// when the test ends. A missing binary skips the test locally and fails it
// under CI (CI must never pass by skipping).
package testservers

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// FreePort returns a loopback port nobody listens on.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// need finds a server binary or skips (locally) / fails (CI).
func need(t testing.TB, bin string) string {
	t.Helper()
	path, err := exec.LookPath(bin)
	if err == nil {
		return path
	}
	for _, dir := range []string{"/usr/sbin", "/usr/bin", "/usr/local/bin"} {
		if p := filepath.Join(dir, bin); fileExists(p) {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; CI must install it (.ci/run does)", bin)
	}
	t.Skipf("%s is not installed (apt-get install redis-server mariadb-server)", bin)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// start runs a server and stops it when the test ends.
func start(t testing.TB, name string, args []string, logFile string) *exec.Cmd {
	t.Helper()
	log, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		log.Close()
	})
	return cmd
}

// waitFor polls ready until it succeeds or the deadline passes.
func waitFor(t testing.TB, what, logFile string, timeout time.Duration, ready func() error) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var err error
	for time.Now().Before(deadline) {
		if err = ready(); err == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	logs, _ := os.ReadFile(logFile)
	t.Fatalf("%s not ready after %s: %v\n%s", what, timeout, err, logs)
}

func itoa(n int) string { return strconv.Itoa(n) }

func dial(port int) error {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond)
	if err != nil {
		return err
	}
	return c.Close()
}
