package service

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
)

// Args says what makes one service different; the block does the rest.
type Args struct {
	// Cluster the service runs in (and whose network, namespace and load
	// balancer it uses).
	Cluster *cluster.Cluster
	// Image is the container image, by digest where possible.
	Image pulumi.StringInput
	// RepositoryArn is the ECR repository the image comes from: the
	// execution role may pull from it and nothing else. Empty for a public
	// image.
	RepositoryArn pulumi.StringInput
	// Architecture of the image: ARM64 (default, Graviton) or X86_64. On a
	// Spot cluster X86_64 is required (Fargate Spot runs no ARM64 tasks).
	Architecture string
	// Sizing is the task size and task counts.
	Sizing config.Service
	// Port is the container port; 0 for a service that takes no traffic.
	Port int
	// Command overrides the image's command.
	Command []string
	// Environment holds plain settings. Never a credential: use Secrets.
	Environment map[string]pulumi.StringInput
	// Secrets are injected by ECS from Secrets Manager; the execution role
	// may read exactly these secrets.
	Secrets []Secret
	// HealthCheck is the container health check command (exec form, e.g.
	// ["CMD", "/producer", "-healthcheck"]); nil for none.
	HealthCheck []string
	// User runs the container as this uid:gid; default 65532:65532 (the
	// distroless nonroot user). Never root.
	User string
	// WritableRootFilesystem turns off the read-only root filesystem, for
	// images that write outside their volumes.
	WritableRootFilesystem bool
	// StopTimeoutSeconds is how long ECS waits after SIGTERM before
	// SIGKILL: 30 by default, at most 120 on Fargate.
	StopTimeoutSeconds int
	// OpenFiles raises the nofile ulimit (soft and hard) for a service
	// holding many sockets; 0 keeps Fargate's default. Fargate allows up
	// to 1048576.
	OpenFiles int
	// TaskPolicy is what the application itself may do (the task role).
	TaskPolicy []policy.Statement
	// ALB routes requests to the service; nil for none.
	ALB *ALBRoute
	// NLB forwards a TCP port of a network load balancer to the service
	// (long-lived connections such as WebSockets); nil for none.
	NLB *NLBRoute
	// DiscoveryName registers the service in Cloud Map as
	// <DiscoveryName>.<namespace>; empty for none.
	DiscoveryName string
	// Scaling decides what autoscaling tracks; the zero value tracks
	// average CPU at 60 %.
	Scaling Scaling
	// After are resources the ECS service waits for: its tasks start only
	// once these exist (the schema migration that creates their tables).
	After []pulumi.Resource
}

// Secret is one environment variable filled from a Secrets Manager secret.
type Secret struct {
	// Name is the environment variable.
	Name string
	// SecretArn is the full ARN of the secret.
	SecretArn pulumi.StringInput
	// Key is the JSON key inside the secret; empty for the whole value.
	Key string
}

// ALBRoute is how the public load balancer reaches the service: requests
// matching the paths and/or the host names (both must match when both are
// given).
type ALBRoute struct {
	// PathPatterns route requests, e.g. ["/api/*"].
	PathPatterns []string
	// HostHeaders route requests by host name, e.g. ["push.example.com"].
	HostHeaders []string
	// Priority of the listener rule (1-50000), unique per listener.
	Priority int
	// HealthCheckPath answers 200 when a task can take traffic.
	HealthCheckPath string
}

// NLBRoute is a TCP listener of a network load balancer forwarding to the
// service's container port. The block creates the target group and the
// listener, and lets the load balancer's group in.
type NLBRoute struct {
	// LoadBalancerArn is the network load balancer (owned by the caller).
	LoadBalancerArn pulumi.StringInput
	// SecurityGroup is the load balancer's group, let in on the port.
	SecurityGroup *network.SecurityGroup
	// ListenerPort is the port clients connect to.
	ListenerPort int
	// IdleTimeoutSeconds closes idle flows (NLB TCP: 60-6000, AWS default
	// 350); it must exceed the application's ping interval. A TLS
	// listener's idle timeout is fixed by AWS at 350 s.
	IdleTimeoutSeconds int
	// CertificateArn turns the listener into TLS (the NLB terminates TLS
	// and forwards plain TCP to the tasks); empty: TCP passthrough.
	CertificateArn pulumi.StringInput
	// DeregistrationDelaySeconds is how long a deregistered task keeps its
	// connections (0-3600; 30 by default).
	DeregistrationDelaySeconds int
	// HealthCheckPath is checked over HTTP on the container port.
	HealthCheckPath string
	// HealthCheckProtocol is HTTP (default) or HTTPS, for a container
	// port that speaks TLS.
	HealthCheckProtocol string
}

// Scaling is the target-tracking policy of the service.
type Scaling struct {
	// CPUTargetPercent is the average CPU to keep; default 60, as the
	// reference deployment scaled.
	CPUTargetPercent float64
	// MemoryTargetPercent, when set, tracks average memory instead of CPU:
	// for a service whose load is held connections, not requests.
	MemoryTargetPercent float64
	// PerTask, when set, tracks a work metric divided by the service's
	// running tasks instead of CPU (the consumer tracks queue backlog per
	// task).
	PerTask *PerTaskMetric
}

// PerTaskMetric is a CloudWatch metric measuring the work waiting for the
// whole service (a queue's backlog). The block divides it by the service's
// running task count (Container Insights RunningTaskCount) with metric
// math and keeps that quotient at Target. Target tracking sets the task
// count to about current x metric / target; with metric = work / current
// that is work / target: proportional to the work, whatever the current
// count. Tracking the work itself against a per-task target would
// multiply the current count instead, and run away to maxCount.
type PerTaskMetric struct {
	Namespace  string
	Name       string
	Dimensions map[string]pulumi.StringInput
	// Statistic over the period: Maximum when every task publishes the
	// same whole-service reading.
	Statistic string
	// Target is the work one task should have waiting.
	Target float64
}
