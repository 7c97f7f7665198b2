package observability

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Targets are the dimension values the alarms need, taken from the other
// components' outputs (never looked up by name). Nil inputs mean "not in
// this stack".
type Targets struct {
	// Database is the RDS instance identifier.
	Database string
	// CacheMembers are the cache nodes' cluster IDs; CacheReplicated adds
	// replication lag alarms.
	CacheMembers    []pulumi.StringOutput
	CacheReplicated bool
	// ALB is the load balancer's ARN suffix (app/<name>/<id>); ALBTargets
	// its target groups.
	ALB        pulumi.StringInput
	ALBTargets []TargetGroup
	// NLB is the network load balancer's ARN suffix (net/<name>/<id>).
	NLB        pulumi.StringInput
	NLBTargets []TargetGroup
	// Cluster is the ECS cluster name; Services its services.
	Cluster  pulumi.StringInput
	Services []ServiceTarget
	// Processor is the push-processor's function name, FailureQueue its
	// failure queue's name; Stream the Firehose delivery stream's name.
	Processor    pulumi.StringInput
	FailureQueue pulumi.StringInput
	Stream       pulumi.StringInput
}

// TargetGroup is a target group's ARN suffix (targetgroup/<name>/<id>),
// the TargetGroup dimension, under the short name of its service.
type TargetGroup struct {
	Name      string
	ArnSuffix pulumi.StringInput
}

// ServiceTarget is an ECS service's name and the fewest tasks it runs.
type ServiceTarget struct {
	Name        string
	ServiceName pulumi.StringInput
	MinCount    int
}

// targetsOf reads the targets off the components.
func targetsOf(args *Args) *Targets {
	cache := args.Stores.Cache
	t := &Targets{
		Database:        args.Stores.MySQL.Identifier,
		CacheMembers:    cache.MemberClusterIDs,
		CacheReplicated: cache.Replicas > 0,
		ALB:             args.Cluster.ALB.ArnSuffix,
		Cluster:         args.Cluster.Name,
	}
	for _, s := range args.Services {
		t.Services = append(t.Services, ServiceTarget{Name: s.Name, ServiceName: s.Service.Name, MinCount: s.Service.MinCount})
		if s.Service.TargetGroup != nil {
			t.ALBTargets = append(t.ALBTargets, TargetGroup{Name: s.Name, ArnSuffix: s.Service.TargetGroup.ArnSuffix})
		}
		if s.Service.NLBTargetGroup != nil {
			t.NLBTargets = append(t.NLBTargets, TargetGroup{Name: s.Name, ArnSuffix: s.Service.NLBTargetGroup.ArnSuffix})
		}
	}
	if args.NLB != nil {
		t.NLB = args.NLB.ArnSuffix
	}
	if l := args.Logs; l != nil {
		t.Stream = l.StreamName
		if l.Processor != nil {
			t.Processor = l.Processor.Name
			t.FailureQueue = l.FailureQueueName
		}
	}
	return t
}
