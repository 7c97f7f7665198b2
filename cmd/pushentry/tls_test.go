package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/pushplatform/pushplatform/internal/testservers"
)

// TestFakeAutoconnect stands in for autoconnect when the supervisor test
// starts this binary: a WebSocket echo on AUTOCONNECT__PORT that answers
// "key?" with whether the TLS key reached its environment, and ends on
// SIGTERM.
func TestFakeAutoconnect(t *testing.T) {
	if os.Getenv("PUSHENTRY_FAKE_AUTOCONNECT") == "" {
		t.Skip("started by TestSupervisorTerminatesTLS")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:"+os.Getenv("AUTOCONNECT__PORT"))
	if err != nil {
		t.Fatal(err)
	}
	go http.Serve(ln, websocket.Handler(func(ws *websocket.Conn) {
		var msg string
		for websocket.Message.Receive(ws, &msg) == nil {
			reply := "echo:" + msg
			if msg == "key?" {
				reply = fmt.Sprint("key present: ", os.Getenv(tlsKeyVar) != "")
			}
			websocket.Message.Send(ws, reply)
		}
	}))
	select {} // until SIGTERM ends the process
}

func TestSupervisorTerminatesTLS(t *testing.T) {
	certFile, keyFile, pool := testservers.SelfSignedCert(t, t.TempDir())
	cert, _ := os.ReadFile(certFile)
	key, _ := os.ReadFile(keyFile)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsPort, acPort := ln.Addr().(*net.TCPAddr).Port, testservers.FreePort(t)
	vars := map[string]string{
		tlsPortVar: strconv.Itoa(tlsPort), tlsCertVar: string(cert), tlsKeyVar: string(key),
		"AUTOCONNECT__PORT": strconv.Itoa(acPort), "PUSHENTRY_FAKE_AUTOCONNECT": "1",
	}
	env := os.Environ()
	for k, v := range vars {
		env = append(env, k+"="+v)
	}
	type result struct {
		code int
		err  error
	}
	done := make(chan result, 1)
	go func() {
		code, err := supervise(ln, []string{os.Args[0], "-test.run=^TestFakeAutoconnect$"}, env, func(k string) string { return vars[k] })
		done <- result{code, err}
	}()

	cfg, _ := websocket.NewConfig(fmt.Sprintf("wss://127.0.0.1:%d/", tlsPort), "https://127.0.0.1/")
	cfg.TlsConfig = &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	var ws *websocket.Conn
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ws, err = websocket.DialConfig(cfg); err == nil {
			break
		}
	}
	if err != nil {
		select {
		case r := <-done:
			t.Fatalf("the supervisor ended early: %d %v", r.code, r.err)
		default:
		}
		t.Fatalf("wss through the supervisor: %v", err)
	}
	for msg, want := range map[string]string{"hi": "echo:hi", "key?": "key present: false"} {
		if err := websocket.Message.Send(ws, msg); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := websocket.Message.Receive(ws, &got); err != nil || got != want {
			t.Fatalf("%q: got %q %v, want %q", msg, got, err, want)
		}
	}
	ws.Close()
	// ECS stops the task: the supervisor passes SIGTERM to autoconnect and
	// exits with its status.
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case r := <-done:
		if r.err != nil || r.code != 0 && r.code != -1 {
			t.Fatalf("supervisor ended with %d, %v", r.code, r.err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the supervisor did not end after SIGTERM")
	}
}

func TestSupervisorNeedsTheCertificate(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	code, err := supervise(ln, []string{"/bin/true"}, nil, func(string) string { return "" })
	if err == nil || code != 1 {
		t.Fatalf("no certificate: %d %v", code, err)
	}
}
