package observability_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/components/observability"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tAlarm     = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tDashboard = "aws:cloudwatch/dashboard:Dashboard"
	tTopic     = "aws:sns/topic:Topic"
	tSub       = "aws:sns/topicSubscription:TopicSubscription"
	tKey       = "aws:kms/key:Key"
	prefix     = "observability-"
)

// run is one stack with alarms on: prod as committed, dev switched on.
type run struct {
	name string
	res  *plan.Result
	cfg  *config.Config
}

func runs(t *testing.T) []run {
	t.Helper()
	var out []run
	for _, stack := range plantest.Stacks {
		edit := func(v map[string]string) {
			if stack == "dev" {
				v["pushplatform:alarms"] = `{"enabled":true}`
			}
		}
		res, err := plantest.RunWith(t, stack, edit)
		if err != nil {
			t.Fatalf("run %s: %v", stack, err)
		}
		sc := plantest.Config(t, stack).Clone()
		edit(sc.Values)
		cfg, err := config.Resolve(sc.Project, sc.Stack, sc.Values)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, run{stack, res, cfg})
	}
	return out
}

// want is one expected alarm.
type want struct {
	ns, metric string
	dims       []string // dimension names
	stat       string
	cmp        string
	threshold  float64
	missing    string
}

// expected lists every alarm a stack must have, from its resolved config:
// the alarm table of the runbook.
func expected(cfg *config.Config) map[string]want {
	a := cfg.Alarms
	gt, ge, lt := "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold"
	nb, br := "notBreaching", "breaching"
	db, node := []string{"DBInstanceIdentifier"}, []string{"CacheClusterId"}
	out := map[string]want{
		"db-cpu":                    {"AWS/RDS", "CPUUtilization", db, "Average", gt, a.DatabaseCPUPercent, nb},
		"db-free-storage":           {"AWS/RDS", "FreeStorageSpace", db, "Minimum", lt, a.DatabaseFreeStorageGiB * (1 << 30), nb},
		"db-connections":            {"AWS/RDS", "DatabaseConnections", db, "Maximum", gt, float64(a.DatabaseConnections), nb},
		"alb-5xx":                   {"AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", []string{"LoadBalancer"}, "Sum", gt, float64(a.HTTP5xxPerMinute), nb},
		"nlb-resets":                {"AWS/NetworkELB", "TCP_ELB_Reset_Count", []string{"LoadBalancer"}, "Sum", gt, float64(a.NLBResetsPerMinute), nb},
		"autoconnect-nlb-unhealthy": {"AWS/NetworkELB", "UnHealthyHostCount", []string{"LoadBalancer", "TargetGroup"}, "Maximum", ge, 1, nb},
		"queue-backlog":             {"PushPlatform/Queue", "Backlog", []string{"Queue", "Stack"}, "Maximum", gt, float64(a.QueueBacklog), br},
		"processor-errors":          {"AWS/Lambda", "Errors", []string{"FunctionName"}, "Sum", ge, float64(a.ProcessorErrors), nb},
		"processor-throttles":       {"AWS/Lambda", "Throttles", []string{"FunctionName"}, "Sum", gt, 0, nb},
		"processor-failures":        {"AWS/SQS", "ApproximateNumberOfMessagesVisible", []string{"QueueName"}, "Maximum", gt, 0, nb},
		"firehose-freshness":        {"AWS/Firehose", "DeliveryToS3.DataFreshness", []string{"DeliveryStreamName"}, "Maximum", gt, float64(a.FirehoseFreshnessSeconds), nb},
		"firehose-delivery":         {"AWS/Firehose", "DeliveryToS3.Success", []string{"DeliveryStreamName"}, "Minimum", lt, 1, nb},
	}
	for i := 1; i <= cfg.Cache.Nodes; i++ {
		n := fmt.Sprintf("%03d", i)
		out["cache-cpu-"+n] = want{"AWS/ElastiCache", "CPUUtilization", node, "Average", gt, a.CacheCPUPercent, nb}
		out["cache-engine-cpu-"+n] = want{"AWS/ElastiCache", "EngineCPUUtilization", node, "Average", gt, a.CacheEngineCPUPercent, nb}
		out["cache-memory-"+n] = want{"AWS/ElastiCache", "DatabaseMemoryUsagePercentage", node, "Maximum", gt, a.CacheMemoryPercent, nb}
		out["cache-evictions-"+n] = want{"AWS/ElastiCache", "Evictions", node, "Sum", gt, 0, nb}
		if cfg.Cache.Nodes > 1 {
			out["cache-replication-lag-"+n] = want{"AWS/ElastiCache", "ReplicationLag", node, "Maximum", gt, a.CacheReplicationLagSeconds, nb}
		}
	}
	for _, tg := range []string{"producer", "autoendpoint", "pushmessages"} {
		dims := []string{"LoadBalancer", "TargetGroup"}
		out[tg+"-5xx"] = want{"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", dims, "Sum", gt, float64(a.HTTP5xxPerMinute), nb}
		out[tg+"-response-time"] = want{"AWS/ApplicationELB", "TargetResponseTime", dims, "p95", gt, a.ResponseTimeSeconds, nb}
		out[tg+"-unhealthy"] = want{"AWS/ApplicationELB", "UnHealthyHostCount", dims, "Maximum", ge, 1, nb}
	}
	for _, s := range cfg.Services.Named() {
		dims := []string{"ClusterName", "ServiceName"}
		out[s.Name+"-running"] = want{"ECS/ContainerInsights", "RunningTaskCount", dims, "Minimum", lt, float64(s.MinCount), br}
		// Metric math: DesiredTaskCount - RunningTaskCount (see minus).
		out[s.Name+"-short"] = want{"ECS/ContainerInsights", "DesiredTaskCount", dims, "Average", gt, 0, nb}
		out[s.Name+"-cpu"] = want{"AWS/ECS", "CPUUtilization", dims, "Average", gt, a.ServiceCPUPercent, nb}
		out[s.Name+"-memory"] = want{"AWS/ECS", "MemoryUtilization", dims, "Average", gt, a.ServiceMemoryPercent, nb}
	}
	return out
}

func alarms(res *plan.Result) map[string]*plan.Resource {
	out := map[string]*plan.Resource{}
	for _, r := range res.OfType(tAlarm) {
		if strings.HasPrefix(r.Name, prefix) {
			out[strings.TrimPrefix(r.Name, prefix)] = r
		}
	}
	return out
}

// metricOf is what an alarm evaluates: its one metric, or for metric
// math "m1 - m2" the first metric and, in minus, the one subtracted.
type metricOf struct {
	ns, name, stat string
	dims           map[string]string
	period         float64
	minus          string
}

func metric(r *plan.Resource) metricOf {
	strs := func(m map[string]any) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k], _ = v.(string)
		}
		return out
	}
	queries, _ := r.Input("metricQueries").([]any)
	if len(queries) == 0 {
		s := r.InputString("statistic")
		if s == "" {
			s = r.InputString("extendedStatistic")
		}
		p, _ := r.Input("period").(float64)
		d, _ := r.Input("dimensions").(map[string]any)
		return metricOf{ns: r.InputString("namespace"), name: r.InputString("metricName"), stat: s, dims: strs(d), period: p}
	}
	var m metricOf
	for _, q := range queries {
		q := q.(map[string]any)
		switch q["id"] {
		case "m1":
			mm := q["metric"].(map[string]any)
			d, _ := mm["dimensions"].(map[string]any)
			m.ns, m.name, m.stat, m.dims, m.period = mm["namespace"].(string), mm["metricName"].(string), mm["stat"].(string), strs(d), mm["period"].(float64)
		case "m2":
			m.minus = q["metric"].(map[string]any)["metricName"].(string)
		}
	}
	return m
}

func stat(r *plan.Resource) string { return metric(r).stat }

func dimensions(r *plan.Resource) map[string]string { return metric(r).dims }

// TestAlarmTable: every alarm of both stacks, and no other, with its
// namespace, metric, dimensions, statistic, comparison, threshold and
// missing-data treatment.
func TestAlarmTable(t *testing.T) {
	for _, r := range runs(t) {
		got, exp := alarms(r.res), expected(r.cfg)
		if g, e := slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(exp)); !slices.Equal(g, e) {
			t.Errorf("%s alarms\n got %v\nwant %v", r.name, g, e)
		}
		for key, w := range exp {
			a := got[key]
			if a == nil {
				continue
			}
			m := metric(a)
			dims := slices.Sorted(maps.Keys(m.dims))
			if m.ns != w.ns || m.name != w.metric || !slices.Equal(dims, slices.Sorted(slices.Values(w.dims))) ||
				m.stat != w.stat || a.InputString("comparisonOperator") != w.cmp || a.Input("threshold") != w.threshold ||
				a.InputString("treatMissingData") != w.missing {
				t.Errorf("%s %s = %s/%s %v %s %s %v missing=%s\nwant %+v", r.name, key, m.ns, m.name,
					dims, m.stat, a.InputString("comparisonOperator"), a.Input("threshold"), a.InputString("treatMissingData"), w)
			}
			if wantMinus := map[bool]string{true: "RunningTaskCount"}[strings.HasSuffix(key, "-short")]; m.minus != wantMinus {
				t.Errorf("%s %s subtracts %q, want %q", r.name, key, m.minus, wantMinus)
			}
			periods, points := a.Input("evaluationPeriods").(float64), a.Input("datapointsToAlarm").(float64)
			if points < 1 || points > periods || m.period < 60 {
				t.Errorf("%s %s: %v of %v periods of %v s", r.name, key, points, periods, m.period)
			}
		}
	}
}

// TestDimensionValues: the dimensions name the stack's own resources, taken
// from their outputs (never looked up).
func TestDimensionValues(t *testing.T) {
	for _, r := range runs(t) {
		got := alarms(r.res)
		out := func(typ, name, key string) string {
			return plantest.One(t, r.res, typ, name).Outputs[resource.PropertyKey(key)].StringValue()
		}
		rg := plantest.One(t, r.res, "aws:elasticache/replicationGroup:ReplicationGroup", "datastores-cache").ID
		for key, want := range map[string]map[string]string{
			"db-cpu":        {"DBInstanceIdentifier": r.cfg.Database.Identifier},
			"cache-cpu-001": {"CacheClusterId": rg + "-001"},
			"queue-backlog": {"Queue": "counts", "Stack": r.name},
			"producer-cpu": {"ClusterName": out("aws:ecs/cluster:Cluster", "cluster", "name"),
				"ServiceName": out("aws:ecs/service:Service", "app-producer", "name")},
			"processor-errors":   {"FunctionName": out("aws:lambda/function:Function", "logs-processor", "name")},
			"processor-failures": {"QueueName": out("aws:sqs/queue:Queue", "logs-processor-failures", "name")},
			"firehose-freshness": {"DeliveryStreamName": out("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "logs", "name")},
		} {
			if d := dimensions(got[key]); !maps.Equal(d, want) {
				t.Errorf("%s %s dimensions %v, want %v", r.name, key, d, want)
			}
		}
		if r.cfg.Cache.Nodes > 1 {
			if d := dimensions(got[fmt.Sprintf("cache-memory-%03d", r.cfg.Cache.Nodes)]); d["CacheClusterId"] != fmt.Sprintf("%s-%03d", rg, r.cfg.Cache.Nodes) {
				t.Errorf("%s last cache node's alarm watches %v", r.name, d)
			}
		}
		// Load balancer dimensions are arnSuffix outputs of the exact load
		// balancer and target group.
		for key, deps := range map[string][]string{
			"alb-5xx":                   {"aws:lb/loadBalancer:LoadBalancer/cluster-alb"},
			"producer-5xx":              {"aws:lb/loadBalancer:LoadBalancer/cluster-alb", "aws:lb/targetGroup:TargetGroup/app-producer"},
			"autoendpoint-unhealthy":    {"aws:lb/loadBalancer:LoadBalancer/cluster-alb", "aws:lb/targetGroup:TargetGroup/push-autoendpoint"},
			"nlb-resets":                {"aws:lb/loadBalancer:LoadBalancer/push-nlb"},
			"autoconnect-nlb-unhealthy": {"aws:lb/loadBalancer:LoadBalancer/push-nlb", "aws:lb/targetGroup:TargetGroup/push-autoconnect-nlb"},
		} {
			var names []string
			for _, urn := range got[key].PropertyDependencies["dimensions"] {
				if d := r.res.ByURN(urn); d != nil {
					names = append(names, d.Type+"/"+d.Name)
				}
			}
			sort.Strings(names)
			if !slices.Equal(names, deps) {
				t.Errorf("%s %s dimensions come from %v, want %v", r.name, key, names, deps)
			}
		}
	}
}

// TestAlarmsNotifyTheTopic: every alarm notifies the one topic when it
// fires and when it recovers; the topic is encrypted with a rotating key
// CloudWatch may use (not alias/aws/sns, which it cannot).
func TestAlarmsNotifyTheTopic(t *testing.T) {
	for _, r := range runs(t) {
		topics := r.res.OfType(tTopic)
		if len(topics) != 1 {
			t.Fatalf("%s: %d topics, want 1", r.name, len(topics))
		}
		topic := topics[0].Outputs["arn"].StringValue()
		for key, a := range alarms(r.res) {
			for _, k := range []string{"alarmActions", "okActions"} {
				if got := plantest.Strings(a.Input(k)); !slices.Equal(got, []string{topic}) {
					t.Errorf("%s %s %s = %v, want [%s]", r.name, key, k, got, topic)
				}
			}
			if !strings.Contains(a.InputString("alarmDescription"), observability.RunbookAnchor) {
				t.Errorf("%s %s description lacks the runbook pointer", r.name, key)
			}
		}
		key := plantest.One(t, r.res, tKey, "observability-topic")
		if got := topics[0].InputString("kmsMasterKeyId"); got != key.Outputs["arn"].StringValue() {
			t.Errorf("%s topic key %q, want the stack's own key", r.name, got)
		}
		if key.Input("enableKeyRotation") != true {
			t.Errorf("%s topic key does not rotate", r.name)
		}
		doc := plantest.Policy(t, key, "policy")
		var cloudwatch bool
		for _, s := range doc.Statement {
			if slices.Contains(s.Principal["Service"], "cloudwatch.amazonaws.com") {
				cloudwatch = slices.Equal(slices.Sorted(slices.Values(s.Action)), []string{"kms:Decrypt", "kms:GenerateDataKey*"})
			}
		}
		if !cloudwatch {
			t.Errorf("%s key policy does not let CloudWatch publish: %s", r.name, key.InputString("policy"))
		}
		if subs := r.res.OfType(tSub); len(subs) != 0 {
			t.Errorf("%s: %d subscriptions without alarms.email", r.name, len(subs))
		}
	}
}

// TestEmailSubscription: alarms.email subscribes that address to the topic.
func TestEmailSubscription(t *testing.T) {
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:alarms"] = `{"email":"ops@example.com"}`
	})
	if err != nil {
		t.Fatal(err)
	}
	sub := plantest.One(t, res, tSub, "observability-email")
	topic := plantest.One(t, res, tTopic, "observability").Outputs["arn"].StringValue()
	if sub.InputString("protocol") != "email" || sub.InputString("endpoint") != "ops@example.com" || sub.InputString("topic") != topic {
		t.Errorf("subscription %v", sub.PlainInputs())
	}
}

// TestThresholdFromConfig: a threshold set in config reaches its alarm.
func TestThresholdFromConfig(t *testing.T) {
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:alarms"] = `{"databaseCpuPercent":55,"queueBacklog":777}`
	})
	if err != nil {
		t.Fatal(err)
	}
	got := alarms(res)
	if got["db-cpu"].Input("threshold") != 55.0 || got["queue-backlog"].Input("threshold") != 777.0 {
		t.Errorf("thresholds %v and %v, want 55 and 777", got["db-cpu"].Input("threshold"), got["queue-backlog"].Input("threshold"))
	}
}

// metricKey identifies a metric with its statistic and period.
func metricKey(ns, name string, dims map[string]string, stat string, period float64) string {
	parts := []string{ns, name, stat, fmt.Sprint(period)}
	for _, k := range slices.Sorted(maps.Keys(dims)) {
		parts = append(parts, k+"="+dims[k])
	}
	return strings.Join(parts, "|")
}

// TestDashboardShowsTheAlarmMetrics: the dashboard graphs exactly the
// alarms' metrics, with their statistic, period and threshold, and lists
// every alarm in its status widget.
func TestDashboardShowsTheAlarmMetrics(t *testing.T) {
	for _, r := range runs(t) {
		dash := plantest.One(t, r.res, tDashboard, "observability")
		if dash.InputString("dashboardName") != "pushplatform-"+r.name {
			t.Errorf("%s dashboard name %q", r.name, dash.InputString("dashboardName"))
		}
		var body observability.Body
		if err := json.Unmarshal([]byte(dash.InputString("dashboardBody")), &body); err != nil {
			t.Fatalf("%s dashboard body: %v", r.name, err)
		}
		want := map[string]float64{}
		var arns []string
		for _, a := range alarms(r.res) {
			m := metric(a)
			name := m.name
			if m.minus != "" {
				name += " - " + m.minus
			}
			want[metricKey(m.ns, name, m.dims, m.stat, m.period)] = a.Input("threshold").(float64)
			arns = append(arns, a.Outputs["arn"].StringValue())
		}
		got := map[string]float64{}
		var listed []string
		for _, w := range body.Widgets {
			switch w.Type {
			case "alarm":
				listed = append(listed, plantest.Strings(w.Properties["alarms"])...)
			case "metric":
				lines := w.Properties["metrics"].([]any)
				m := lines[0].([]any)
				opts := m[len(m)-1].(map[string]any)
				dims := map[string]string{}
				for i := 2; i+1 < len(m)-1; i += 2 {
					dims[m[i].(string)] = m[i+1].(string)
				}
				name := m[1].(string)
				if len(lines) == 3 {
					// Metric math: m1 and m2 hidden, their difference drawn.
					m2 := lines[1].([]any)
					expr := lines[2].([]any)[0].(map[string]any)
					if opts["id"] != "m1" || opts["visible"] != false || m2[len(m2)-1].(map[string]any)["id"] != "m2" || expr["expression"] != "m1 - m2" {
						t.Errorf("%s widget %v: metric math %v", r.name, w.Properties["title"], lines)
					}
					name += " - " + m2[1].(string)
				}
				line := w.Properties["annotations"].(map[string]any)["horizontal"].([]any)[0].(map[string]any)
				got[metricKey(m[0].(string), name, dims, opts["stat"].(string), opts["period"].(float64))] = line["value"].(float64)
				if w.Properties["region"] != r.cfg.Region {
					t.Errorf("%s widget %v in region %v", r.name, w.Properties["title"], w.Properties["region"])
				}
			}
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s dashboard metrics differ from the alarms'\n got %v\nwant %v", r.name, got, want)
		}
		if !slices.Equal(slices.Sorted(slices.Values(listed)), slices.Sorted(slices.Values(arns))) {
			t.Errorf("%s alarm widget lists %d alarms, want the %d alarms", r.name, len(listed), len(arns))
		}
	}
}

// TestAlarmsOff: dev as committed (alarms.enabled false by default) has no
// key, topic, alarm or dashboard of this component.
func TestAlarmsOff(t *testing.T) {
	res := plantest.Run(t, "dev")
	for _, r := range res.Resources {
		if strings.HasPrefix(r.Name, "observability") {
			t.Errorf("dev without alarms has %s %s", r.Type, r.Name)
		}
	}
	if len(alarms(res)) != 0 || len(res.OfType(tDashboard)) != 0 || len(res.OfType(tTopic)) != 0 {
		t.Error("dev without alarms has alarms, a dashboard or a topic")
	}
}

// TestUnknownStopCondition: asking for an alarm that does not exist is an
// error, not a chaos experiment without its stop condition.
func TestUnknownStopCondition(t *testing.T) {
	o := &observability.Observability{}
	if _, err := o.AlarmArns("no-such-alarm"); err == nil {
		t.Error("AlarmArns accepted an unknown alarm")
	}
}
