package tlsproxy

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/net/websocket"

	"github.com/pushplatform/pushplatform/internal/testservers"
)

// BenchmarkIdleConnections holds idle TLS WebSocket connections through
// the proxy and reports, beside the same figures for a plain TCP splice
// (the proxy's code without TLS: the baseline in the same run):
//   - conns: connections held (TLSPROXY_CONNS, default 20,000);
//   - rss-KiB/conn: the proxy processes' resident memory per connection;
//   - handshakes/s: connections established per second, each a TLS
//     handshake, a WebSocket upgrade and one echoed message;
//   - idle-cpu-%: the proxies' CPU (percent of one core) while every
//     connection sits idle for 5 s.
//
// A process here may hold at most 20,000 descriptors (the sandbox's hard
// limit, which not even root can raise), and a proxy holds two per
// connection, so the connections are spread over shards of at most 6,000,
// each with its own backend, proxy and client processes; every process
// measured is a proxy.
//
// Run it once: go test -run '^$' -bench IdleConnections -benchtime 1x ./internal/tlsproxy
func BenchmarkIdleConnections(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("TLSPROXY_CONNS")); err == nil && v > 0 {
		n = v
	}
	for _, mode := range []string{"plain", "tls"} {
		b.Run(mode, func(b *testing.B) {
			m := measure(b, mode, n)
			b.ReportMetric(float64(m.conns), "conns")
			b.ReportMetric(m.rssPerConnKiB, "rss-KiB/conn")
			b.ReportMetric(m.perSecond, "handshakes/s")
			b.ReportMetric(m.idleCPU, "idle-cpu-%")
		})
	}
}

const perShard = 6000

type measurement struct {
	conns         int
	rssPerConnKiB float64
	perSecond     float64
	idleCPU       float64
}

// child is one process of the benchmark (this test binary, re-run in a role).
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
}

func start(b *testing.B, env ...string) *child {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchProcess$")
	cmd.Env = append(os.Environ(), env...)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c := &child{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	b.Cleanup(func() { stdin.Close(); cmd.Wait() })
	return c
}

func (c *child) line(b *testing.B) string {
	l, err := c.out.ReadString('\n')
	if err != nil {
		b.Fatalf("benchmark process: %v", err)
	}
	return strings.TrimSpace(l)
}

func measure(b *testing.B, mode string, n int) measurement {
	certFile, keyFile, _ := testservers.SelfSignedCert(b, b.TempDir())
	var proxies, clients []*child
	for left, shard := n, 0; left > 0; shard++ {
		k := min(left, perShard)
		left -= k
		backend := start(b, "TLSPROXY_ROLE=backend")
		backendAddr := strings.TrimPrefix(backend.line(b), "listening ")
		proxy := start(b, "TLSPROXY_ROLE=proxy", "TLSPROXY_MODE="+mode, "TLSPROXY_BACKEND="+backendAddr,
			"TLSPROXY_CERT="+certFile, "TLSPROXY_KEY="+keyFile)
		proxyAddr := strings.TrimPrefix(proxy.line(b), "listening ")
		proxies = append(proxies, proxy)
		clients = append(clients, start(b, "TLSPROXY_ROLE=clients", "TLSPROXY_MODE="+mode, "TLSPROXY_PROXY="+proxyAddr,
			"TLSPROXY_CERT="+certFile, "TLSPROXY_COUNT="+strconv.Itoa(k), "TLSPROXY_SHARD="+strconv.Itoa(shard)))
	}
	time.Sleep(300 * time.Millisecond)
	var rss0 int64
	for _, p := range proxies {
		rss0 += rssKiB(b, p.cmd.Process.Pid)
	}
	began := time.Now()
	for _, c := range clients {
		c.stdin.Write([]byte("go\n"))
	}
	for _, c := range clients {
		if l := c.line(b); l != "connected" {
			b.Fatalf("%s clients: %s", mode, l)
		}
	}
	elapsed := time.Since(began)
	time.Sleep(time.Second)
	var rss1, cpu0, cpu1 int64
	for _, p := range proxies {
		rss1 += rssKiB(b, p.cmd.Process.Pid)
		cpu0 += cpuTicks(b, p.cmd.Process.Pid)
	}
	const idle = 5 * time.Second
	time.Sleep(idle)
	for _, p := range proxies {
		cpu1 += cpuTicks(b, p.cmd.Process.Pid)
	}
	return measurement{
		conns:         n,
		rssPerConnKiB: float64(rss1-rss0) / float64(n),
		perSecond:     float64(n) / elapsed.Seconds(),
		idleCPU:       float64(cpu1-cpu0) / 100 / idle.Seconds() * 100, // USER_HZ is 100 on Linux
	}
}

// TestBenchProcess is a process of the benchmark (skipped unless the
// benchmark starts it): a backend, a proxy or a set of clients, until its
// stdin closes.
func TestBenchProcess(t *testing.T) {
	role := os.Getenv("TLSPROXY_ROLE")
	if role == "" {
		t.Skip("a process of BenchmarkIdleConnections")
	}
	raiseFileLimit()
	mode := os.Getenv("TLSPROXY_MODE")
	in := bufio.NewReader(os.Stdin)
	switch role {
	case "backend":
		fmt.Printf("listening %s\n", echoBackend(t))
	case "proxy":
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		backend := os.Getenv("TLSPROXY_BACKEND")
		if mode == "tls" {
			cert, _ := os.ReadFile(os.Getenv("TLSPROXY_CERT"))
			key, _ := os.ReadFile(os.Getenv("TLSPROXY_KEY"))
			pair, err := LoadKeyPair(string(cert), string(key))
			if err != nil {
				t.Fatal(err)
			}
			p := &Proxy{Backend: backend, TLS: &tls.Config{Certificates: []tls.Certificate{pair}}}
			go p.Serve(ln)
		} else {
			go splicePlain(ln, backend)
		}
		fmt.Printf("listening %s\n", ln.Addr())
	case "clients":
		in.ReadString('\n') // "go"
		fmt.Println(connectClients(os.Getenv("TLSPROXY_PROXY"), mode))
	}
	io.Copy(io.Discard, in)
}

// connectClients opens TLSPROXY_COUNT WebSockets through the proxy, each
// exchanging one message, and keeps them open; it says "connected" or
// what failed.
func connectClients(addr, mode string) string {
	n, _ := strconv.Atoi(os.Getenv("TLSPROXY_COUNT"))
	shard, _ := strconv.Atoi(os.Getenv("TLSPROXY_SHARD"))
	pem, _ := os.ReadFile(os.Getenv("TLSPROXY_CERT"))
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	tlsCfg := &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"}
	var (
		mu    sync.Mutex
		held  []*websocket.Conn
		first error
		fails int
		wg    sync.WaitGroup
	)
	sem := make(chan struct{}, 32)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			// Each shard dials from its own loopback address: one address
			// has ~28,000 ephemeral ports.
			local := &net.TCPAddr{IP: net.IPv4(127, 0, byte(10+shard), byte(1+i%200))}
			var ws *websocket.Conn
			var err error
			if mode == "tls" {
				ws, err = dialWSS(addr, tlsCfg, local)
			} else {
				ws, err = dialWS(addr, local)
			}
			if err == nil {
				err = roundTrip(ws, i)
			}
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				fails++
				if first == nil {
					first = err
				}
				return
			}
			held = append(held, ws)
		}()
	}
	wg.Wait()
	if fails > 0 {
		return fmt.Sprintf("%d of %d failed, first: %v", fails, n, first)
	}
	return "connected"
}

func dialWS(addr string, local net.Addr) (*websocket.Conn, error) {
	cfg, err := websocket.NewConfig("ws://"+addr+"/", "http://127.0.0.1/")
	if err != nil {
		return nil, err
	}
	cfg.Dialer = &net.Dialer{LocalAddr: local, Timeout: 10 * time.Second}
	return websocket.DialConfig(cfg)
}

func roundTrip(ws *websocket.Conn, i int) error {
	if err := websocket.Message.Send(ws, strconv.Itoa(i)); err != nil {
		return err
	}
	var got string
	if err := websocket.Message.Receive(ws, &got); err != nil {
		return err
	}
	if got != "echo:"+strconv.Itoa(i) {
		return fmt.Errorf("got %q", got)
	}
	return nil
}

// splicePlain is the baseline: the proxy's splice without TLS.
func splicePlain(ln net.Listener, backend string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			up, err := net.Dial("tcp", backend)
			if err != nil {
				return
			}
			defer up.Close()
			go copyHalf(up, c)
			copyHalf(c, up)
		}()
	}
}

func rssKiB(t testing.TB, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return n
		}
	}
	t.Fatal("no VmRSS")
	return 0
}

func cpuTicks(t testing.TB, pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Fields(string(b)[strings.LastIndex(string(b), ")")+2:])
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return utime + stime
}

// raiseFileLimit lifts the open-file soft limit to the hard limit (and
// the hard limit to the kernel's nr_open where the process may).
func raiseFileLimit() {
	var lim syscall.Rlimit
	syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: 1 << 20, Max: 1 << 20}); err != nil {
		syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: lim.Max, Max: lim.Max})
	}
}
