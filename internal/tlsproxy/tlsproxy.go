// Package tlsproxy terminates TLS in the autoconnect task, so the network
// load balancer can pass TCP through: a TLS listener on an NLB holds only
// 3,000 active connections per capacity unit against 100,000 TCP flows,
// which at millions of idle WebSockets costs about as much as an ALB. Each
// accepted connection is handshaken, then spliced byte for byte to the
// backend (autoconnect on loopback), WebSocket upgrade included.
package tlsproxy

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// bufferBytes is each direction's copy buffer. Idle WebSockets carry a
// ping every few minutes, so small buffers keep the per-connection memory
// low at no throughput cost that matters here.
const bufferBytes = 4 << 10

// Proxy forwards TLS connections to a plain TCP backend.
type Proxy struct {
	// Backend is the address connections are spliced to (127.0.0.1:8080).
	Backend string
	// TLS holds the certificate; MinVersion is raised to TLS 1.2.
	TLS *tls.Config
	// HandshakeTimeout bounds a client's TLS handshake (default 10 s), so
	// half-open clients cannot pile up.
	HandshakeTimeout time.Duration
	Log              *slog.Logger

	active, handshakes, failures atomic.Int64
	mu                           sync.Mutex
	listeners                    []net.Listener
	wg                           sync.WaitGroup
}

// Stats are the proxy's counters.
type Stats struct{ Active, Handshakes, Failures int64 }

// Stats reports the connections held now, handshakes done and failed.
func (p *Proxy) Stats() Stats {
	return Stats{p.active.Load(), p.handshakes.Load(), p.failures.Load()}
}

// Serve accepts on ln until it is closed (Close).
func (p *Proxy) Serve(ln net.Listener) error {
	if p.TLS == nil || len(p.TLS.Certificates) == 0 && p.TLS.GetCertificate == nil {
		return errors.New("tlsproxy: a certificate is required")
	}
	cfg := p.TLS.Clone()
	cfg.MinVersion = max(cfg.MinVersion, tls.VersionTLS12)
	p.mu.Lock()
	p.listeners = append(p.listeners, ln)
	p.mu.Unlock()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(10 * time.Millisecond) // out of descriptors: back off, keep serving
				continue
			}
			return err
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(tls.Server(c, cfg))
		}()
	}
}

// Close stops accepting; held connections stay until either side closes.
func (p *Proxy) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for _, ln := range p.listeners {
		errs = append(errs, ln.Close())
	}
	return errors.Join(errs...)
}

// Wait returns when every connection has ended.
func (p *Proxy) Wait() { p.wg.Wait() }

func (p *Proxy) handle(client *tls.Conn) {
	defer client.Close()
	timeout := p.HandshakeTimeout
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	err := client.HandshakeContext(ctx)
	cancel()
	if err != nil {
		p.failures.Add(1)
		p.logf("handshake failed", "remote", client.RemoteAddr().String(), "error", err.Error())
		return
	}
	p.handshakes.Add(1)
	backend, err := net.DialTimeout("tcp", p.Backend, 5*time.Second)
	if err != nil {
		p.failures.Add(1)
		p.logf("backend unreachable", "error", err.Error())
		return
	}
	defer backend.Close()
	p.active.Add(1)
	defer p.active.Add(-1)
	done := make(chan struct{}, 1)
	go func() {
		copyHalf(backend, client)
		// The client finished sending: pass the half-close on.
		if tc, ok := backend.(*net.TCPConn); ok {
			tc.CloseWrite()
		}
		done <- struct{}{}
	}()
	copyHalf(client, backend)
	client.CloseWrite()
	<-done
}

func copyHalf(dst io.Writer, src io.Reader) {
	buf := make([]byte, bufferBytes)
	// Hidden behind plain Reader/Writer so CopyBuffer uses this buffer:
	// TCPConn.ReadFrom would fall back to io.Copy and its 32 KiB one.
	io.CopyBuffer(struct{ io.Writer }{dst}, struct{ io.Reader }{src}, buf)
}

func (p *Proxy) logf(msg string, args ...any) {
	if p.Log != nil {
		p.Log.Debug(msg, args...)
	}
}

// LoadKeyPair reads a PEM certificate chain and key (the task's secrets).
func LoadKeyPair(certPEM, keyPEM string) (tls.Certificate, error) {
	if certPEM == "" || keyPEM == "" {
		return tls.Certificate{}, errors.New("tlsproxy: both the certificate and the key are required (PEM)")
	}
	c, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("tlsproxy: certificate and key: %w", err)
	}
	return c, nil
}
