package config

import (
	"encoding/base64"
	"fmt"
	"regexp"
)

// Push is the resolved push tier configuration (autopush-rs).
type Push struct {
	// LoadBalancer carries the WebSocket clients: "nlb" (a network load
	// balancer of its own). An ALB cannot: the platform's ALB is internal
	// behind CloudFront's VPC origin, which carries no WebSockets.
	LoadBalancer string `json:"loadBalancer"`
	// TLSTermination: "nlb" (a TLS listener with CertificateArn) or
	// "task" (the NLB passes TCP through; a proxy in each autoconnect task
	// terminates TLS with the certificate in TLSSecretArn).
	TLSTermination string `json:"tlsTermination"`
	// TLSSecretArn is a Secrets Manager secret holding {"cert": PEM chain,
	// "key": PEM key} for tlsTermination task.
	TLSSecretArn string `json:"tlsSecretArn,omitempty"`
	// CertificateArn is an ACM certificate of the stack's region for the
	// NLB's TLS listener on 443; empty: plain TCP (ws://) on 80.
	CertificateArn string `json:"certificateArn,omitempty"`
	// ExpectedConnections is how many clients autoconnect must hold.
	ExpectedConnections int `json:"expectedConnections"`
	// ConnectionsPerTask is what one autoconnect task holds (default
	// derived from the task size, DefaultConnectionsPerTask).
	ConnectionsPerTask int `json:"connectionsPerTask"`
	// IdleTimeoutSeconds is the NLB's TCP idle timeout; above autopush's
	// 300 s ping interval.
	IdleTimeoutSeconds int `json:"idleTimeoutSeconds"`
	// DrainSeconds is how long a deregistered autoconnect task keeps its
	// connections (the target group's deregistration delay).
	DrainSeconds int `json:"drainSeconds"`
}

// AutopushPingSeconds is autoconnect's AUTO_PING_INTERVAL default (300 s,
// autoconnect-settings in 1.71.7): an idle timeout must exceed it.
const AutopushPingSeconds = 300

// Actix's default connection cap per worker, one worker per CPU
// (ACTIX_MAX_CONNECTIONS / ACTIX_WORKERS in autoconnect-settings 1.71.7;
// actix-web's default max_connections is 25,000).
const actixConnectionsPerWorker = 25000

// AssumedBytesPerConnection is the memory budget per idle WebSocket in an
// autoconnect task. Upstream publishes no figure; this is an assumption
// (64 KiB: socket buffers, the actix session and autopush's client
// state), stated in the plan and overridable with push.connectionsPerTask.
const AssumedBytesPerConnection = 64 << 10

// ProxyBytesPerConnection is what the TLS-terminating proxy in the task
// holds per idle connection: 41.25 KiB measured on loopback
// (BenchmarkIdleConnections in internal/tlsproxy, 20,000 connections),
// rounded up.
const ProxyBytesPerConnection = 42 << 10

// DefaultConnectionsPerTask is what one autoconnect task of the given
// size holds: the smaller of actix's cap (25,000 per vCPU, at least one
// worker) and 80 % of the memory at AssumedBytesPerConnection, plus the
// proxy's ProxyBytesPerConnection when the task terminates TLS.
func DefaultConnectionsPerTask(cpu, memoryMiB int, tlsInTask bool) int {
	workers := max(1, cpu/1024)
	perConn := int64(AssumedBytesPerConnection)
	if tlsInTask {
		perConn += ProxyBytesPerConnection
	}
	byMemory := int(int64(memoryMiB) << 20 * 8 / 10 / perConn)
	return min(workers*actixConnectionsPerWorker, byMemory)
}

func resolvePush(in PushInput, services Services, region string, p profile, errs *Errors) Push {
	conn := services["autoconnect"]
	tlsTermination := deref(in.TLSTermination, "nlb")
	c := Push{
		LoadBalancer:        deref(in.LoadBalancer, "nlb"),
		TLSTermination:      tlsTermination,
		CertificateArn:      deref(in.CertificateArn, ""),
		TLSSecretArn:        deref(in.TLSSecretArn, ""),
		ExpectedConnections: deref(in.ExpectedConnections, p.Push.ExpectedConnections),
		ConnectionsPerTask:  deref(in.ConnectionsPerTask, DefaultConnectionsPerTask(conn.CPU, conn.MemoryMiB, tlsTermination == "task")),
		IdleTimeoutSeconds:  deref(in.IdleTimeoutSeconds, 600),
		DrainSeconds:        deref(in.DrainSeconds, 300),
	}
	if c.LoadBalancer != "nlb" {
		errs.add("push.loadBalancer", quote(c.LoadBalancer), "allowed: nlb. The platform's ALB is internal and reached only through CloudFront's VPC origin, which carries no WebSockets, so WebSocket clients need the NLB")
	}
	switch c.TLSTermination {
	case "nlb":
		if c.TLSSecretArn != "" {
			errs.add("push.tlsSecretArn", quote(c.TLSSecretArn), "is read only with push.tlsTermination task; with nlb the NLB's TLS listener uses push.certificateArn")
		}
	case "task":
		if c.CertificateArn != "" {
			errs.add("push.certificateArn", quote(c.CertificateArn), "is not used with push.tlsTermination task (the NLB passes TCP through); remove it, or choose tlsTermination nlb")
		}
		if !secretArn(c.TLSSecretArn, region) {
			errs.add("push.tlsSecretArn", quote(c.TLSSecretArn), "with push.tlsTermination task: the ARN of a Secrets Manager secret of %s holding {\"cert\": PEM chain, \"key\": PEM key}", region)
		}
	default:
		errs.add("push.tlsTermination", quote(c.TLSTermination), "allowed: nlb (a TLS listener on the NLB with push.certificateArn: 3,000 active connections per NLCU) or task (TCP passes through the NLB, 100,000 per NLCU; each autoconnect task terminates TLS with push.tlsSecretArn)")
	}
	if c.CertificateArn != "" && !regionalCertificate(c.CertificateArn, region) {
		errs.add("push.certificateArn", quote(c.CertificateArn), "must be an ACM certificate of the stack's region %s (arn:aws:acm:%s:<account>:certificate/<uuid>)", region, region)
	}
	if c.IdleTimeoutSeconds <= AutopushPingSeconds || c.IdleTimeoutSeconds > 6000 {
		errs.add("push.idleTimeoutSeconds", quote(c.IdleTimeoutSeconds), "allowed %d to 6000: above autoconnect's %d s ping interval, or idle clients are cut between pings", AutopushPingSeconds+1, AutopushPingSeconds)
	}
	if c.DrainSeconds < 0 || c.DrainSeconds > 3600 {
		errs.add("push.drainSeconds", quote(c.DrainSeconds), "allowed 0 to 3600 (the target group's deregistration delay)")
	}
	if c.ExpectedConnections < 1 {
		errs.add("push.expectedConnections", quote(c.ExpectedConnections), "must be at least 1")
	}
	if c.ConnectionsPerTask < 1 {
		errs.add("push.connectionsPerTask", quote(c.ConnectionsPerTask), "must be at least 1")
	}
	return c
}

// AutoconnectTasks is how many autoconnect tasks hold the expected
// connections.
func (p Push) AutoconnectTasks() int {
	if p.ConnectionsPerTask < 1 {
		return 0
	}
	return (p.ExpectedConnections + p.ConnectionsPerTask - 1) / p.ConnectionsPerTask
}

// sizeAutoconnect raises autoconnect's counts to what the expected
// connections need, and refuses a maxCount that cannot hold them.
func sizeAutoconnect(p Push, s Service, errs *Errors) Service {
	need := p.AutoconnectTasks()
	if need > s.MaxCount {
		errs.add("push.expectedConnections", quote(p.ExpectedConnections),
			"needs %d autoconnect tasks at %d connections per task, above services.autoconnect.maxCount %d: raise maxCount, or the task size (services.autoconnect.cpu, memoryMiB), or push.connectionsPerTask", need, p.ConnectionsPerTask, s.MaxCount)
		return s
	}
	s.MinCount = max(s.MinCount, need)
	s.DesiredCount = max(s.DesiredCount, s.MinCount)
	return s
}

var fernetKey = regexp.MustCompile(`^[A-Za-z0-9_-]{43}=$`)

// CheckFernetKey says whether key is a Fernet key: 32 bytes in URL-safe
// base64 (44 characters), what autopush's CRYPTO_KEY(S) take.
func CheckFernetKey(key string) error {
	if !fernetKey.MatchString(key) {
		return fmt.Errorf("must be a Fernet key: 32 random bytes in URL-safe base64, 44 characters ending in = (python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'); got %d characters", len(key))
	}
	if b, err := base64.URLEncoding.DecodeString(key); err != nil || len(b) != 32 {
		return fmt.Errorf("must decode to 32 bytes of URL-safe base64")
	}
	return nil
}

func secretArn(arn, region string) bool {
	return regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:` + regexp.QuoteMeta(region) + `:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$`).MatchString(arn)
}

func regionalCertificate(arn, region string) bool {
	return regexp.MustCompile(`^arn:aws[a-z-]*:acm:` + regexp.QuoteMeta(region) + `:[0-9]{12}:certificate/[0-9a-f-]{36}$`).MatchString(arn)
}
