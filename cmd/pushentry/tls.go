package main

import (
	"crypto/tls"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/internal/tlsproxy"
)

// Settings of TLS termination in the task (push.tlsTermination task):
// the port the NLB forwards to, and the certificate and key (PEM) the task
// definition fills from Secrets Manager.
const (
	tlsPortVar = "PUSH_TLS_PORT"
	tlsCertVar = "PUSH_TLS_CERT"
	tlsKeyVar  = "PUSH_TLS_KEY"
)

// superviseWithTLS runs autoconnect as a child and terminates TLS on
// PUSH_TLS_PORT in front of it, forwarding to autoconnect's port on
// loopback. ECS's SIGTERM goes to the child; when the child exits, so does
// pushentry, with its status. The key never reaches the child's
// environment.
func superviseWithTLS(argv []string, env []string, getenv func(string) string) (int, error) {
	ln, err := net.Listen("tcp", ":"+getenv(tlsPortVar))
	if err != nil {
		return 1, fmt.Errorf("listen for TLS on %s: %w", getenv(tlsPortVar), err)
	}
	return supervise(ln, argv, env, getenv)
}

// supervise serves TLS on ln in front of the child argv runs.
func supervise(ln net.Listener, argv []string, env []string, getenv func(string) string) (int, error) {
	defer ln.Close()
	pair, err := tlsproxy.LoadKeyPair(getenv(tlsCertVar), getenv(tlsKeyVar))
	if err != nil {
		return 1, err
	}
	backendPort := getenv("AUTOCONNECT__PORT")
	if backendPort == "" {
		backendPort = "8080" // autoconnect's default
	}
	proxy := &tlsproxy.Proxy{Backend: net.JoinHostPort("127.0.0.1", backendPort), TLS: &tls.Config{Certificates: []tls.Certificate{pair}}}
	go proxy.Serve(ln)
	defer proxy.Close()

	return runChild(argv, childEnv(env))
}

// childEnv is the environment without the certificate and key.
func childEnv(env []string) []string {
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, tlsCertVar+"=") || strings.HasPrefix(kv, tlsKeyVar+"=")
	})
}
