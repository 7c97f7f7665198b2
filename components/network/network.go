// Package network owns the VPC: subnets in three tiers over the configured
// AZs, NAT, gateway endpoints, flow logs, the emptied default security group,
// the load balancers' security group, and the security-group building block
// every other component uses.
package network

import (
	"fmt"

	awsec2 "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	ec2x "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/arn"
	"github.com/pushplatform/pushplatform/config"
)

// Network is the platform's VPC and what comes with it.
type Network struct {
	pulumi.ResourceState

	// VpcID is the VPC's ID.
	VpcID pulumi.StringOutput
	// CIDR is the VPC's IPv4 range.
	CIDR string
	// AvailabilityZones are the AZs the subnets span, in order.
	AvailabilityZones []string
	// PublicSubnetIDs hold load balancers and NAT gateways, one per AZ.
	PublicSubnetIDs pulumi.StringArrayOutput
	// PrivateSubnetIDs hold tasks and functions (egress through NAT), one per AZ.
	PrivateSubnetIDs pulumi.StringArrayOutput
	// IsolatedSubnetIDs hold data stores (no route out of the VPC), one per AZ.
	IsolatedSubnetIDs pulumi.StringArrayOutput
	// AccountID and Partition of the deployment, read from an ARN the
	// network creates, so no component needs sts:GetCallerIdentity (an AWS
	// call that would break an offline preview).
	AccountID pulumi.StringOutput
	Partition pulumi.StringOutput
	// ALB is the internal load balancer's group. It admits one source,
	// CloudFront's origin-facing prefix list, on the listener port: the
	// VPC origin's traffic and nothing from inside the VPC or the internet.
	ALB *SecurityGroup
	// Endpoints is the interface endpoints' group; nil when the stack has
	// none (AWS APIs through NAT). Workloads get their path with
	// AllowAWSAPIs.
	Endpoints *SecurityGroup
	// NAT is the NAT instance's group (natGateways Instance), nil otherwise.
	NAT *SecurityGroup
	// S3PrefixList and DynamoDBPrefixList are the gateway endpoints'
	// prefix lists.
	S3PrefixList       pulumi.StringOutput
	DynamoDBPrefixList pulumi.StringOutput
}

// ALBListenerPort is the internal ALB's one listener, plain HTTP inside
// the VPC: CloudFront's VPC origin reaches an internal ALB over AWS's
// network, and no certificate can name an internal-*.elb.amazonaws.com
// host, so HTTPS there would need a custom origin domain (docs/design.md,
// "The side door").
const ALBListenerPort = 80

// Args configures the network.
type Args struct {
	Config config.Network
	Region string
}

// New creates the network.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Network, error) {
	n := &Network{CIDR: args.Config.CIDR, AvailabilityZones: args.Config.AvailabilityZones}
	if err := ctx.RegisterComponentResource("pushplatform:network:Network", name, n, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(n)

	vpc, err := ec2x.NewVpc(ctx, name+"-vpc", vpcArgs(args.Config), parent)
	if err != nil {
		return nil, fmt.Errorf("create vpc: %w", err)
	}
	n.VpcID = vpc.VpcId
	n.PublicSubnetIDs = vpc.PublicSubnetIds
	n.PrivateSubnetIDs = vpc.PrivateSubnetIds
	n.IsolatedSubnetIDs = vpc.IsolatedSubnetIds

	if err := n.newGatewayEndpoints(ctx, name, args.Region, vpc, parent); err != nil {
		return nil, err
	}
	if err := n.newInterfaceEndpoints(ctx, name, args.Region, args.Config.InterfaceEndpoints, parent); err != nil {
		return nil, err
	}
	if args.Config.NATGateways == config.NATInstance {
		if err := n.newNATInstance(ctx, name, args.Config.NATInstanceType, vpc, len(args.Config.AvailabilityZones), parent); err != nil {
			return nil, err
		}
	}
	flowLogGroupARN, err := newFlowLogs(ctx, name, vpc.VpcId, args.Config.FlowLogRetentionDays, parent)
	if err != nil {
		return nil, err
	}
	n.AccountID = arn.Account(flowLogGroupARN)
	n.Partition = arn.Partition(flowLogGroupARN)

	// Adopting the default group with no rules empties it, so nothing that
	// lands in it by accident can talk to anything (Security Hub EC2.2).
	if _, err := awsec2.NewDefaultSecurityGroup(ctx, name+"-default-sg", &awsec2.DefaultSecurityGroupArgs{
		VpcId: vpc.VpcId,
		Tags:  pulumi.StringMap{"Name": pulumi.String(name + "-default-closed")},
	}, parent); err != nil {
		return nil, fmt.Errorf("empty the default security group: %w", err)
	}

	// The prefix list counts as 55 rules of the group's default quota of
	// 60 (VPC user guide, "AWS-managed prefix list weights"), so this group
	// holds that one ingress rule and nothing else comes in.
	n.ALB, err = NewSecurityGroup(ctx, name+"-alb", &SecurityGroupArgs{
		VpcID:       vpc.VpcId,
		Description: "Internal load balancer: HTTP from CloudFront origin-facing addresses only",
	}, parent)
	if err != nil {
		return nil, err
	}
	if err := n.ALB.AllowFromPrefixList(ctx, "cloudfront", pulumi.String(args.Config.CloudFrontPrefixListID), ALBListenerPort,
		"CloudFront VPC origin to the internal load balancer"); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":             n.VpcID,
		"publicSubnetIds":   n.PublicSubnetIDs,
		"privateSubnetIds":  n.PrivateSubnetIDs,
		"isolatedSubnetIds": n.IsolatedSubnetIDs,
	}); err != nil {
		return nil, err
	}
	return n, nil
}

// vpcArgs turns the resolved network config into awsx arguments. The subnet
// CIDRs are passed explicitly (config.planSubnets computed them), so the
// layout the plan prints is the layout AWS gets, and AZs are named, so
// neither preview nor deploy asks AWS which AZs exist.
func vpcArgs(c config.Network) *ec2x.VpcArgs {
	cidr := c.CIDR
	strategy := ec2x.SubnetAllocationStrategyAuto
	specs := make([]ec2x.SubnetSpecArgs, 0, len(c.Tiers))
	for _, t := range c.Tiers {
		mask := t.Mask
		specs = append(specs, ec2x.SubnetSpecArgs{
			Type:       ec2x.SubnetType(t.Tier),
			CidrMask:   &mask,
			CidrBlocks: t.CIDRs,
		})
	}
	// A NAT instance (or none) means no NAT gateway: the instance's own
	// routes are added outside awsx.
	nat := map[config.NATStrategy]ec2x.NatGatewayStrategy{
		config.NATSingle: ec2x.NatGatewayStrategySingle, config.NATOnePerAZ: ec2x.NatGatewayStrategyOnePerAz,
		config.NATInstance: ec2x.NatGatewayStrategyNone, config.NATNone: ec2x.NatGatewayStrategyNone,
	}[c.NATGateways]
	return &ec2x.VpcArgs{
		CidrBlock:             &cidr,
		AvailabilityZoneNames: c.AvailabilityZones,
		SubnetStrategy:        &strategy,
		SubnetSpecs:           specs,
		NatGateways:           &ec2x.NatGatewayConfigurationArgs{Strategy: nat},
		// awsx leaves DNS hostnames at AWS's default (off); Cloud Map private
		// DNS and interface endpoints need both on.
		EnableDnsHostnames: pulumi.Bool(true),
		EnableDnsSupport:   pulumi.Bool(true),
	}
}
