package network

import (
	"fmt"

	awsec2 "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	ec2x "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// gatewayServices get a free gateway endpoint: their traffic then skips the
// NAT gateway (no per-GB NAT charge) and never leaves the AWS network.
var gatewayServices = []string{"s3", "dynamodb"}

// newGatewayEndpoints attaches S3 and DynamoDB gateway endpoints to every
// route table of the VPC. awsx does not do this for its own route tables.
func newGatewayEndpoints(ctx *pulumi.Context, name, region string, vpc *ec2x.Vpc, parent pulumi.ResourceOption) error {
	routeTables := RouteTableIDs(vpc.RouteTables)
	for _, svc := range gatewayServices {
		_, err := awsec2.NewVpcEndpoint(ctx, name+"-"+svc, &awsec2.VpcEndpointArgs{
			VpcId:           vpc.VpcId,
			ServiceName:     pulumi.String(fmt.Sprintf("com.amazonaws.%s.%s", region, svc)),
			VpcEndpointType: pulumi.String("Gateway"),
			RouteTableIds:   routeTables,
			Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-" + svc)},
		}, parent)
		if err != nil {
			return fmt.Errorf("create %s gateway endpoint: %w", svc, err)
		}
	}
	return nil
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
