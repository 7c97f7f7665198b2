package main

import (
	"context"
	"maps"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/pushplatform/pushplatform/internal/backlog"
	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// consumerDefaults are the settings the consumer reads that the task
// definition leaves at their defaults on purpose.
var consumerDefaults = []string{
	"CONSUMER_BATCH",            // rows per transaction, measured in the benchmarks
	"CONSUMER_BLOCK_MS",         // how long one read waits for new entries
	"CONSUMER_DRAIN_TIMEOUT_MS", // 20 s, within the container's 30 s stopTimeout
	"CONSUMER_HEALTH_PORT",      // 8079 on loopback, for the container health check only
	"CONSUMER_MIN_IDLE_MS",      // when a dead consumer's entries are claimed
	"CONSUMER_NAME",             // unique per process by default: a restart is a new member
	"CONSUMER_PRUNE_IDLE_MS",    // when dead members leave the group
	"CONSUMER_STALL_S",          // 120 s without progress while work waits: unhealthy
	"QUEUE_METRIC_INTERVAL_S",   // one reading a minute, the scaling policy's period
	"REDIS_TLS_CA",              // ElastiCache certificates chain to public CAs in the system pool
}

// TestTaskDefinitionMatchesSettings is the contract between the stack and
// the consumer's settings (see the producer's test of the same name).
func TestTaskDefinitionMatchesSettings(t *testing.T) {
	for _, stack := range plantest.Stacks {
		c := plantest.TaskContainer(t, plantest.Run(t, stack), "app-consumer")
		env := settings.FromMap(plantest.ContainerValues(c))
		if _, err := readConfig(env); err != nil {
			t.Fatalf("%s: the consumer rejects its task definition's settings: %v", stack, err)
		}
		plantest.CheckSettingsContract(t, stack+" consumer", c, env.Read(), consumerDefaults)
	}
}

type capturedMetric struct {
	in *cloudwatch.PutMetricDataInput
}

func (c *capturedMetric) PutMetricData(_ context.Context, in *cloudwatch.PutMetricDataInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.PutMetricDataOutput, error) {
	c.in = in
	return &cloudwatch.PutMetricDataOutput{}, nil
}

// TestBacklogMetricIsWhatScalingReads publishes a backlog reading the way a
// consumer task configured by the stack does, and checks the namespace,
// metric name and dimensions are exactly those the scaling policy's metric
// math reads: a metric published under another name or dimension would
// leave the policy without data, and the service would never scale.
func TestBacklogMetricIsWhatScalingReads(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		cfg, err := readConfig(settings.FromMap(plantest.ContainerValues(plantest.TaskContainer(t, res, "app-consumer"))))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.metric.Namespace == "" {
			t.Fatalf("%s: the task definition does not turn the backlog metric on", stack)
		}
		api := &capturedMetric{}
		pub := &backlog.CloudWatch{API: api, Namespace: cfg.metric.Namespace, Name: cfg.metric.Name, Queue: cfg.queue.Stream, Stack: cfg.metric.Stack}
		if err := pub.Publish(context.Background(), 42); err != nil {
			t.Fatal(err)
		}
		published := map[string]string{}
		for _, d := range api.in.MetricData[0].Dimensions {
			published[aws.ToString(d.Name)] = aws.ToString(d.Value)
		}

		policy := plantest.One(t, res, "aws:appautoscaling/policy:Policy", "app-consumer-backlog-per-task")
		spec := policy.Input("targetTrackingScalingPolicyConfiguration").(map[string]any)["customizedMetricSpecification"].(map[string]any)
		var read map[string]any
		for _, q := range spec["metrics"].([]any) {
			if q.(map[string]any)["id"] == "work" {
				read = q.(map[string]any)["metricStat"].(map[string]any)["metric"].(map[string]any)
			}
		}
		if read == nil {
			t.Fatalf("%s: the policy has no work query", stack)
		}
		want := map[string]string{}
		for _, d := range read["dimensions"].([]any) {
			want[d.(map[string]any)["name"].(string)] = d.(map[string]any)["value"].(string)
		}
		if got := aws.ToString(api.in.Namespace); got != read["namespace"] {
			t.Errorf("%s: published in %s, the policy reads %v", stack, got, read["namespace"])
		}
		if got := aws.ToString(api.in.MetricData[0].MetricName); got != read["metricName"] {
			t.Errorf("%s: published as %s, the policy reads %v", stack, got, read["metricName"])
		}
		if !reflect.DeepEqual(published, want) {
			t.Errorf("%s: published with dimensions %v, the policy reads %v", stack, published, maps.Clone(want))
		}
	}
}
