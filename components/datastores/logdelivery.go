package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// Prefixes in the logs bucket, one per log source.
const (
	LogPrefixS3  = "s3"  // S3 server access logs of the data buckets
	LogPrefixALB = "alb" // load balancer access logs
)

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
func logDeliveryStatements(logs *Bucket, region string, account pulumi.StringOutput) []policy.Statement {
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
		// No CloudFront delivery yet: nothing here serves through
		// CloudFront until the frontend lands with its own grant.
	}
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
