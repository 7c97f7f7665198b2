package cost

import (
	"maps"
	"slices"

	"github.com/pushplatform/pushplatform/plan"
)

// pricer appends the lines one recorded resource costs.
type pricer func(b *builder, r *plan.Resource)

// pricers price each billable resource type. Types here are priced even if
// no stack creates them yet (KMS keys, alarms, dashboards, backups), so
// adding one later is priced at once.
var pricers = map[string]pricer{
	"aws:ec2/eip:Eip":                                              priceEIP,
	"aws:ec2/natGateway:NatGateway":                                priceNATGateway,
	"aws:ec2/instance:Instance":                                    priceInstance,
	"aws:ec2/vpcEndpoint:VpcEndpoint":                              priceEndpoint,
	"aws:ec2/flowLog:FlowLog":                                      priceFlowLog,
	"aws:lb/loadBalancer:LoadBalancer":                             priceLoadBalancer,
	"aws:alb/loadBalancer:LoadBalancer":                            priceLoadBalancer,
	"aws:ecs/service:Service":                                      priceService,
	"aws:ecs/cluster:Cluster":                                      priceCluster,
	"aws:lambda/function:Function":                                 priceFunction,
	"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": priceNamespace,
	"aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace":   priceNamespace,
	"aws:servicediscovery/service:Service":                         priceDiscoveryService,
	"aws:rds/instance:Instance":                                    priceRDS,
	"aws:elasticache/replicationGroup:ReplicationGroup":            priceReplicationGroup,
	"aws:elasticache/cluster:Cluster":                              priceCacheCluster,
	"aws:dynamodb/table:Table":                                     priceTable,
	"aws:s3/bucketV2:BucketV2":                                     priceBucket,
	"aws:s3/bucket:Bucket":                                         priceBucket,
	"aws:ecr/repository:Repository":                                priceRepository,
	"aws:secretsmanager/secret:Secret":                             priceSecret,
	"aws:kms/key:Key":                                              priceKMSKey,
	"aws:backup/vault:Vault":                                       priceBackupVault,
	"aws:cloudwatch/logGroup:LogGroup":                             priceLogGroup,
	"aws:cloudwatch/metricAlarm:MetricAlarm":                       priceAlarm,
	"aws:appautoscaling/policy:Policy":                             priceScalingPolicy,
	"aws:cloudwatch/dashboard:Dashboard":                           priceDashboard,
	"aws:cloudwatch/logDelivery:LogDelivery":                       priceLogDelivery,
	"aws:cloudfront/distribution:Distribution":                     priceDistribution,
	"aws:cloudfront/function:Function":                             priceCloudFrontFunction,
	"aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":    priceFirehose,
	"aws:sqs/queue:Queue":                                          priceQueue,
}

// Priced reports whether a resource type has a pricer.
func Priced(typ string) bool {
	_, ok := pricers[typ]
	return ok
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
