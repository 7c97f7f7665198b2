// Package observability watches the platform: one SNS topic per stack
// (encrypted with its own KMS key that CloudWatch may use), an optional
// e-mail subscription, CloudWatch alarms on every store, load balancer,
// service, the queue, the push-processor and Firehose, and one dashboard
// drawn from the same definitions as the alarms. The chaos experiments use
// the alarms as stop conditions (AlarmArns, StopConditions).
package observability

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/logprocessing"
	"github.com/pushplatform/pushplatform/components/service"
	"github.com/pushplatform/pushplatform/config"
)

// Observability is the stack's alarms, their topic and the dashboard.
type Observability struct {
	pulumi.ResourceState

	// TopicArn is where every alarm and OK notification goes.
	TopicArn pulumi.StringOutput
	// Alarms maps each alarm's key (db-cpu, producer-5xx, cache-memory-001)
	// to its resource.
	Alarms map[string]*cloudwatch.MetricAlarm
	// Definitions are the alarms as built, in order.
	Definitions []Alarm
	// DashboardName is the CloudWatch dashboard's name.
	DashboardName string
}

// NamedService is an ECS service with the short name its alarms carry.
type NamedService struct {
	Name    string
	Service *service.Service
}

// Args is what the alarms watch. Logs and NLB are optional.
type Args struct {
	Config  config.Alarms
	Region  string
	Stores  *datastores.DataStores
	Cluster *cluster.Cluster
	// Services are every ECS service of the stack.
	Services []NamedService
	// NLB is the push tier's network load balancer.
	NLB *lb.LoadBalancer
	// Logs is the log processing component (nil without logs.enabled).
	Logs *logprocessing.LogProcessing
}

// New creates the key, the topic, the subscription, the alarms and the
// dashboard. The caller creates it only when alarms.enabled is true.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Observability, error) {
	o := &Observability{Alarms: map[string]*cloudwatch.MetricAlarm{}, DashboardName: fmt.Sprintf("%s-%s", ctx.Project(), ctx.Stack())}
	if err := ctx.RegisterComponentResource("pushplatform:observability:Observability", name, o, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(o)
	topic, err := newTopic(ctx, name, args, o, child)
	if err != nil {
		return nil, err
	}
	o.TopicArn = topic.Arn

	o.Definitions = definitions(ctx.Stack(), args.Config, targetsOf(args))
	for _, d := range o.Definitions {
		alarm, err := newAlarm(ctx, name, d, topic.Arn, child)
		if err != nil {
			return nil, err
		}
		o.Alarms[d.Key] = alarm
	}
	if _, err := cloudwatch.NewDashboard(ctx, name, &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(o.DashboardName),
		DashboardBody: dashboardBody(args.Region, o.Definitions, o.arns(o.Definitions)),
	}, child); err != nil {
		return nil, fmt.Errorf("create dashboard: %w", err)
	}
	if err := ctx.RegisterResourceOutputs(o, pulumi.Map{"topicArn": topic.Arn, "dashboard": pulumi.String(o.DashboardName)}); err != nil {
		return nil, err
	}
	return o, nil
}

// newAlarm creates one alarm from its definition, notifying the topic
// when it fires and when it recovers.
func newAlarm(ctx *pulumi.Context, name string, d Alarm, topic pulumi.StringOutput, opts ...pulumi.ResourceOption) (*cloudwatch.MetricAlarm, error) {
	dims := pulumi.StringMap{}
	for _, dim := range d.Metric.Dimensions {
		dims[dim.Name] = dim.Value
	}
	args := &cloudwatch.MetricAlarmArgs{
		AlarmDescription:   pulumi.String(description(d)),
		ComparisonOperator: pulumi.String(d.Comparison),
		Threshold:          pulumi.Float64(d.Threshold),
		EvaluationPeriods:  pulumi.Int(d.EvaluationPeriods),
		DatapointsToAlarm:  pulumi.Int(d.DatapointsToAlarm),
		TreatMissingData:   pulumi.String(d.TreatMissingData),
		AlarmActions:       pulumi.Array{topic},
		OkActions:          pulumi.Array{topic},
		Tags:               pulumi.StringMap{"Name": pulumi.String(name + "-" + d.Key)},
	}
	switch {
	case d.Minus != nil:
		// Metric math: m1 - m2, the two metrics queried but not returned.
		query := func(id, name, stat string) *cloudwatch.MetricAlarmMetricQueryArgs {
			return &cloudwatch.MetricAlarmMetricQueryArgs{Id: pulumi.String(id), ReturnData: pulumi.Bool(false),
				Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{Namespace: pulumi.String(d.Metric.Namespace), MetricName: pulumi.String(name),
					Dimensions: dims, Period: pulumi.Int(d.Metric.Period), Stat: pulumi.String(stat)}}
		}
		args.MetricQueries = cloudwatch.MetricAlarmMetricQueryArray{
			query("m1", d.Metric.Name, d.Metric.Stat),
			query("m2", d.Minus.Name, d.Minus.Stat),
			&cloudwatch.MetricAlarmMetricQueryArgs{Id: pulumi.String("e1"), Expression: pulumi.String(differenceExpression),
				Label: pulumi.String(d.Title), ReturnData: pulumi.Bool(true)},
		}
	default:
		args.Namespace = pulumi.String(d.Metric.Namespace)
		args.MetricName = pulumi.String(d.Metric.Name)
		args.Dimensions = dims
		args.Period = pulumi.Int(d.Metric.Period)
		if isPercentile(d.Metric.Stat) {
			args.ExtendedStatistic = pulumi.String(d.Metric.Stat)
		} else {
			args.Statistic = pulumi.String(d.Metric.Stat)
		}
	}
	alarm, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+d.Key, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("create alarm %s: %w", d.Key, err)
	}
	return alarm, nil
}

// differenceExpression is the metric math of an alarm with Minus.
const differenceExpression = "m1 - m2"

// RunbookAnchor is the runbook section every alarm description points to.
const RunbookAnchor = "docs/runbook.md#alarms-what-each-means-and-what-to-do"

// description is what the notification e-mail shows first: what fired,
// what it means, where to read what to do. CloudWatch allows 1024
// characters.
func description(d Alarm) string {
	s := fmt.Sprintf("%s: %s. What to do: %s (%s).", d.Title, d.Meaning, RunbookAnchor, d.Key)
	if len(s) > 1024 {
		s = s[:1024]
	}
	return s
}

func isPercentile(stat string) bool { return len(stat) > 1 && stat[0] == 'p' }

// arns lists the alarms' ARNs in definition order.
func (o *Observability) arns(defs []Alarm) pulumi.StringArray {
	out := make(pulumi.StringArray, 0, len(defs))
	for _, d := range defs {
		out = append(out, o.Alarms[d.Key].Arn)
	}
	return out
}

// AlarmArns returns the ARNs of the named alarms (their keys), for FIS
// stop conditions; an unknown key is an error, not a silently missing
// stop condition.
func (o *Observability) AlarmArns(keys ...string) (pulumi.StringArrayOutput, error) {
	out := make(pulumi.StringArray, 0, len(keys))
	for _, k := range keys {
		a, ok := o.Alarms[k]
		if !ok {
			return pulumi.StringArrayOutput{}, fmt.Errorf("no alarm %q (have %v)", k, o.Keys())
		}
		out = append(out, a.Arn)
	}
	return out.ToStringArrayOutput(), nil
}

// StopConditions are the keys of the alarms fit to stop a chaos
// experiment (Alarm.StopCondition), in definition order.
func (o *Observability) StopConditions() []string {
	var out []string
	for _, d := range o.Definitions {
		if d.StopCondition {
			out = append(out, d.Key)
		}
	}
	return out
}

// Keys lists every alarm key, sorted.
func (o *Observability) Keys() []string {
	out := make([]string, 0, len(o.Alarms))
	for k := range o.Alarms {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
