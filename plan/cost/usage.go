package cost

import (
	"fmt"

	"github.com/pushplatform/pushplatform/plan"
)

// Usage is what the estimate assumes about an idle month: every quantity
// the recorded inputs cannot say (how much data lands where).
type Usage struct {
	// LogGBPerGroup is what each log group ingests a month at idle
	// (health checks, start-up lines, slow-query logs).
	LogGBPerGroup float64 `json:"logGbPerGroup"`
	// FlowLogGB is what VPC flow logs deliver a month per flow log.
	FlowLogGB float64 `json:"flowLogGb"`
	// ContainerInsightsGBPerTask is the performance log events Container
	// Insights writes per running task a month.
	ContainerInsightsGBPerTask float64 `json:"containerInsightsGbPerTask"`
	// EnhancedMonitoringBytesPerSample is one RDS Enhanced Monitoring
	// sample in the RDSOSMetrics log group.
	EnhancedMonitoringBytesPerSample float64 `json:"enhancedMonitoringBytesPerSample"`
	// S3GBPerBucket is what each bucket holds.
	S3GBPerBucket float64 `json:"s3GbPerBucket"`
	// ECRGBPerImage is the unique (compressed) layers each kept image adds.
	ECRGBPerImage float64 `json:"ecrGbPerImage"`
	// ECRImagesDefault is how many images a repository keeps when no
	// lifecycle rule caps it.
	ECRImagesDefault int `json:"ecrImagesDefault"`
	// DynamoGBPerTable is what each table holds.
	DynamoGBPerTable float64 `json:"dynamoGbPerTable"`
	// RootVolumeGB is an EC2 instance's root volume when its launch
	// template sets none (the AMI's default).
	RootVolumeGB float64 `json:"rootVolumeGb"`
}

// DefaultUsage is an idle month: no client traffic, tasks at their desired
// counts, small logs.
var DefaultUsage = Usage{
	LogGBPerGroup:                    0.1,
	FlowLogGB:                        1,
	ContainerInsightsGBPerTask:       0.07, // ~1.5 KB a minute
	EnhancedMonitoringBytesPerSample: 2000,
	S3GBPerBucket:                    1,
	ECRGBPerImage:                    0.05,
	ECRImagesDefault:                 10,
	DynamoGBPerTable:                 1,
	RootVolumeGB:                     8, // Amazon Linux 2023 AMI default (unverified)
}

// statements are the assumptions printed once with every estimate.
func (u Usage) statements() []string {
	return []string{
		fmt.Sprintf("%d hours a month; region eu-central-1; on-demand prices (Fargate Spot where a service asks for it); no free tier deducted unless a line says so", plan.HoursPerMonth),
		"idle: every ECS service runs its desiredCount tasks (the autoscaling minimum at rest); no client traffic, no requests, no data processed beyond the GB stated here",
		fmt.Sprintf("CloudWatch Logs: %.2g GB a month into each log group, %.2g GB per flow log, %.2g GB of Container Insights performance events per task; stored for the group's retention", u.LogGBPerGroup, u.FlowLogGB, u.ContainerInsightsGBPerTask),
		fmt.Sprintf("storage as allocated: RDS allocatedStorage (x2 with Multi-AZ), backups within the free size; S3 %.2g GB per bucket; DynamoDB %.2g GB per table; ECR %.2g GB per kept image", u.S3GBPerBucket, u.DynamoGBPerTable, u.ECRGBPerImage),
		"not included: data transfer out and cross-AZ traffic, load balancer capacity units (0 at idle), requests to DynamoDB, S3, Lambda, Firehose, SQS, CloudFront (see the per-usage prices), taxes, support plans",
	}
}
