package frontend

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudfront"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/provider"
)

// LogSuffixPath files the access logs by distribution and hour, under the
// logs bucket's cloudfront/ prefix (variables from the CloudFront
// developer guide, "Configure standard logging (v2)").
const LogSuffixPath = "{DistributionId}/{yyyy}/{MM}/{dd}/{HH}"

// newAccessLogs turns on CloudFront's standard logging (v2) into the logs
// bucket. The legacy logging needs ACLs on the bucket, which the platform
// keeps off (BucketOwnerEnforced); v2 goes through CloudWatch Logs'
// delivery API, which CloudFront serves from us-east-1 only, so the three
// resources use an explicit us-east-1 provider. The bucket's policy admits
// this account's us-east-1 delivery sources on the cloudfront/ prefix.
func newAccessLogs(ctx *pulumi.Context, name string, args *Args, dist *cloudfront.Distribution, parent pulumi.ResourceOption) error {
	usEast1, err := provider.InRegion(ctx, name+"-"+provider.GlobalRegion, provider.GlobalRegion, parent)
	if err != nil {
		return err
	}
	opts := []pulumi.ResourceOption{parent, pulumi.Provider(usEast1)}
	src, err := cloudwatch.NewLogDeliverySource(ctx, name+"-access-logs", &cloudwatch.LogDeliverySourceArgs{
		Name:        pulumi.String(args.LogName),
		LogType:     pulumi.String("ACCESS_LOGS"),
		ResourceArn: dist.Arn,
	}, opts...)
	if err != nil {
		return fmt.Errorf("log delivery source: %w", err)
	}
	dst, err := cloudwatch.NewLogDeliveryDestination(ctx, name+"-access-logs", &cloudwatch.LogDeliveryDestinationArgs{
		Name:         pulumi.String(args.LogName),
		OutputFormat: pulumi.String("json"),
		DeliveryDestinationConfiguration: &cloudwatch.LogDeliveryDestinationDeliveryDestinationConfigurationArgs{
			DestinationResourceArn: pulumi.Sprintf("%s/%s", args.LogsBucket.Arn, datastores.LogPrefixCloudFront),
		},
	}, opts...)
	if err != nil {
		return fmt.Errorf("log delivery destination: %w", err)
	}
	if _, err := cloudwatch.NewLogDelivery(ctx, name+"-access-logs", &cloudwatch.LogDeliveryArgs{
		DeliverySourceName:     src.Name,
		DeliveryDestinationArn: dst.Arn,
		S3DeliveryConfigurations: cloudwatch.LogDeliveryS3DeliveryConfigurationArray{
			&cloudwatch.LogDeliveryS3DeliveryConfigurationArgs{SuffixPath: pulumi.String(LogSuffixPath)},
		},
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{args.LogsBucket.Policy()}))...); err != nil {
		return fmt.Errorf("log delivery: %w", err)
	}
	return nil
}
