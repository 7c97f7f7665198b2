// Package cluster owns what every container service shares: the ECS cluster
// with its capacity providers, the Cloud Map namespace, and the internal
// Application Load Balancer that CloudFront reaches through a VPC origin.
package cluster

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/servicediscovery"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
)

// Cluster is the shared ECS platform.
type Cluster struct {
	pulumi.ResourceState

	// Name and Arn of the ECS cluster.
	Name pulumi.StringOutput
	Arn  pulumi.StringOutput
	// CapacityProviders is the cluster's capacity provider association;
	// services depend on it (FARGATE_SPOT is usable only after it exists).
	CapacityProviders pulumi.Resource
	// Spot says whether services run on FARGATE_SPOT (dev only).
	Spot bool
	// NamespaceID and NamespaceName are the Cloud Map private DNS namespace.
	NamespaceID   pulumi.StringOutput
	NamespaceName string
	// ALB is the internal load balancer; Listener (network.ALBListenerPort)
	// is where services add their rules. Nothing on the internet reaches
	// either: the ALB has no public address, and its group admits only
	// CloudFront's origin-facing addresses (the VPC origin's).
	ALB      *lb.LoadBalancer
	Listener *lb.Listener
	// LogRetentionDays is the retention of service log groups.
	LogRetentionDays int
	// Network the services run in, and its Region.
	Network *network.Network
	Region  string
}

// Args configures the cluster.
type Args struct {
	Config config.Cluster
	// Region is where the cluster runs (the services' log configuration).
	Region  string
	Network *network.Network
	// LogsBucket receives the load balancer's access logs.
	LogsBucket *datastores.Bucket
}

// New creates the cluster.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Cluster, error) {
	cfg := args.Config
	c := &Cluster{Spot: cfg.Spot, NamespaceName: cfg.Namespace, LogRetentionDays: cfg.LogRetentionDays,
		Network: args.Network, Region: args.Region}
	if err := ctx.RegisterComponentResource("pushplatform:cluster:Cluster", name, c, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(c)

	cluster, err := ecs.NewCluster(ctx, name, &ecs.ClusterArgs{
		Settings: ecs.ClusterSettingArray{&ecs.ClusterSettingArgs{
			Name: pulumi.String("containerInsights"), Value: pulumi.String(cfg.ContainerInsights),
		}},
		Tags: pulumi.StringMap{"Name": pulumi.String(name)},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("create ecs cluster: %w", err)
	}
	c.Name, c.Arn = cluster.Name, cluster.Arn

	providers := []string{"FARGATE"}
	def := ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArray{
		&ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs{CapacityProvider: pulumi.String("FARGATE"), Weight: pulumi.Int(1), Base: pulumi.Int(0)},
	}
	if cfg.Spot {
		providers = append(providers, "FARGATE_SPOT")
	}
	cp, err := ecs.NewClusterCapacityProviders(ctx, name, &ecs.ClusterCapacityProvidersArgs{
		ClusterName:                       cluster.Name,
		CapacityProviders:                 pulumi.ToStringArray(providers),
		DefaultCapacityProviderStrategies: def,
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("attach capacity providers: %w", err)
	}
	c.CapacityProviders = cp

	ns, err := servicediscovery.NewPrivateDnsNamespace(ctx, name+"-namespace", &servicediscovery.PrivateDnsNamespaceArgs{
		Name:        pulumi.String(cfg.Namespace),
		Vpc:         args.Network.VpcID,
		Description: pulumi.String("Private DNS names of the platform's services"),
		Tags:        pulumi.StringMap{"Name": pulumi.String(name + "-namespace")},
	}, parent)
	if err != nil {
		return nil, fmt.Errorf("create cloud map namespace: %w", err)
	}
	c.NamespaceID = ns.ID().ToStringOutput()

	if err := c.newLoadBalancer(ctx, name, cfg, args, parent); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"clusterName": c.Name,
		"albDnsName":  c.ALB.DnsName,
	}); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *Cluster) newLoadBalancer(ctx *pulumi.Context, name string, cfg config.Cluster, args *Args, parent pulumi.ResourceOption) error {
	logs := args.LogsBucket
	alb, err := lb.NewLoadBalancer(ctx, name+"-alb", &lb.LoadBalancerArgs{
		LoadBalancerType: pulumi.String("application"),
		// Internal, in the private subnets: no public address at all.
		Internal:                 pulumi.Bool(true),
		Subnets:                  args.Network.PrivateSubnetIDs,
		SecurityGroups:           pulumi.StringArray{args.Network.ALB.ID},
		DropInvalidHeaderFields:  pulumi.Bool(true), // no request smuggling through malformed headers
		DesyncMitigationMode:     pulumi.String("defensive"),
		EnableDeletionProtection: pulumi.Bool(cfg.DeletionProtection),
		IdleTimeout:              pulumi.Int(cfg.ALBIdleTimeoutSeconds),
		EnableHttp2:              pulumi.Bool(true),
		AccessLogs: &lb.LoadBalancerAccessLogsArgs{
			Bucket:  logs.Name,
			Prefix:  pulumi.String(datastores.LogPrefixALB),
			Enabled: pulumi.Bool(true), // a bucket alone does not turn logging on
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(name + "-alb")},
		// AWS checks the bucket policy when access logging is turned on.
	}, parent, pulumi.DependsOn([]pulumi.Resource{logs.Policy()}))
	if err != nil {
		return fmt.Errorf("create load balancer: %w", err)
	}
	c.ALB = alb

	notFound := lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
		Type: pulumi.String("fixed-response"),
		FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
			ContentType: pulumi.String("application/json"),
			StatusCode:  pulumi.String("404"),
			MessageBody: pulumi.String(`{"error":"not found"}`),
		},
	}}
	listener, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn,
		Port:            pulumi.Int(network.ALBListenerPort),
		Protocol:        pulumi.String("HTTP"),
		DefaultActions:  notFound,
		Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-http")},
	}, parent)
	if err != nil {
		return fmt.Errorf("create http listener: %w", err)
	}
	c.Listener = listener
	return nil
}
