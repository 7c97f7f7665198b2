// Package service is the one Fargate service building block: every
// container service of the platform (producer, consumer, autoconnect,
// autoendpoint, the Push Messages API) is a service.New call that says what
// differs. The block adds the rest: task definition, the execution and task
// roles, log group, security group, ECS service with circuit-breaker
// rollback, optional load balancer target, Cloud Map name and autoscaling.
package service

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/servicediscovery"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
)

// Service is one Fargate service.
type Service struct {
	pulumi.ResourceState

	// Name is the ECS service name.
	Name pulumi.StringOutput
	// SecurityGroup holds the service's tasks: let it into data stores with
	// their Allow methods, let others in with AllowFrom.
	SecurityGroup *network.SecurityGroup
	// TaskRoleArn is the application's role.
	TaskRoleArn pulumi.StringOutput
	// LogGroupName is where the containers log.
	LogGroupName pulumi.StringOutput
	// TargetGroupArn is the load balancer target group (ALB route only).
	TargetGroupArn pulumi.StringOutput
	// TargetGroup and NLBTargetGroup are the ALB and NLB target groups,
	// nil without that route: their arnSuffix is CloudWatch's TargetGroup
	// dimension.
	TargetGroup, NLBTargetGroup *lb.TargetGroup
	// MinCount is the fewest tasks the service runs (autoscaling's floor).
	MinCount int
	// DNSName is the Cloud Map name (when registered).
	DNSName string
}

// Defaults the block applies.
const (
	DefaultUser         = "65532:65532" // distroless nonroot
	DefaultCPUTarget    = 60.0
	ArchARM64           = "ARM64"
	ArchX8664           = "X86_64"
	deregistrationDelay = 30 // seconds a draining task keeps its connections
	defaultStopTimeout  = 30 // seconds from SIGTERM to SIGKILL
	// TLSPolicy is a TLS listener's security policy: TLS 1.3 and 1.2 with
	// forward secrecy only (ELB user guide, "Security policies", the
	// recommended policy).
	TLSPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06"
)

// New creates a service.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Service, error) {
	if err := normalize(name, args); err != nil {
		return nil, err
	}
	s := &Service{MinCount: args.Sizing.MinCount}
	if err := ctx.RegisterComponentResource("pushplatform:service:Service", name, s, opts...); err != nil {
		return nil, err
	}
	c := args.Cluster
	net := c.Network
	childOpts := []pulumi.ResourceOption{pulumi.Parent(s)}

	sg, err := network.NewSecurityGroup(ctx, name, &network.SecurityGroupArgs{
		VpcID:       net.VpcID,
		Description: "Tasks of " + name,
	}, childOpts...)
	if err != nil {
		return nil, err
	}
	s.SecurityGroup = sg
	// Image pulls, logs, secrets and the apps' AWS calls: through the
	// interface endpoints where the stack has them, else through NAT.
	if err := net.AllowImagePulls(ctx, sg, "AWS APIs and image pulls"); err != nil {
		return nil, err
	}

	logGroup, err := cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.String(fmt.Sprintf("/pushplatform/%s/%s-", ctx.Stack(), name)),
		RetentionInDays: pulumi.Int(c.LogRetentionDays),
		Tags:            pulumi.StringMap{"Name": pulumi.String(name)},
	}, childOpts...)
	if err != nil {
		return nil, fmt.Errorf("create log group: %w", err)
	}
	s.LogGroupName = logGroup.Name

	execRole, taskRole, err := s.newRoles(ctx, name, args, logGroup.Arn, childOpts)
	if err != nil {
		return nil, err
	}
	s.TaskRoleArn = taskRole.Arn

	td, err := ecs.NewTaskDefinition(ctx, name, &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(fmt.Sprintf("%s-%s", ctx.Stack(), name)),
		RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
		NetworkMode:             pulumi.String("awsvpc"),
		Cpu:                     pulumi.String(fmt.Sprint(args.Sizing.CPU)),
		Memory:                  pulumi.String(fmt.Sprint(args.Sizing.MemoryMiB)),
		RuntimePlatform: &ecs.TaskDefinitionRuntimePlatformArgs{
			CpuArchitecture:       pulumi.String(args.Architecture),
			OperatingSystemFamily: pulumi.String("LINUX"),
		},
		ExecutionRoleArn:     execRole.Arn,
		TaskRoleArn:          taskRole.Arn,
		ContainerDefinitions: containerDefinitions(name, c.Region, args, logGroup.Name),
		Tags:                 pulumi.StringMap{"Name": pulumi.String(name)},
	}, childOpts...)
	if err != nil {
		return nil, fmt.Errorf("create task definition: %w", err)
	}

	svcArgs := &ecs.ServiceArgs{
		Cluster:        c.Arn,
		TaskDefinition: td.Arn,
		DesiredCount:   pulumi.Int(args.Sizing.DesiredCount),
		NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
			Subnets:        net.PrivateSubnetIDs,
			SecurityGroups: pulumi.StringArray{sg.ID},
			AssignPublicIp: pulumi.Bool(false),
		},
		// A deployment whose tasks never get healthy rolls back by itself.
		DeploymentCircuitBreaker:        &ecs.ServiceDeploymentCircuitBreakerArgs{Enable: pulumi.Bool(true), Rollback: pulumi.Bool(true)},
		DeploymentMinimumHealthyPercent: pulumi.Int(100),
		DeploymentMaximumPercent:        pulumi.Int(200),
		AvailabilityZoneRebalancing:     pulumi.String("ENABLED"),
		PropagateTags:                   pulumi.String("SERVICE"),
		EnableEcsManagedTags:            pulumi.Bool(true),
		CapacityProviderStrategies:      capacity(c.Spot),
		Tags:                            pulumi.StringMap{"Name": pulumi.String(name)},
	}
	dependsOn := append([]pulumi.Resource{c.CapacityProviders}, args.After...)
	svcArgs.LoadBalancers = ecs.ServiceLoadBalancerArray{}

	if args.ALB != nil {
		tg, rule, err := s.routeFromALB(ctx, name, args, childOpts)
		if err != nil {
			return nil, err
		}
		s.TargetGroupArn, s.TargetGroup = tg.Arn, tg
		svcArgs.LoadBalancers = append(svcArgs.LoadBalancers.(ecs.ServiceLoadBalancerArray), &ecs.ServiceLoadBalancerArgs{
			TargetGroupArn: tg.Arn, ContainerName: pulumi.String(name), ContainerPort: pulumi.Int(args.Port),
		})
		svcArgs.HealthCheckGracePeriodSeconds = pulumi.Int(60)
		// A target group must be attached to a listener before a service uses it.
		dependsOn = append(dependsOn, rule)
	}

	if args.NLB != nil {
		tg, listener, err := s.routeFromNLB(ctx, name, args, childOpts)
		if err != nil {
			return nil, err
		}
		s.NLBTargetGroup = tg
		svcArgs.LoadBalancers = append(svcArgs.LoadBalancers.(ecs.ServiceLoadBalancerArray), &ecs.ServiceLoadBalancerArgs{
			TargetGroupArn: tg.Arn, ContainerName: pulumi.String(name), ContainerPort: pulumi.Int(args.Port),
		})
		svcArgs.HealthCheckGracePeriodSeconds = pulumi.Int(60)
		dependsOn = append(dependsOn, listener)
	}

	if args.DiscoveryName != "" {
		reg, err := servicediscovery.NewService(ctx, name, &servicediscovery.ServiceArgs{
			Name: pulumi.String(args.DiscoveryName),
			DnsConfig: &servicediscovery.ServiceDnsConfigArgs{
				NamespaceId:   c.NamespaceID,
				RoutingPolicy: pulumi.String("MULTIVALUE"),
				DnsRecords: servicediscovery.ServiceDnsConfigDnsRecordArray{
					&servicediscovery.ServiceDnsConfigDnsRecordArgs{Ttl: pulumi.Int(10), Type: pulumi.String("A")},
				},
			},
			HealthCheckCustomConfig: &servicediscovery.ServiceHealthCheckCustomConfigArgs{FailureThreshold: pulumi.Int(1)},
			Tags:                    pulumi.StringMap{"Name": pulumi.String(name)},
		}, childOpts...)
		if err != nil {
			return nil, fmt.Errorf("register in cloud map: %w", err)
		}
		svcArgs.ServiceRegistries = &ecs.ServiceServiceRegistriesArgs{RegistryArn: reg.Arn}
		s.DNSName = args.DiscoveryName + "." + c.NamespaceName
	}

	svc, err := ecs.NewService(ctx, name, svcArgs, append(childOpts,
		pulumi.DependsOn(dependsOn),
		// Autoscaling owns the task count after the first deploy; a deploy
		// must not reset it to desiredCount.
		pulumi.IgnoreChanges([]string{"desiredCount"}),
	)...)
	if err != nil {
		return nil, fmt.Errorf("create ecs service: %w", err)
	}
	s.Name = svc.Name

	if err := s.autoscale(ctx, name, args, svc, childOpts); err != nil {
		return nil, err
	}
	if err := ctx.RegisterResourceOutputs(s, pulumi.Map{"name": svc.Name, "securityGroupId": sg.ID}); err != nil {
		return nil, err
	}
	return s, nil
}

// normalize fills defaults and rejects what AWS would reject at deploy.
func normalize(name string, args *Args) error {
	var problems []string
	if args.Cluster == nil || args.Image == nil {
		problems = append(problems, "Cluster and Image are required")
	}
	if args.Architecture == "" {
		args.Architecture = ArchARM64
	}
	if args.User == "" {
		args.User = DefaultUser
	}
	if strings.HasPrefix(args.User, "0:") || args.User == "0" || args.User == "root" {
		problems = append(problems, "containers never run as root")
	}
	if args.Architecture != ArchARM64 && args.Architecture != ArchX8664 {
		problems = append(problems, fmt.Sprintf("Architecture %q: allowed ARM64, X86_64", args.Architecture))
	}
	if args.Cluster != nil && args.Cluster.Spot && args.Architecture != ArchX8664 {
		problems = append(problems, "Fargate Spot runs X86_64 tasks only: build this service's image for amd64")
	}
	if a := args.ALB; a != nil {
		// An ALB condition takes at most 5 values (ELB quotas, "conditions").
		if args.Port == 0 || a.Priority < 1 || a.Priority > 50000 || len(a.PathPatterns)+len(a.HostHeaders) == 0 ||
			len(a.PathPatterns) > 5 || len(a.HostHeaders) > 5 {
			problems = append(problems, "an ALB route needs a Port, a Priority of 1-50000 and 1-5 path patterns and/or host headers")
		}
	}
	if err := config.CheckFargateSize(args.Sizing.CPU, args.Sizing.MemoryMiB); err != nil {
		problems = append(problems, err.Error())
	}
	if n := args.NLB; n != nil {
		if n.IdleTimeoutSeconds == 0 {
			n.IdleTimeoutSeconds = 350
		}
		if args.Port == 0 || n.LoadBalancerArn == nil || n.SecurityGroup == nil || n.ListenerPort < 1 || n.ListenerPort > 65535 || n.HealthCheckPath == "" {
			problems = append(problems, "an NLB route needs a Port, the load balancer's ARN and security group, a listener port and a health check path")
		}
		if n.IdleTimeoutSeconds < 60 || n.IdleTimeoutSeconds > 6000 {
			problems = append(problems, fmt.Sprintf("NLB idle timeout %d s: allowed 60-6000", n.IdleTimeoutSeconds))
		}
		if n.DeregistrationDelaySeconds == 0 {
			n.DeregistrationDelaySeconds = deregistrationDelay
		}
		if n.DeregistrationDelaySeconds < 0 || n.DeregistrationDelaySeconds > 3600 {
			problems = append(problems, fmt.Sprintf("NLB deregistration delay %d s: allowed 0-3600", n.DeregistrationDelaySeconds))
		}
	}
	if args.StopTimeoutSeconds == 0 {
		args.StopTimeoutSeconds = defaultStopTimeout
	}
	if args.StopTimeoutSeconds < 2 || args.StopTimeoutSeconds > 120 {
		problems = append(problems, fmt.Sprintf("stop timeout %d s: allowed 2-120 on Fargate", args.StopTimeoutSeconds))
	}
	if args.OpenFiles < 0 || args.OpenFiles > 1048576 {
		problems = append(problems, fmt.Sprintf("open files %d: allowed up to 1048576 on Fargate", args.OpenFiles))
	}
	if args.Scaling.CPUTargetPercent == 0 {
		args.Scaling.CPUTargetPercent = DefaultCPUTarget
	}
	if m := args.Scaling.PerTask; m != nil && (m.Namespace == "" || m.Name == "" || m.Statistic == "" || m.Target <= 0) {
		problems = append(problems, "per-task scaling needs a metric namespace, name and statistic, and a target above 0")
	}
	for _, sec := range args.Secrets {
		if sec.Name == "" || sec.SecretArn == nil {
			problems = append(problems, "every secret needs a Name and a SecretArn")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("service %s: %s", name, strings.Join(problems, "; "))
	}
	return nil
}

// capacity puts the service on Fargate, or on Fargate Spot on a Spot
// cluster (dev), where an interruption costs nothing but a restart.
func capacity(spot bool) ecs.ServiceCapacityProviderStrategyArray {
	provider := "FARGATE"
	if spot {
		provider = "FARGATE_SPOT"
	}
	return ecs.ServiceCapacityProviderStrategyArray{&ecs.ServiceCapacityProviderStrategyArgs{
		CapacityProvider: pulumi.String(provider), Weight: pulumi.Int(1),
	}}
}

// routeFromALB creates the target group and the listener rule that sends
// the route's paths to the service, and lets the ALB reach the tasks.
func (s *Service) routeFromALB(ctx *pulumi.Context, name string, args *Args, opts []pulumi.ResourceOption) (*lb.TargetGroup, *lb.ListenerRule, error) {
	c := args.Cluster
	tg, err := lb.NewTargetGroup(ctx, name, &lb.TargetGroupArgs{
		TargetType:          pulumi.String("ip"), // awsvpc tasks register by IP
		Port:                pulumi.Int(args.Port),
		Protocol:            pulumi.String("HTTP"),
		VpcId:               c.Network.VpcID,
		DeregistrationDelay: pulumi.Int(deregistrationDelay),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Path:               pulumi.String(args.ALB.HealthCheckPath),
			Port:               pulumi.String("traffic-port"),
			Protocol:           pulumi.String("HTTP"),
			Matcher:            pulumi.String("200"),
			Interval:           pulumi.Int(15),
			Timeout:            pulumi.Int(5),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(3),
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("create target group: %w", err)
	}
	rule, err := lb.NewListenerRule(ctx, name, &lb.ListenerRuleArgs{
		ListenerArn: c.Listener.Arn,
		Priority:    pulumi.Int(args.ALB.Priority),
		Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
			Type: pulumi.String("forward"), TargetGroupArn: tg.Arn,
		}},
		Conditions: albConditions(args.ALB),
		Tags:       pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("create listener rule: %w", err)
	}
	if err := s.SecurityGroup.AllowFrom(ctx, c.Network.ALB, args.Port, "Load balancer to "+name); err != nil {
		return nil, nil, err
	}
	return tg, rule, nil
}

// routeFromNLB creates a TCP target group and the listener that forwards
// the NLB's port to it, and lets the NLB's group reach the tasks.
func (s *Service) routeFromNLB(ctx *pulumi.Context, name string, args *Args, opts []pulumi.ResourceOption) (*lb.TargetGroup, *lb.Listener, error) {
	n := args.NLB
	tg, err := lb.NewTargetGroup(ctx, name+"-nlb", &lb.TargetGroupArgs{
		TargetType:          pulumi.String("ip"),
		Port:                pulumi.Int(args.Port),
		Protocol:            pulumi.String("TCP"),
		VpcId:               args.Cluster.Network.VpcID,
		DeregistrationDelay: pulumi.Int(n.DeregistrationDelaySeconds),
		HealthCheck: &lb.TargetGroupHealthCheckArgs{
			Enabled:            pulumi.Bool(true),
			Protocol:           pulumi.String(cmp.Or(n.HealthCheckProtocol, "HTTP")),
			Path:               pulumi.String(n.HealthCheckPath),
			Port:               pulumi.String("traffic-port"),
			Interval:           pulumi.Int(15),
			HealthyThreshold:   pulumi.Int(2),
			UnhealthyThreshold: pulumi.Int(3),
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(name + "-nlb")},
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("create nlb target group: %w", err)
	}
	listenerArgs := &lb.ListenerArgs{
		LoadBalancerArn:       n.LoadBalancerArn,
		Port:                  pulumi.Int(n.ListenerPort),
		Protocol:              pulumi.String("TCP"),
		TcpIdleTimeoutSeconds: pulumi.Int(n.IdleTimeoutSeconds),
		DefaultActions: lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("forward"), TargetGroupArn: tg.Arn,
		}},
		Tags: pulumi.StringMap{"Name": pulumi.String(name + "-nlb")},
	}
	if n.CertificateArn != nil {
		// TLS ends at the NLB; its idle timeout is AWS's fixed 350 s.
		listenerArgs.Protocol = pulumi.String("TLS")
		listenerArgs.CertificateArn = n.CertificateArn
		listenerArgs.SslPolicy = pulumi.String(TLSPolicy)
		listenerArgs.TcpIdleTimeoutSeconds = nil
	}
	listener, err := lb.NewListener(ctx, name+"-nlb", listenerArgs, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("create nlb listener: %w", err)
	}
	if err := s.SecurityGroup.AllowFrom(ctx, n.SecurityGroup, args.Port, "Network load balancer to "+name); err != nil {
		return nil, nil, err
	}
	return tg, listener, nil
}

// albConditions matches the route's paths and host names.
func albConditions(r *ALBRoute) lb.ListenerRuleConditionArray {
	var conds lb.ListenerRuleConditionArray
	if len(r.PathPatterns) > 0 {
		conds = append(conds, &lb.ListenerRuleConditionArgs{
			PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray(r.PathPatterns)},
		})
	}
	if len(r.HostHeaders) > 0 {
		conds = append(conds, &lb.ListenerRuleConditionArgs{
			HostHeader: &lb.ListenerRuleConditionHostHeaderArgs{Values: pulumi.ToStringArray(r.HostHeaders)},
		})
	}
	return conds
}

// autoscale keeps between MinCount and MaxCount tasks, tracking CPU or the
// caller's metric.
func (s *Service) autoscale(ctx *pulumi.Context, name string, args *Args, svc *ecs.Service, opts []pulumi.ResourceOption) error {
	target, err := appautoscaling.NewTarget(ctx, name, &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("ecs"),
		ScalableDimension: pulumi.String("ecs:service:DesiredCount"),
		ResourceId:        pulumi.Sprintf("service/%s/%s", args.Cluster.Name, svc.Name),
		MinCapacity:       pulumi.Int(args.Sizing.MinCount),
		MaxCapacity:       pulumi.Int(args.Sizing.MaxCount),
		Tags:              pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return fmt.Errorf("create scaling target: %w", err)
	}
	tracking := &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
		TargetValue:      pulumi.Float64(args.Scaling.CPUTargetPercent),
		ScaleOutCooldown: pulumi.Int(60),
		ScaleInCooldown:  pulumi.Int(300),
	}
	policyName := name + "-cpu"
	if m := args.Scaling.PerTask; m != nil {
		policyName = name + "-" + strings.ToLower(m.Name) + "-per-task"
		tracking.TargetValue = pulumi.Float64(m.Target)
		tracking.CustomizedMetricSpecification = perTaskMetrics(m, args.Cluster.Name, svc.Name)
	} else if t := args.Scaling.MemoryTargetPercent; t > 0 {
		policyName = name + "-memory"
		tracking.TargetValue = pulumi.Float64(t)
		tracking.PredefinedMetricSpecification = &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
			PredefinedMetricType: pulumi.String("ECSServiceAverageMemoryUtilization"),
		}
	} else {
		tracking.PredefinedMetricSpecification = &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
			PredefinedMetricType: pulumi.String("ECSServiceAverageCPUUtilization"),
		}
	}
	if _, err := appautoscaling.NewPolicy(ctx, policyName, &appautoscaling.PolicyArgs{
		PolicyType:                               pulumi.String("TargetTrackingScaling"),
		ServiceNamespace:                         target.ServiceNamespace,
		ScalableDimension:                        target.ScalableDimension,
		ResourceId:                               target.ResourceId,
		TargetTrackingScalingPolicyConfiguration: tracking,
	}, opts...); err != nil {
		return fmt.Errorf("create scaling policy: %w", err)
	}
	return nil
}

// Metric-math query IDs of the per-task policy.
const (
	queryWork  = "work"
	queryTasks = "tasks"
	queryRatio = "per_task"
)

// RunningTasks is the Container Insights metric counting a service's
// running tasks (namespace ECS/ContainerInsights, dimensions ClusterName
// and ServiceName); the cluster's containerInsights setting must be on.
const (
	RunningTasksNamespace = "ECS/ContainerInsights"
	RunningTasksMetric    = "RunningTaskCount"
)

// perTaskMetrics is the metric math work / running tasks. Only the final
// expression returns data, as target tracking requires.
func perTaskMetrics(m *PerTaskMetric, cluster, service pulumi.StringInput) *appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationArgs {
	dims := appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArray{}
	for _, k := range slices.Sorted(maps.Keys(m.Dimensions)) {
		dims = append(dims, appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArgs{
			Name: pulumi.String(k), Value: m.Dimensions[k],
		})
	}
	stat := func(namespace, metric, statistic string, dims appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArray) *appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatArgs {
		return &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatArgs{
			Metric: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricArgs{
				Namespace: pulumi.String(namespace), MetricName: pulumi.String(metric), Dimensions: dims,
			},
			Stat: pulumi.String(statistic),
		}
	}
	tasks := appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArray{
		appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArgs{Name: pulumi.String("ClusterName"), Value: cluster},
		appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricMetricStatMetricDimensionArgs{Name: pulumi.String("ServiceName"), Value: service},
	}
	return &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationArgs{
		Metrics: appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricArray{
			appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricArgs{
				Id: pulumi.String(queryWork), Label: pulumi.String(m.Name), ReturnData: pulumi.Bool(false),
				MetricStat: stat(m.Namespace, m.Name, m.Statistic, dims),
			},
			appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricArgs{
				Id: pulumi.String(queryTasks), Label: pulumi.String("running tasks"), ReturnData: pulumi.Bool(false),
				MetricStat: stat(RunningTasksNamespace, RunningTasksMetric, "Average", tasks),
			},
			appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationCustomizedMetricSpecificationMetricArgs{
				Id: pulumi.String(queryRatio), Label: pulumi.String(m.Name + " per running task"), ReturnData: pulumi.Bool(true),
				Expression: pulumi.String(queryWork + " / " + queryTasks),
			},
		},
	}
}
