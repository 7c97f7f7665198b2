package tlsproxy

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/pushplatform/pushplatform/internal/testservers"
)

// echoBackend is a WebSocket server on loopback standing in for
// autoconnect: it echoes every message.
func echoBackend(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: websocket.Handler(func(ws *websocket.Conn) {
		for {
			var msg string
			if err := websocket.Message.Receive(ws, &msg); err != nil {
				return
			}
			if err := websocket.Message.Send(ws, "echo:"+msg); err != nil {
				return
			}
		}
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

// startProxy serves the proxy on loopback with a self-signed certificate
// and returns its address and a client TLS config trusting it.
func startProxy(t testing.TB, backend string) (*Proxy, string, *tls.Config) {
	t.Helper()
	certFile, keyFile, pool := testservers.SelfSignedCert(t, t.TempDir())
	certPEM, _ := os.ReadFile(certFile)
	keyPEM, _ := os.ReadFile(keyFile)
	pair, err := LoadKeyPair(string(certPEM), string(keyPEM))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{Backend: backend, TLS: &tls.Config{Certificates: []tls.Certificate{pair}}}
	go p.Serve(ln)
	t.Cleanup(func() { p.Close() })
	return p, ln.Addr().String(), &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
}

func dialWSS(addr string, tlsCfg *tls.Config, local net.Addr) (*websocket.Conn, error) {
	cfg, err := websocket.NewConfig("wss://"+addr+"/", "https://127.0.0.1/")
	if err != nil {
		return nil, err
	}
	cfg.TlsConfig = tlsCfg
	cfg.Dialer = &net.Dialer{LocalAddr: local, Timeout: 10 * time.Second}
	return websocket.DialConfig(cfg)
}

// TestWebSocketThroughTheProxy: a wss:// client upgrades and exchanges
// messages with a ws:// backend through the proxy; closing either side
// ends the spliced connection.
func TestWebSocketThroughTheProxy(t *testing.T) {
	p, addr, tlsCfg := startProxy(t, echoBackend(t))
	ws, err := dialWSS(addr, tlsCfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := websocket.Message.Send(ws, fmt.Sprint("hello ", i)); err != nil {
			t.Fatal(err)
		}
		var got string
		if err := websocket.Message.Receive(ws, &got); err != nil || got != fmt.Sprint("echo:hello ", i) {
			t.Fatalf("got %q %v", got, err)
		}
	}
	if s := p.Stats(); s.Active != 1 || s.Handshakes != 1 {
		t.Errorf("stats %+v", s)
	}
	ws.Close()
	deadline := time.Now().Add(5 * time.Second)
	for p.Stats().Active != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s := p.Stats(); s.Active != 0 {
		t.Errorf("a closed client leaves %d connections held", s.Active)
	}
}

// TestRefusesPlainAndOldTLS: plain HTTP and TLS 1.1 never reach the
// backend.
func TestRefusesPlainAndOldTLS(t *testing.T) {
	p, addr, tlsCfg := startProxy(t, echoBackend(t))
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 64)
	n, _ := c.Read(buf)
	c.Close()
	if strings.Contains(string(buf[:n]), "HTTP/1.1 ") && !strings.Contains(string(buf[:n]), "400") {
		t.Errorf("plain HTTP got %q", buf[:n])
	}
	old := tlsCfg.Clone()
	old.MaxVersion = tls.VersionTLS11
	if _, err := dialWSS(addr, old, nil); err == nil {
		t.Error("TLS 1.1 must be refused")
	}
	deadline := time.Now().Add(5 * time.Second)
	for p.Stats().Failures < 2 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if s := p.Stats(); s.Handshakes != 0 || s.Failures < 2 {
		t.Errorf("stats %+v, want two failed handshakes and none done", s)
	}
}

func TestLoadKeyPairErrors(t *testing.T) {
	if _, err := LoadKeyPair("", ""); err == nil || !strings.Contains(err.Error(), "required") {
		t.Errorf("empty: %v", err)
	}
	if _, err := LoadKeyPair("-----BEGIN CERTIFICATE-----\nnot\n-----END CERTIFICATE-----\n", "x"); err == nil {
		t.Error("garbage must be refused")
	}
}
