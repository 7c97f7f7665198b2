package network

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	awsec2 "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/arn"
	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// newFlowLogs records every accepted and rejected flow of the VPC into a
// CloudWatch log group that expires after retentionDays, and returns the
// group's ARN.
func newFlowLogs(ctx *pulumi.Context, name string, vpcID pulumi.StringOutput, retentionDays int, parent pulumi.ResourceOption) (pulumi.StringOutput, error) {
	group, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.String("/pushplatform/vpc-flow-logs/" + ctx.Stack() + "-"),
		RetentionInDays: pulumi.Int(retentionDays),
		Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-flow-logs")},
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("create flow log group: %w", err)
	}

	// The account and partition come from the log group's ARN, so the trust
	// policy can pin them (confused-deputy protection) without an AWS call.
	account := arn.Account(group.Arn)
	partition := arn.Partition(group.Arn)
	trust := policy.TrustedBy(ctx, group, "vpc-flow-logs.amazonaws.com", account,
		policy.Condition{Test: "ArnLike", Variable: "aws:SourceArn", Values: pulumi.StringArray{
			pulumi.Sprintf("arn:%s:ec2:%s:%s:vpc-flow-log/*", partition, regionOf(group.Arn), account),
		}},
	)
	role, err := iam.NewRole(ctx, name+"-flow-logs", &iam.RoleArgs{
		Description:      pulumi.String("Lets VPC flow logs write to their log group"),
		AssumeRolePolicy: trust,
		Tags:             pulumi.StringMap{"Name": pulumi.String(name + "-flow-logs")},
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("create flow log role: %w", err)
	}
	// The permissions AWS documents for flow-log delivery, narrowed to this
	// group: the log group already exists, so no logs:CreateLogGroup.
	write := policy.Document(ctx, group,
		policy.Statement{
			Sid:       "WriteFlowLogs",
			Actions:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			Resources: pulumi.StringArray{pulumi.Sprintf("%s:*", group.Arn)},
		},
		policy.Statement{
			Sid:     "FindLogGroup",
			Actions: []string{"logs:DescribeLogGroups"},
			Resources: pulumi.StringArray{
				pulumi.Sprintf("arn:%s:logs:%s:%s:log-group:*", partition, regionOf(group.Arn), account),
			},
		},
	)
	if _, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: write,
	}, parent); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("grant flow log role: %w", err)
	}

	if _, err := awsec2.NewFlowLog(ctx, name+"-flow-logs", &awsec2.FlowLogArgs{
		VpcId:                  vpcID,
		TrafficType:            pulumi.String("ALL"),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.Arn,
		MaxAggregationInterval: pulumi.Int(60),
		Tags:                   pulumi.StringMap{"Name": pulumi.String(name + "-flow-logs")},
	}, parent); err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("create flow log: %w", err)
	}
	return group.Arn, nil
}

func regionOf(a pulumi.StringOutput) pulumi.StringOutput {
	return a.ApplyT(func(s string) string { return arn.Parse(s).Region }).(pulumi.StringOutput)
}
