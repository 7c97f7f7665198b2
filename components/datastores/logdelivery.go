package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// Prefixes in the logs bucket, one per log source.
const (
	LogPrefixS3  = "s3"  // S3 server access logs of the data buckets
	LogPrefixALB = "alb" // load balancer access logs
	// LogPrefixNLB takes the push NLB's access logs, which AWS writes
	// only for TLS listeners, through CloudWatch Logs' delivery service.
	LogPrefixNLB = "nlb"
	// LogPrefixCloudFront takes CloudFront's standard logs (v2), which
	// CloudWatch Logs delivers from us-east-1.
	LogPrefixCloudFront = "cloudfront"
)

// CloudFrontLogRegion is where CloudFront's log delivery sources live
// (CloudFront developer guide, "Configure standard logging (v2)").
const CloudFrontLogRegion = "us-east-1"

// elbAccounts are the Elastic Load Balancing accounts that write access logs
// in Regions opened before August 2022 (ELB user guide, "Enable access logs
// for your Application Load Balancer"). Regions opened later use the
// logdelivery.elasticloadbalancing.amazonaws.com service principal instead,
// which the policy always grants as well.
var elbAccounts = map[string]string{
	"us-east-1":      "127311923021",
	"us-east-2":      "033677994240",
	"us-west-1":      "027434742980",
	"us-west-2":      "797873946194",
	"eu-west-1":      "156460612806",
	"eu-west-2":      "652711504416",
	"eu-west-3":      "009996457667",
	"eu-central-1":   "054676820928",
	"eu-north-1":     "897822967062",
	"ap-northeast-1": "582318560864",
	"ap-southeast-1": "114774131450",
	"ap-southeast-2": "783225319266",
}

// logDeliveryStatements let the AWS log services write, each under its own
// prefix and only for this account.
func logDeliveryStatements(logs *Bucket, region string, account, partition pulumi.StringOutput) []policy.Statement {
	sourceAccount := policy.Condition{Test: "StringEquals", Variable: "aws:SourceAccount", Values: pulumi.StringArray{account}}
	under := func(prefix string) pulumi.StringArray {
		return pulumi.StringArray{pulumi.Sprintf("%s/%s/AWSLogs/%s/*", logs.Arn, prefix, account)}
	}
	statements := []policy.Statement{
		{
			Sid:        "S3ServerAccessLogs",
			Actions:    []string{"s3:PutObject"},
			Resources:  pulumi.StringArray{pulumi.Sprintf("%s/%s/*", logs.Arn, LogPrefixS3)},
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"logging.s3.amazonaws.com"}}},
			Conditions: []policy.Condition{sourceAccount},
		},
		{
			Sid:        "LoadBalancerAccessLogs",
			Actions:    []string{"s3:PutObject"},
			Resources:  under(LogPrefixALB),
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"logdelivery.elasticloadbalancing.amazonaws.com"}}},
		},
		{
			// The statement CloudWatch Logs documents for vended logs sent
			// to S3 (CloudWatch Logs user guide, "Logs sent to Amazon S3"),
			// confined to this account's delivery sources in us-east-1
			// and to the cloudfront/ prefix.
			Sid:        "CloudFrontAccessLogs",
			Actions:    []string{"s3:PutObject"},
			Resources:  pulumi.StringArray{pulumi.Sprintf("%s/%s/*", logs.Arn, LogPrefixCloudFront)},
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"delivery.logs.amazonaws.com"}}},
			Conditions: []policy.Condition{
				{Test: "StringEquals", Variable: "s3:x-amz-acl", Values: pulumi.StringArray{pulumi.String("bucket-owner-full-control")}},
				sourceAccount,
				{Test: "ArnLike", Variable: "aws:SourceArn", Values: pulumi.StringArray{
					pulumi.Sprintf("arn:%s:logs:%s:%s:delivery-source:*", partition, CloudFrontLogRegion, account)}},
			},
		},
	}
	// Network Load Balancer access logs: the statements the ELB user guide
	// gives ("Enable access logs for your Network Load Balancer"), held
	// to this account and this Region's log deliveries. They are granted
	// whether or not the NLB terminates TLS today (it logs only then), so
	// adding a certificate later needs no change to this policy.
	nlbSource := []policy.Condition{sourceAccount,
		{Test: "ArnLike", Variable: "aws:SourceArn", Values: pulumi.StringArray{pulumi.Sprintf("arn:%s:logs:%s:%s:*", partition, region, account)}}}
	statements = append(statements,
		policy.Statement{
			Sid:        "NetworkLoadBalancerAccessLogsAclCheck",
			Actions:    []string{"s3:GetBucketAcl"},
			Resources:  pulumi.StringArray{logs.Arn},
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"delivery.logs.amazonaws.com"}}},
			Conditions: nlbSource,
		},
		policy.Statement{
			Sid:        "NetworkLoadBalancerAccessLogs",
			Actions:    []string{"s3:PutObject"},
			Resources:  under(LogPrefixNLB),
			Principals: []policy.Principal{{Type: "Service", Identifiers: []string{"delivery.logs.amazonaws.com"}}},
			Conditions: append([]policy.Condition{
				{Test: "StringEquals", Variable: "s3:x-amz-acl", Values: pulumi.StringArray{pulumi.String("bucket-owner-full-control")}},
			}, nlbSource...),
		})
	if elb, ok := elbAccounts[region]; ok {
		statements = append(statements, policy.Statement{
			Sid:        "LoadBalancerAccessLogsRegionalAccount",
			Actions:    []string{"s3:PutObject"},
			Resources:  under(LogPrefixALB),
			Principals: []policy.Principal{{Type: "AWS", Identifiers: []string{"arn:aws:iam::" + elb + ":root"}}},
		})
	}
	return statements
}
