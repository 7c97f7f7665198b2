package network

import (
	"fmt"
	"strings"

	awsec2 "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	ec2x "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// gatewayServices get a free gateway endpoint: their traffic then skips the
// NAT gateway (no per-GB NAT charge) and never leaves the AWS network.
var gatewayServices = []string{"s3", "dynamodb"}

// newGatewayEndpoints attaches S3 and DynamoDB gateway endpoints to every
// route table of the VPC (awsx does not do this for its own route tables)
// and keeps their prefix lists, the destinations egress rules name.
func (n *Network) newGatewayEndpoints(ctx *pulumi.Context, name, region string, vpc *ec2x.Vpc, parent pulumi.ResourceOption) error {
	routeTables := RouteTableIDs(vpc.RouteTables)
	for _, svc := range gatewayServices {
		ep, err := awsec2.NewVpcEndpoint(ctx, name+"-"+svc, &awsec2.VpcEndpointArgs{
			VpcId:           vpc.VpcId,
			ServiceName:     pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", region, svc)),
			VpcEndpointType: pulumi.String("Gateway"),
			RouteTableIds:   routeTables,
			Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-" + svc)},
		}, parent)
		if err != nil {
			return fmt.Errorf("create %s gateway endpoint: %w", svc, err)
		}
		switch svc {
		case "s3":
			n.S3PrefixList = ep.PrefixListId
		case "dynamodb":
			n.DynamoDBPrefixList = ep.PrefixListId
		}
	}
	return nil
}

// newInterfaceEndpoints creates one interface endpoint per configured
// service in the private subnets, with private DNS (so the SDKs' default
// hostnames resolve to it), behind one security group that admits 443
// only from the groups let in with AllowAWSAPIs.
func (n *Network) newInterfaceEndpoints(ctx *pulumi.Context, name, region string, services []string, parent pulumi.ResourceOption) error {
	if len(services) == 0 {
		return nil
	}
	sg, err := NewSecurityGroup(ctx, name+"-endpoints", &SecurityGroupArgs{
		VpcID:       n.VpcID,
		Description: "Interface endpoints: 443 from the groups that call AWS APIs",
	}, parent)
	if err != nil {
		return err
	}
	n.Endpoints = sg
	for _, svc := range services {
		logical := name + "-" + strings.ReplaceAll(svc, ".", "-")
		if _, err := awsec2.NewVpcEndpoint(ctx, logical, &awsec2.VpcEndpointArgs{
			VpcId:             n.VpcID,
			ServiceName:       pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", region, svc)),
			VpcEndpointType:   pulumi.String("Interface"),
			SubnetIds:         n.PrivateSubnetIDs,
			SecurityGroupIds:  pulumi.StringArray{sg.ID},
			PrivateDnsEnabled: pulumi.Bool(true),
			Tags:              pulumi.StringMap{"Name": pulumi.String(logical)},
		}, parent); err != nil {
			return fmt.Errorf("create %s interface endpoint: %w", svc, err)
		}
	}
	return nil
}

// AllowAWSAPIs gives a workload's group the path to AWS APIs it needs:
// with interface endpoints, 443 to the endpoints' group (which admits it);
// without them, 443 out to the internet through NAT.
func (n *Network) AllowAWSAPIs(ctx *pulumi.Context, sg *SecurityGroup, why string) error {
	if n.Endpoints == nil {
		return n.AllowInternet(ctx, sg, why)
	}
	return n.Endpoints.AllowFrom(ctx, sg, 443, why+" through interface endpoints")
}

// AllowInternet is a workload's declared need for the internet: 443 out,
// through the stack's NAT. A NAT instance's group admits the workload too
// (the packets reach it with the workload's address).
func (n *Network) AllowInternet(ctx *pulumi.Context, sg *SecurityGroup, why string) error {
	if err := sg.AllowToInternet(ctx, 443, why+" through NAT"); err != nil {
		return err
	}
	if n.NAT != nil {
		return n.NAT.AllowFrom(ctx, sg, 443, why+" through the NAT instance")
	}
	return nil
}

// AllowDynamoDB lets a group reach DynamoDB: through its gateway
// endpoint's prefix list where there is no internet egress, through the
// NAT's internet rule otherwise (AllowAWSAPIs).
func (n *Network) AllowDynamoDB(ctx *pulumi.Context, sg *SecurityGroup, why string) error {
	if n.Endpoints == nil {
		return nil // the internet rule covers DynamoDB's addresses
	}
	return sg.AllowToPrefixList(ctx, "dynamodb", n.DynamoDBPrefixList, 443, why)
}

// AllowImagePulls is AllowAWSAPIs for a container service, plus S3 through
// its gateway prefix list where there is no internet egress: ECR serves
// image layers from S3, and an app may read its own bucket (the
// producer's documents).
func (n *Network) AllowImagePulls(ctx *pulumi.Context, sg *SecurityGroup, why string) error {
	if err := n.AllowAWSAPIs(ctx, sg, why); err != nil {
		return err
	}
	if n.Endpoints == nil {
		return nil // the internet rule covers S3's addresses
	}
	return sg.AllowToPrefixList(ctx, "s3", n.S3PrefixList, 443, "S3 through its gateway endpoint: image layers and app objects")
}

// RouteTableIDs maps route tables to their IDs. It reads the tables only
// inside an apply and creates nothing there.
func RouteTableIDs(tables awsec2.RouteTableArrayOutput) pulumi.StringArrayOutput {
	return tables.ApplyT(func(rts []*awsec2.RouteTable) pulumi.StringArrayOutput {
		ids := make(pulumi.StringArray, 0, len(rts))
		for _, rt := range rts {
			ids = append(ids, rt.ID().ToStringOutput())
		}
		return ids.ToStringArrayOutput()
	}).(pulumi.StringArrayOutput)
}
