package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/internal/migrate"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const (
	redisToken  = "shutdown-test-token-0123456789"
	appPassword = "AppPassword0123456789xyz"
)

// buildProducer compiles this command into a temp dir.
func buildProducer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "producer")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build producer: %v\n%s", err, out)
	}
	return bin
}

// TestBinaryDrainsOnSIGTERM runs the real binary as in AWS: Redis with TLS
// and AUTH, MySQL TLS-only, the least-privilege app user, settings from the
// environment. A request is held in flight (Redis pauses writes), SIGTERM
// arrives: new connections are refused at once, the request in flight
// still gets its 201 and its entry, and the process exits 0. The JSON logs
// never show a credential.
func TestBinaryDrainsOnSIGTERM(t *testing.T) {
	r := testservers.StartRedis(t, testservers.RedisOptions{Password: redisToken, TLS: true})
	m := testservers.StartMariaDBWith(t, testservers.MariaDBOptions{TLS: true})
	ctx := context.Background()
	master := store.Config{Host: "127.0.0.1", Port: m.Port, User: "root", TLS: true, CAFile: m.CAFile}
	db, err := openRetrying(ctx, master)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := migrate.Run(ctx, db, "pushplatform", "app", appPassword, true); err != nil {
		t.Fatal(err)
	}
	bin := buildProducer(t)
	port := testservers.FreePort(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(),
		"HTTP_HOST=127.0.0.1", "HTTP_PORT="+strconv.Itoa(port),
		"REDIS_HOST=127.0.0.1", "REDIS_PORT="+strconv.Itoa(r.Port), "REDIS_QUEUE=counts", "REDIS_CLUSTER=false",
		"REDIS_TLS=true", "REDIS_TLS_CA="+r.CAFile, "REDIS_PASSWORD="+redisToken,
		"DB_HOST=127.0.0.1", "DB_PORT="+strconv.Itoa(m.Port), "DB_USER=app", "DB_PASSWORD="+appPassword, "DB_NAME=pushplatform",
		"DB_TLS=true", "DB_TLS_CA="+m.CAFile, "CORS_ALLOW_ORIGIN=https://app.example",
	)
	logs := logFile(t)
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitHTTP(t, base+"/health", exited, logs)
	if code := post(t, base, 1); code != 201 {
		t.Fatalf("POST /count = %d\n%s", code, readAll(logs))
	}

	rdb, _ := queue.Connect(queue.Config{Host: "127.0.0.1", Port: r.Port, Password: redisToken, TLSConfig: r.TLS})
	defer rdb.Close()
	if err := rdb.Do(ctx, "CLIENT", "PAUSE", "1500", "WRITE").Err(); err != nil {
		t.Fatal(err)
	}
	inFlight := make(chan int, 1)
	go func() { inFlight <- post(t, base, 2) }()
	time.Sleep(300 * time.Millisecond) // the request is waiting on its XADD
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted after SIGTERM")
	}
	select {
	case code := <-inFlight:
		if code != 201 {
			t.Errorf("the request in flight at SIGTERM got %d, want 201", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the request in flight never finished")
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("producer exit: %v, want 0\n%s", err, readAll(logs))
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the producer did not exit after SIGTERM")
	}
	if n, _ := rdb.XLen(ctx, "counts").Result(); n != 2 {
		t.Errorf("%d entries queued, want 2", n)
	}
	checkLogs(t, readAll(logs), "drained")
}

// TestBinaryRefusesBadSettings: every bad setting is named with its value
// and what is allowed, in one JSON log line; secrets are not echoed.
func TestBinaryRefusesBadSettings(t *testing.T) {
	bin := buildProducer(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "HTTP_PORT=eighty", "REDIS_TLS=maybe", "DB_PORT=70000",
		"CORS_ALLOW_ORIGIN=app.example", "REDIS_PASSWORD=hunter2-token", "DB_PASSWORD=hunter2-db")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2\n%s", err, out)
	}
	for _, want := range []string{`HTTP_PORT=\"eighty\"`, "1 to 65535", `REDIS_TLS=\"maybe\"`, `DB_PORT=\"70000\"`, `CORS_ALLOW_ORIGIN=\"app.example\"`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %s:\n%s", want, out)
		}
	}
	checkLogs(t, string(out), "invalid settings")
}

// checkLogs asserts every line is a JSON object, one contains want, and
// no credential appears.
func checkLogs(t *testing.T, logs, want string) {
	t.Helper()
	found := false
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Errorf("log line is not JSON: %s", sc.Text())
		}
		found = found || strings.Contains(sc.Text(), want)
	}
	if !found {
		t.Errorf("logs lack %q:\n%s", want, logs)
	}
	for _, secret := range []string{redisToken, appPassword, "hunter2"} {
		if strings.Contains(logs, secret) {
			t.Errorf("a credential reached the logs:\n%s", logs)
		}
	}
}

func openRetrying(ctx context.Context, c store.Config) (*sql.DB, error) {
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		d, err := store.Open(ctx, c)
		if err == nil || time.Now().After(deadline) {
			return d, err
		}
	}
}

func logFile(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), "producer.log"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readAll(f *os.File) string {
	b, _ := os.ReadFile(f.Name())
	return string(b)
}

func waitHTTP(t *testing.T, url string, exited chan error, logs *os.File) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case err := <-exited:
			t.Fatalf("producer exited: %v\n%s", err, readAll(logs))
		default:
		}
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
	}
	t.Fatalf("producer not ready\n%s", readAll(logs))
}

func post(t *testing.T, base string, v int) int {
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Post(base+"/count", "application/json", strings.NewReader(fmt.Sprintf(`{"count": %d}`, v)))
	if err != nil {
		t.Errorf("POST /count: %v", err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
