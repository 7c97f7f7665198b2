// Package components assembles the platform. Stack is the whole program:
// main.go runs it with Pulumi, and the tests and the offline plan run the
// same function on the mock engine, so nothing is wired twice.
package components

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
)

// Stack loads and validates the configuration, then builds every component
// in dependency order and exports the stack outputs. Invalid configuration
// fails before the first resource is registered.
func Stack(ctx *pulumi.Context) error {
	cfg, err := config.Load(ctx)
	if err != nil {
		return err
	}

	net, err := network.New(ctx, "network", &network.Args{Config: cfg.Network, Region: cfg.Region})
	if err != nil {
		return err
	}

	ctx.Export("region", pulumi.String(cfg.Region))
	ctx.Export("highAvailability", pulumi.Bool(cfg.HighAvailability))
	ctx.Export("vpcId", net.VpcID)
	ctx.Export("vpcCidr", pulumi.String(net.CIDR))
	ctx.Export("availabilityZones", pulumi.ToStringArray(net.AvailabilityZones))
	ctx.Export("natGateways", pulumi.String(string(cfg.Network.NATGateways)))
	ctx.Export("publicSubnetIds", net.PublicSubnetIDs)
	ctx.Export("privateSubnetIds", net.PrivateSubnetIDs)
	ctx.Export("isolatedSubnetIds", net.IsolatedSubnetIDs)
	ctx.Export("loadBalancerSecurityGroupId", net.LoadBalancers.ID)
	return nil
}
