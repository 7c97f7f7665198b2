package observability

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/producerconsumer"
	"github.com/pushplatform/pushplatform/config"
)

// Comparison operators and missing-data treatments (CloudWatch
// PutMetricAlarm's enums).
const (
	greater        = "GreaterThanThreshold"
	greaterOrEqual = "GreaterThanOrEqualToThreshold"
	less           = "LessThanThreshold"

	// notBreaching: no data means nothing happened (no requests, no
	// invocations, no records), not that something is wrong.
	notBreaching = "notBreaching"
	// breaching: the metric is published every minute while all is well,
	// so silence is itself the failure.
	breaching = "breaching"
)

// Dimension is one CloudWatch dimension; a slice keeps their order fixed
// (Go map order never reaches an input or the dashboard).
type Dimension struct {
	Name  string
	Value pulumi.StringInput
}

// Metric is one CloudWatch metric with the statistic and period an alarm
// evaluates and the dashboard plots.
type Metric struct {
	Namespace  string
	Name       string
	Dimensions []Dimension
	// Stat is Average, Minimum, Maximum or Sum, or a percentile (p95),
	// which alarms take as extendedStatistic.
	Stat   string
	Period int
}

// Alarm is one alarm definition: the alarm resource and its dashboard
// widget are both built from it, so the two cannot drift apart.
type Alarm struct {
	// Key is the alarm's logical name within the component (db-cpu,
	// producer-5xx); AlarmArns takes it.
	Key string
	// Group is the dashboard section.
	Group  string
	Title  string
	Metric Metric
	// Comparison, Threshold, EvaluationPeriods and DatapointsToAlarm: the
	// alarm fires when DatapointsToAlarm of the last EvaluationPeriods
	// periods compare true.
	Comparison        string
	Threshold         float64
	EvaluationPeriods int
	DatapointsToAlarm int
	// TreatMissingData and why (the reason is part of the description).
	TreatMissingData string
	// Meaning is what the alarm says, one sentence.
	Meaning string
	// Minus, when set, makes the alarm evaluate Metric minus this metric
	// of the same namespace, dimensions and period (CloudWatch metric
	// math); the dashboard plots the difference.
	Minus *Subtrahend
	// StopCondition marks alarms fit to stop a chaos experiment: they
	// measure harm to users that the experiments must not cause (errors,
	// lost work), not the fault an experiment injects on purpose (a
	// stopped task, an unhealthy target, a failover).
	StopCondition bool
}

// Subtrahend is the metric an alarm subtracts from its Metric.
type Subtrahend struct {
	Name string
	Stat string
}

// Dashboard groups, in display order.
const (
	groupDatabase = "Database (RDS MySQL)"
	groupCache    = "Cache (ElastiCache)"
	groupALB      = "Application Load Balancer"
	groupNLB      = "Network Load Balancer (push WebSockets)"
	groupServices = "ECS services"
	groupQueue    = "Producer/consumer queue"
	groupLogs     = "Push records (Firehose, push-processor)"
)

var groups = []string{groupDatabase, groupCache, groupALB, groupNLB, groupServices, groupQueue, groupLogs}

const gib = 1 << 30

// MaxStopConditions is how many stop conditions FIS takes per experiment
// template; the alarms marked StopCondition never exceed it.
const MaxStopConditions = 5

// writePaths are the services whose 5xx stop a chaos experiment: the
// count API (producer) and push delivery (autoendpoint) take the writes
// the platform must not lose. The Push Messages API only reads history;
// its 5xx alarm notifies but stops nothing, which keeps the stop
// conditions within FIS's five: alb-5xx, producer-5xx, autoendpoint-5xx,
// queue-backlog, processor-failures.
var writePaths = map[string]bool{"producer": true, "autoendpoint": true}

// definitions lists every alarm of the stack, in a fixed order, from plain
// values (how many nodes, which services, which routes) and the outputs
// that fill the dimensions.
func definitions(stack string, c config.Alarms, t *Targets) []Alarm {
	var out []Alarm
	add := func(a Alarm) { out = append(out, a) }

	// RDS: one instance (the Multi-AZ standby publishes no metrics of its
	// own, and config refuses read replicas, so there is no ReplicaLag).
	db := []Dimension{{"DBInstanceIdentifier", pulumi.String(t.Database)}}
	add(Alarm{Key: "db-cpu", Group: groupDatabase, Title: "MySQL CPU",
		Metric:     Metric{"AWS/RDS", "CPUUtilization", db, "Average", 300},
		Comparison: greater, Threshold: c.DatabaseCPUPercent, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
		Meaning: fmt.Sprintf("the database's CPU averaged over %g %% for 15 minutes", c.DatabaseCPUPercent)})
	add(Alarm{Key: "db-free-storage", Group: groupDatabase, Title: "MySQL free storage",
		Metric:     Metric{"AWS/RDS", "FreeStorageSpace", db, "Minimum", 300},
		Comparison: less, Threshold: c.DatabaseFreeStorageGiB * gib, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: notBreaching,
		Meaning: fmt.Sprintf("less than %g GiB of storage is free (FreeStorageSpace is in bytes)", c.DatabaseFreeStorageGiB)})
	add(Alarm{Key: "db-connections", Group: groupDatabase, Title: "MySQL connections",
		Metric:     Metric{"AWS/RDS", "DatabaseConnections", db, "Maximum", 60},
		Comparison: greater, Threshold: float64(c.DatabaseConnections), EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: notBreaching,
		Meaning: fmt.Sprintf("more than %d connections for 5 minutes: close to max_connections, new ones will be refused", c.DatabaseConnections)})

	// ElastiCache publishes per node (CacheClusterId = member cluster).
	for i, member := range t.CacheMembers {
		n := fmt.Sprintf("%03d", i+1)
		node := []Dimension{{"CacheClusterId", member}}
		add(Alarm{Key: "cache-cpu-" + n, Group: groupCache, Title: "Cache node " + n + " host CPU",
			Metric:     Metric{"AWS/ElastiCache", "CPUUtilization", node, "Average", 300},
			Comparison: greater, Threshold: c.CacheCPUPercent, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("node %s's host CPU averaged over %g %% for 15 minutes", n, c.CacheCPUPercent)})
		add(Alarm{Key: "cache-engine-cpu-" + n, Group: groupCache, Title: "Cache node " + n + " engine CPU",
			Metric:     Metric{"AWS/ElastiCache", "EngineCPUUtilization", node, "Average", 300},
			Comparison: greater, Threshold: c.CacheEngineCPUPercent, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("node %s's engine thread averaged over %g %% for 15 minutes: commands queue up", n, c.CacheEngineCPUPercent)})
		add(Alarm{Key: "cache-memory-" + n, Group: groupCache, Title: "Cache node " + n + " memory",
			Metric:     Metric{"AWS/ElastiCache", "DatabaseMemoryUsagePercentage", node, "Maximum", 60},
			Comparison: greater, Threshold: c.CacheMemoryPercent, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("node %s uses over %g %% of maxmemory; with noeviction a full cache refuses writes (and queue entries)", n, c.CacheMemoryPercent)})
		add(Alarm{Key: "cache-evictions-" + n, Group: groupCache, Title: "Cache node " + n + " evictions",
			Metric:     Metric{"AWS/ElastiCache", "Evictions", node, "Sum", 60},
			Comparison: greater, Threshold: 0, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("node %s evicted keys: the policy is noeviction, so the parameter group changed, and queue entries may be lost", n)})
		if t.CacheReplicated {
			// Every member: roles move on failover, and a primary
			// publishes no ReplicationLag (hence notBreaching).
			add(Alarm{Key: "cache-replication-lag-" + n, Group: groupCache, Title: "Cache node " + n + " replication lag",
				Metric:     Metric{"AWS/ElastiCache", "ReplicationLag", node, "Maximum", 60},
				Comparison: greater, Threshold: c.CacheReplicationLagSeconds, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
				Meaning: fmt.Sprintf("replica %s trails the primary by over %g s for 3 minutes; the producer's WAIT for a replica times out", n, c.CacheReplicationLagSeconds)})
		}
	}

	// ALB: ELB-generated 5xx for the whole load balancer, then per target
	// group. ELB publishes only while requests flow: notBreaching.
	lb := Dimension{"LoadBalancer", t.ALB}
	add(Alarm{Key: "alb-5xx", Group: groupALB, Title: "ALB-generated 5xx",
		Metric:     Metric{"AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", []Dimension{lb}, "Sum", 60},
		Comparison: greater, Threshold: float64(c.HTTP5xxPerMinute), EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: notBreaching,
		Meaning:       fmt.Sprintf("the load balancer itself answered over %d 5xx a minute in 2 of 3 minutes (no healthy target, timeouts)", c.HTTP5xxPerMinute),
		StopCondition: true})
	for _, tg := range t.ALBTargets {
		dims := []Dimension{lb, {"TargetGroup", tg.ArnSuffix}}
		add(Alarm{Key: tg.Name + "-5xx", Group: groupALB, Title: tg.Name + " 5xx",
			Metric:     Metric{"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", 60},
			Comparison: greater, Threshold: float64(c.HTTP5xxPerMinute), EvaluationPeriods: 3, DatapointsToAlarm: 2, TreatMissingData: notBreaching,
			Meaning:       fmt.Sprintf("%s answered over %d 5xx a minute in 2 of 3 minutes", tg.Name, c.HTTP5xxPerMinute),
			StopCondition: writePaths[tg.Name]})
		add(Alarm{Key: tg.Name + "-response-time", Group: groupALB, Title: tg.Name + " p95 response time",
			Metric:     Metric{"AWS/ApplicationELB", "TargetResponseTime", dims, "p95", 60},
			Comparison: greater, Threshold: c.ResponseTimeSeconds, EvaluationPeriods: 5, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("%s's 95th percentile response took over %g s in 3 of 5 minutes", tg.Name, c.ResponseTimeSeconds)})
		add(Alarm{Key: tg.Name + "-unhealthy", Group: groupALB, Title: tg.Name + " unhealthy targets",
			Metric:     Metric{"AWS/ApplicationELB", "UnHealthyHostCount", dims, "Maximum", 60},
			Comparison: greaterOrEqual, Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("a %s task failed its load balancer health check for 3 minutes", tg.Name)})
	}

	// NLB: the WebSocket listener.
	if t.NLB != nil {
		nlb := Dimension{"LoadBalancer", t.NLB}
		add(Alarm{Key: "nlb-resets", Group: groupNLB, Title: "NLB-generated resets",
			Metric:     Metric{"AWS/NetworkELB", "TCP_ELB_Reset_Count", []Dimension{nlb}, "Sum", 60},
			Comparison: greater, Threshold: float64(c.NLBResetsPerMinute), EvaluationPeriods: 5, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("the NLB itself reset over %d connections a minute in 3 of 5 minutes (no healthy target, idle timeouts)", c.NLBResetsPerMinute)})
		for _, tg := range t.NLBTargets {
			add(Alarm{Key: tg.Name + "-nlb-unhealthy", Group: groupNLB, Title: tg.Name + " unhealthy targets",
				Metric:     Metric{"AWS/NetworkELB", "UnHealthyHostCount", []Dimension{nlb, {"TargetGroup", tg.ArnSuffix}}, "Maximum", 60},
				Comparison: greaterOrEqual, Threshold: 1, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
				Meaning: fmt.Sprintf("a %s task failed the NLB's health check for 3 minutes", tg.Name)})
		}
	}

	// ECS: every service.
	for _, s := range t.Services {
		dims := []Dimension{{"ClusterName", t.Cluster}, {"ServiceName", s.ServiceName}}
		add(Alarm{Key: s.Name + "-running", Group: groupServices, Title: s.Name + " running tasks",
			Metric:     Metric{"ECS/ContainerInsights", "RunningTaskCount", dims, "Minimum", 60},
			Comparison: less, Threshold: float64(s.MinCount), EvaluationPeriods: 5, DatapointsToAlarm: 5, TreatMissingData: breaching,
			Meaning: fmt.Sprintf("%s ran fewer than its minimum of %d tasks for 5 minutes (Container Insights reports every minute: silence counts as none)", s.Name, s.MinCount)})
		// Running below desired: autoscaling or a deployment asked for
		// tasks that do not start or do not stay up. A scale-out fills in
		// a minute or two, so only a gap in every minute of ten counts;
		// during a deployment running exceeds desired, never the reverse.
		add(Alarm{Key: s.Name + "-short", Group: groupServices, Title: s.Name + " tasks short of desired",
			Metric:     Metric{"ECS/ContainerInsights", "DesiredTaskCount", dims, "Average", 60},
			Minus:      &Subtrahend{Name: "RunningTaskCount", Stat: "Average"},
			Comparison: greater, Threshold: 0, EvaluationPeriods: 10, DatapointsToAlarm: 10, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("%s ran fewer tasks than desired (DesiredTaskCount - RunningTaskCount above 0) in every minute for 10 minutes: tasks fail to start or to stay up", s.Name)})
		add(Alarm{Key: s.Name + "-cpu", Group: groupServices, Title: s.Name + " CPU",
			Metric:     Metric{"AWS/ECS", "CPUUtilization", dims, "Average", 300},
			Comparison: greater, Threshold: c.ServiceCPUPercent, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("%s's tasks averaged over %g %% of their CPU for 15 minutes, autoscaling notwithstanding", s.Name, c.ServiceCPUPercent)})
		add(Alarm{Key: s.Name + "-memory", Group: groupServices, Title: s.Name + " memory",
			Metric:     Metric{"AWS/ECS", "MemoryUtilization", dims, "Average", 300},
			Comparison: greater, Threshold: c.ServiceMemoryPercent, EvaluationPeriods: 3, DatapointsToAlarm: 3, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("%s's tasks averaged over %g %% of their memory for 15 minutes: out-of-memory kills follow", s.Name, c.ServiceMemoryPercent)})
	}

	// The queue backlog the consumers publish every few seconds.
	queue := []Dimension{{"Queue", pulumi.String(producerconsumer.QueueName)}, {"Stack", pulumi.String(stack)}}
	add(Alarm{Key: "queue-backlog", Group: groupQueue, Title: "Queue backlog",
		Metric:     Metric{producerconsumer.QueueMetricNamespace, producerconsumer.QueueMetricName, queue, "Maximum", 60},
		Comparison: greater, Threshold: float64(c.QueueBacklog), EvaluationPeriods: 10, DatapointsToAlarm: 10, TreatMissingData: breaching,
		Meaning:       fmt.Sprintf("over %d entries waited for 10 minutes, autoscaling notwithstanding; no data means no consumer can publish it, which breaks the autoscaling too", c.QueueBacklog),
		StopCondition: true})

	if t.Processor != nil {
		fn := []Dimension{{"FunctionName", t.Processor}}
		add(Alarm{Key: "processor-errors", Group: groupLogs, Title: "push-processor errors",
			Metric:     Metric{"AWS/Lambda", "Errors", fn, "Sum", 300},
			Comparison: greaterOrEqual, Threshold: float64(c.ProcessorErrors), EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("the push-processor failed %d or more times in 5 minutes (Lambda retries twice, then the failure queue)", c.ProcessorErrors)})
		add(Alarm{Key: "processor-throttles", Group: groupLogs, Title: "push-processor throttles",
			Metric:     Metric{"AWS/Lambda", "Throttles", fn, "Sum", 300},
			Comparison: greater, Threshold: 0, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: notBreaching,
			Meaning: "the push-processor hit its reserved concurrency: S3 events wait and retry"})
		add(Alarm{Key: "processor-failures", Group: groupLogs, Title: "push-processor failure queue",
			Metric:     Metric{"AWS/SQS", "ApproximateNumberOfMessagesVisible", []Dimension{{"QueueName", t.FailureQueue}}, "Maximum", 300},
			Comparison: greater, Threshold: 0, EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: notBreaching,
			Meaning:       "events the push-processor gave up on wait in its failure queue: their messages are missing from the history",
			StopCondition: true})
	}
	if t.Stream != nil {
		stream := []Dimension{{"DeliveryStreamName", t.Stream}}
		add(Alarm{Key: "firehose-freshness", Group: groupLogs, Title: "Firehose data freshness",
			Metric:     Metric{"AWS/Firehose", "DeliveryToS3.DataFreshness", stream, "Maximum", 300},
			Comparison: greater, Threshold: float64(c.FirehoseFreshnessSeconds), EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: notBreaching,
			Meaning: fmt.Sprintf("the oldest record not yet in S3 was over %d s old for 10 minutes: delivery is stuck", c.FirehoseFreshnessSeconds)})
		add(Alarm{Key: "firehose-delivery", Group: groupLogs, Title: "Firehose delivery success",
			Metric:     Metric{"AWS/Firehose", "DeliveryToS3.Success", stream, "Minimum", 300},
			Comparison: less, Threshold: 1, EvaluationPeriods: 2, DatapointsToAlarm: 2, TreatMissingData: notBreaching,
			Meaning: "some S3 puts failed for 10 minutes (the ratio of successful puts fell below 1); failed records land under errors/"})
	}
	return out
}
