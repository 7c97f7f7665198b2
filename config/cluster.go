package config

import (
	"regexp"
	"slices"
)

// Cluster is the resolved ECS cluster configuration.
type Cluster struct {
	ContainerInsights string `json:"containerInsights"`
	// Spot runs services on FARGATE_SPOT (X86_64 only); dev only.
	Spot bool `json:"spot"`
	// Namespace is the Cloud Map private DNS namespace: services are
	// reachable as <service>.<namespace>.
	Namespace             string `json:"namespace"`
	ALBIdleTimeoutSeconds int    `json:"albIdleTimeoutSeconds"`
	// LogRetentionDays is the retention of the services' log groups.
	LogRetentionDays int `json:"logRetentionDays"`
	// DeletionProtection keeps the load balancer from being deleted.
	DeletionProtection bool `json:"deletionProtection"`
}

var (
	dnsNamespace = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

func resolveCluster(in ClusterInput, stack string, ha bool, p profile, errs *Errors) Cluster {
	c := Cluster{
		ContainerInsights:     deref(in.ContainerInsights, p.Cluster.ContainerInsights),
		Spot:                  deref(in.Spot, p.Cluster.Spot),
		Namespace:             deref(in.Namespace, stack+".pushplatform.internal"),
		ALBIdleTimeoutSeconds: deref(in.ALBIdleTimeoutSeconds, 60),
		LogRetentionDays:      deref(in.LogRetentionDays, p.Cluster.LogRetentionDays),
		DeletionProtection:    p.Cluster.DeletionProtection,
	}
	if !slices.Contains([]string{"enhanced", "enabled"}, c.ContainerInsights) {
		errs.add("cluster.containerInsights", quote(c.ContainerInsights),
			"allowed: enhanced or enabled; the consumer scales on backlog per running task, and the running task count (RunningTaskCount) is a Container Insights metric")
	}
	if c.Spot && ha {
		errs.add("cluster.spot", "true", "Fargate Spot tasks can be stopped at two minutes' notice; allowed in dev only (highAvailability false)")
	}
	if len(c.Namespace) > 253 || !dnsNamespace.MatchString(c.Namespace) {
		errs.add("cluster.namespace", quote(c.Namespace), "must be a lowercase DNS name such as dev.pushplatform.internal")
	}
	if c.ALBIdleTimeoutSeconds < 1 || c.ALBIdleTimeoutSeconds > 4000 {
		errs.add("cluster.albIdleTimeoutSeconds", quote(c.ALBIdleTimeoutSeconds), "allowed 1 to 4000 seconds (ALB limit)")
	}
	if in.CertificateArn != nil {
		errs.add("cluster.certificateArn", quote(*in.CertificateArn),
			"is no longer read: the load balancer is internal and reached only through CloudFront; put the viewer certificate (from us-east-1) in frontend.certificateArn with frontend.aliases")
	}
	if !slices.Contains(LogRetentionDays, c.LogRetentionDays) {
		errs.add("cluster.logRetentionDays", quote(c.LogRetentionDays), "allowed CloudWatch Logs retention days: %s", joinInts(LogRetentionDays))
	}
	return c
}
