package cost

import (
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// Status says how far a price can be trusted.
type Status string

const (
	// Verified: read from AWS's own pricing data for Frankfurt, or a
	// Frankfurt billing record quoting AWS.
	Verified Status = "verified"
	// Estimated: derived from another region's price or a stated ratio.
	Estimated Status = "estimate"
	// Unverified: a published price nobody re-read for Frankfurt here.
	Unverified Status = "unverified"
)

// Price is one eu-central-1 on-demand unit price in USD, with its source,
// the date of that source and how far it was checked.
type Price struct {
	USD    float64 `json:"usd"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	AsOf   string  `json:"asOf"`
	Status Status  `json:"status"`
}

// Dates of the sources the prices below come from.
const (
	// asOfFeed: AWS pricing-page data files (b0.p.awsstatic.com
	// meteredUnitMaps, key "EU (Frankfurt)") as snapshotted 2025-11-04.
	asOfFeed = "2025-11-04"
	// asOfRecords: Frankfurt billing records and third-party transcriptions,
	// dated as each source says.
	asOfRecords = "2024-09..2026-08"
	// asOfPages: AWS pricing pages as quoted by third parties in 2026.
	asOfPages = "2026-03"
)

// PricesAsOf dates the whole table for the report header.
const PricesAsOf = "AWS pricing data files 2025-11-04; other sources dated per price; estimates and unverified prices marked"

// fromPlan wraps a price of package plan (network, load balancers,
// Fargate): plan marks its estimates in the source text.
func fromPlan(p plan.UnitPrice) Price {
	st := Verified
	if strings.HasPrefix(p.Source, "estimate") {
		st = Estimated
	}
	asOf := asOfFeed
	if !strings.Contains(p.Source, "AWS pricing data") {
		asOf = asOfRecords
	}
	return Price{USD: p.USD, Unit: p.Unit, Source: p.Source, AsOf: asOf, Status: st}
}

// Network, load balancer and Fargate prices come from package plan, so the
// network cost, the push capacity table and this estimate agree.
var (
	PriceNATGatewayHour = fromPlan(plan.PriceNATGatewayHour)
	PriceNATGatewayGB   = fromPlan(plan.PriceNATGatewayGB)
	PricePublicIPv4Hour = fromPlan(plan.PricePublicIPv4Hour)
	PriceEndpointAZHour = fromPlan(plan.PriceEndpointAZHour)
	PriceEndpointGB     = fromPlan(plan.PriceEndpointGB)
	PriceALBHour        = fromPlan(plan.PriceALBHour)
	PriceLCUHour        = fromPlan(plan.PriceLCUHour)
	PriceNLBHour        = fromPlan(plan.PriceNLBHour)
	PriceNLCUHour       = fromPlan(plan.PriceNLCUHour)
	PriceARMvCPU        = fromPlan(plan.PriceARMvCPU)
	PriceARMGB          = fromPlan(plan.PriceARMGB)
	PriceX86vCPU        = fromPlan(plan.PriceX86vCPU)
	PriceX86GB          = fromPlan(plan.PriceX86GB)
)

// PriceInstanceHour holds the EC2 instance types (the NAT instance) priced
// here; plan.PriceInstanceHour is the one table.
func PriceInstanceHour(typ string) (Price, bool) {
	p, ok := plan.PriceInstanceHour[typ]
	return fromPlan(p), ok
}

// FargateSpotFactor is the share of the on-demand Fargate price a
// FARGATE_SPOT task is estimated to pay. AWS advertises "up to 70%" off and
// the Spot rate varies; no Frankfurt Spot rate was found, so this takes the
// low end of the 50-70% discount range published for it, and errs high.
const FargateSpotFactor = 0.5

// FargateSpotSource cites FargateSpotFactor.
const FargateSpotSource = "estimate: 50% off on-demand, the low end of the 50-70% Fargate Spot discount (nclouds.com/blog/aws-fargate-spot-cost-optimization, fortem.dev/fargate-spot); Frankfurt Spot rate not found"

// Data stores.
var (
	// PriceRDSInstanceHour is per Single-AZ instance-hour, MySQL; Multi-AZ
	// bills a primary and a standby (2x), AWS RDS user guide
	// USER_OnDemandDBInstances.
	PriceRDSInstanceHour = map[string]Price{
		"db.t4g.micro":  {0.019, "$/instance-hour", "Frankfurt feed quoted in a public project plan (AWS feed published 2026-08-18; PostgreSQL, MySQL assumed equal as in us-east-1); Cost Explorer line EUC1-InstanceUsage:db.t4g.micro $13.68/720 h", asOfRecords, Verified},
		"db.t4g.small":  {0.037, "$/instance-hour", "CUR public on-demand rate EUC1-InstanceUsage:db.t4g.small", asOfRecords, Verified},
		"db.t4g.medium": {0.075, "$/instance-hour", "estimate: us-east-1 $0.065 (infratally.com RDS pricing 2026) x 1.16, the Frankfurt/us-east-1 ratio of db.t4g.small", asOfRecords, Estimated},
		"db.m7g.large":  {0.198, "$/instance-hour", "estimate: us-east-1 $0.168 (not found in a source) x ~1.18", asOfRecords, Estimated},
		"db.t3.micro":   {0.020, "$/instance-hour", "estimate: PostgreSQL db.t3.micro Frankfurt $0.021 (infracanvas snapshot, 2026-08-10) less MySQL's us-east-1 difference $0.001", asOfRecords, Estimated},
		"db.t3.small":   {0.040, "$/instance-hour", "CUR public on-demand rate EUC1-InstanceUsage:db.t3.small, MySQL", asOfRecords, Verified},
	}
	PriceRDSStorageGB = map[string]Price{
		"gp3": {0.137, "$/GB-month", "Frankfurt feed quoted in a public project plan (2026-08-18); Cost Explorer line EUC1-RDS:GP3-Storage 20 GB = $2.74", asOfRecords, Verified},
		"gp2": {0.137, "$/GB-month", "unverified: assumed equal to gp3, as in us-east-1 (0.115 both)", asOfRecords, Unverified},
	}
	PriceRDSBackupGB = Price{0.095, "$/GB-month", "unverified: us-east-1 rate beyond the free backup storage equal to the provisioned size (usage.ai RDS pricing; aws.amazon.com/blogs/database/demystifying-amazon-rds-backup-storage-costs)", asOfPages, Unverified}

	// PriceCacheNodeHour is per node-hour, keyed engine/nodeType; Valkey is
	// 20% below Redis OSS for node-based clusters.
	PriceCacheNodeHour = map[string]Price{
		"redis/cache.t4g.micro":  {0.018, "$/node-hour", "estimate: us-east-1 $0.016 (CUR public rate) x 1.12, the Frankfurt/us-east-1 ratio of cache.t3.small (0.038/0.034)", asOfRecords, Estimated},
		"valkey/cache.t4g.micro": {0.0144, "$/node-hour", "estimate: us-east-1 Valkey $0.0128 (AWS elasticache.json as quoted 2026-09-14) x 1.12", asOfRecords, Estimated},
		"redis/cache.t4g.small":  {0.036, "$/node-hour", "estimate: us-east-1 $0.032 x 1.12", asOfRecords, Estimated},
		"valkey/cache.t4g.small": {0.0288, "$/node-hour", "estimate: Redis OSS estimate less Valkey's 20%", asOfRecords, Estimated},
		"redis/cache.t3.small":   {0.038, "$/node-hour", "CUR public on-demand rate, eu-central-1 cache.t3.small", asOfRecords, Verified},
		"valkey/cache.t3.small":  {0.0304, "$/node-hour", "estimate: Redis OSS rate less Valkey's 20%", asOfRecords, Estimated},
		"redis/cache.m7g.large":  {0.190, "$/node-hour", "estimate: us-east-1 $0.158 x 1.20, the large-node ratio (cache.r5.large 0.26/0.216)", asOfRecords, Estimated},
		"valkey/cache.m7g.large": {0.152, "$/node-hour", "estimate: Redis OSS estimate less Valkey's 20%", asOfRecords, Estimated},
	}
	PriceCacheBackupGB = Price{0.085, "$/GB-month", "unverified: ElastiCache backup storage, published as the same in all regions (aws.amazon.com/elasticache/pricing)", asOfPages, Unverified}

	PriceDynamoWriteMillion = Price{0.7625, "$/million write request units", "AWS pricing data dynamodb.json, EU (Frankfurt), on-demand", asOfFeed, Verified}
	PriceDynamoReadMillion  = Price{0.1525, "$/million read request units", "AWS pricing data dynamodb.json, EU (Frankfurt), on-demand", asOfFeed, Verified}
	PriceDynamoStorageGB    = Price{0.306, "$/GB-month", "AWS pricing data dynamodb.json, EU (Frankfurt), Standard table class; first 25 GB a month free", asOfFeed, Verified}
	PriceDynamoPITRGB       = Price{0.2448, "$/GB-month", "AWS pricing data dynamodb.json, EU (Frankfurt), continuous backups (PITR)", asOfFeed, Verified}

	PriceS3StorageGB = Price{0.0245, "$/GB-month", "AWS pricing data s3.json, EU (Frankfurt), Standard first 50 TB", asOfFeed, Verified}
	PriceS3PutK      = Price{0.0054, "$/1,000 PUT requests", "AWS pricing data s3.json, EU (Frankfurt)", asOfFeed, Verified}
	PriceS3GetK      = Price{0.00043, "$/1,000 GET requests", "AWS pricing data s3.json, EU (Frankfurt)", asOfFeed, Verified}

	PriceECRStorageGB = Price{0.10, "$/GB-month", "unverified for Frankfurt: $0.10 per GB-month on the ECR pricing page as quoted for us-east-1 (cloudburn.io/blog/amazon-ecr-pricing, handbook.vantage.sh ECR, March 2026)", asOfPages, Unverified}
)

// Compute beyond Fargate, edge and integration.
var (
	PriceEBSgp3GB = Price{0.0952, "$/GB-month", "unverified: EBS gp3 Frankfurt, us-east-1 $0.08 x 1.19", asOfPages, Unverified}

	PriceLambdaRequestsMillion = Price{0.20, "$/million requests", "AWS pricing data lambda.json, EU (Frankfurt)", asOfFeed, Verified}
	PriceLambdaGBSecondARM     = Price{0.0000133334, "$/GB-second", "AWS pricing data lambda.json, EU (Frankfurt), arm64", asOfFeed, Verified}
	PriceLambdaGBSecondX86     = Price{0.0000166667, "$/GB-second", "AWS pricing data lambda.json, EU (Frankfurt), x86", asOfFeed, Verified}

	PriceFirehoseGB = Price{0.035, "$/GB ingested (each record rounded up to 5 KB)", "estimate: us-east-1 $0.029 x 1.2; 5 KB rounding per aws.amazon.com/kinesis/data-firehose/pricing", asOfPages, Estimated}

	PriceCloudFrontGB        = Price{0.085, "$/GB out, Europe, after the always-free 1 TB", "aws.amazon.com/cloudfront/pricing, Europe first 10 TB; always-free 1 TB and 10M requests a month", asOfPages, Verified}
	PriceCloudFrontHTTPS10k  = Price{0.012, "$/10,000 HTTPS requests, after the always-free 10M", "AWS pricing data cloudfront.json, \"EU: Request HTTPS Methods\"", asOfFeed, Verified}
	PriceCloudFrontFnMillion = Price{0.10, "$/million CloudFront Functions invocations, after the free 2M", "unverified: aws.amazon.com/cloudfront/pricing (not re-read here)", asOfPages, Unverified}

	PriceSQSMillion = Price{0.40, "$/million requests after the free 1M", "unverified: standard queue price in us-east-1 (aws.amazon.com/sqs/pricing, not re-read here)", asOfPages, Unverified}

	PriceSecret           = Price{0.40, "$/secret-month", "Cost Explorer line EUC1-AWSSecretsManager-Secrets: 4 secrets = $1.60 (a Frankfurt bill); the same rate on hivebook.wiki's Secrets Manager pricing page", asOfRecords, Verified}
	PriceSecretAPI10k     = Price{0.05, "$/10,000 API calls", "hivebook.wiki Secrets Manager pricing", asOfRecords, Verified}
	PriceKMSKey           = Price{1.00, "$/key-month", "aws.amazon.com/kms/pricing: each customer managed key $1/month prorated hourly, in every region; with automatic rotation each new backing key adds $1/month (not counted here: none in the first year)", asOfPages, Verified}
	PriceHostedZone       = Price{0.50, "$/hosted zone-month (first 25)", "unverified: Route 53 private hosted zone that Cloud Map creates for a DNS namespace (docs.aws.amazon.com/cloud-map/latest/dg/namespaces-values.html), aws.amazon.com/route53/pricing (not re-read here)", asOfPages, Unverified}
	PriceCloudMapInstance = Price{0.10, "$/registered instance-month", "unverified: aws.amazon.com/cloud-map/pricing (not re-read here)", asOfPages, Unverified}

	PriceBackupWarmGB = Price{0.095, "$/GB-month", "unverified: AWS Backup warm storage for RDS in us-east-1 (factualminds.com AWS Backup pricing)", asOfPages, Unverified}
)

// CloudWatch.
var (
	PriceLogsIngestGB = Price{0.63, "$/GB ingested", "AWS pricing data cloudwatch.json, EU (Frankfurt), standard logs", asOfFeed, Verified}
	PriceLogsStoreGB  = Price{0.0324, "$/GB-month stored", "AWS pricing data cloudwatch.json, EU (Frankfurt)", asOfFeed, Verified}
	PriceVendedLogsGB = Price{0.63, "$/GB ingested", "AWS pricing data cloudwatch.json, EU (Frankfurt), \"Vended Logs First 10TB\" to CloudWatch Logs", asOfFeed, Verified}
	PriceVendedToS3GB = Price{0.285, "$/GB delivered", "AWS pricing data cloudwatch.json, EU (Frankfurt), vended logs to S3 or Firehose", asOfFeed, Verified}
	PriceCustomMetric = Price{0.30, "$/metric-month", "AWS pricing data cloudwatch.json, EU (Frankfurt), first 10,000 metrics; Container Insights metrics bill as custom metrics (CloudWatch user guide, Container-Insights-metrics-ECS)", asOfFeed, Verified}
	PriceAlarm        = Price{0.10, "$/alarm metric-month", "AWS pricing data cloudwatch.json, EU (Frankfurt), standard resolution (high resolution $0.30)", asOfFeed, Verified}
	PriceAlarmHighRes = Price{0.30, "$/alarm metric-month", "AWS pricing data cloudwatch.json, EU (Frankfurt), high resolution", asOfFeed, Verified}
	PriceDashboard    = Price{3.00, "$/dashboard-month", "AWS pricing data cloudwatch.json; first 3 dashboards a month free (not deducted here)", asOfFeed, Verified}
)

// Container Insights emits these custom metrics for ECS (CloudWatch user
// guide, "Amazon ECS Container Insights metrics", Fargate): 11 per cluster,
// 13 per service, 8 per task definition family.
const (
	ciMetricsPerCluster = 11
	ciMetricsPerService = 13
	ciMetricsPerFamily  = 8
)

// ciEnhancedNote: enhanced observability adds task and container metrics
// billed per observation; no rate was found, so enhanced is priced as the
// standard metric set, a lower bound.
const ciEnhancedNote = "unverified lower bound: enhanced observability bills per observation (tiered); no rate found, priced as the standard metric set"
