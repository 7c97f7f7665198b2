package observability

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/config"
)

func fullTargets() *Targets {
	s := pulumi.String("x")
	return &Targets{
		Database:     "db",
		CacheMembers: []pulumi.StringOutput{s.ToStringOutput(), s.ToStringOutput()}, CacheReplicated: true,
		ALB: s, ALBTargets: []TargetGroup{{"producer", s}, {"autoendpoint", s}, {"pushmessages", s}},
		NLB: s, NLBTargets: []TargetGroup{{"autoconnect", s}},
		Cluster: s, Services: []ServiceTarget{{"producer", s, 2}, {"autoconnect", s, 2}},
		Processor: s, FailureQueue: s, Stream: s,
	}
}

// TestStopConditionsMeasureHarm: the alarms marked fit to stop a chaos
// experiment are the ones measuring harm to users (errors, a cache that
// refuses writes, work piling up or given up on); the faults the
// experiments inject on purpose (stopped tasks, unhealthy targets,
// failovers with their replication lag and connection churn) never stop
// them.
func TestStopConditionsMeasureHarm(t *testing.T) {
	o := &Observability{Definitions: definitions("prod", config.Alarms{}, fullTargets())}
	want := []string{"alb-5xx", "producer-5xx", "autoendpoint-5xx", "queue-backlog", "processor-failures"}
	if got := o.StopConditions(); !slices.Equal(got, want) {
		t.Errorf("stop conditions %v, want %v", got, want)
	}
	if len(want) > MaxStopConditions {
		t.Errorf("%d stop conditions; FIS takes %d per template", len(want), MaxStopConditions)
	}
	for _, k := range o.StopConditions() {
		for _, injected := range []string{"running", "unhealthy", "replication-lag", "connections", "cpu"} {
			if strings.Contains(k, injected) {
				t.Errorf("%s is a stop condition, but the experiments cause it on purpose", k)
			}
		}
	}
}

// TestOptionalTargets: without the NLB, the processor and the stream their
// alarms are absent, and a single cache node gets no replication lag alarm.
func TestOptionalTargets(t *testing.T) {
	tg := fullTargets()
	tg.NLB, tg.Processor, tg.Stream, tg.CacheReplicated = nil, nil, nil, false
	for _, d := range definitions("dev", config.Alarms{}, tg) {
		for _, absent := range []string{"nlb", "processor", "firehose", "replication-lag"} {
			if strings.Contains(d.Key, absent) {
				t.Errorf("alarm %s without its target", d.Key)
			}
		}
	}
}

// TestDashboardLayout: widgets sit on CloudWatch's 24-wide grid without
// overlapping, every alarm has its graph, and every group a heading.
func TestDashboardLayout(t *testing.T) {
	defs := definitions("prod", config.Alarms{}, fullTargets())
	var flat []string
	for _, d := range defs {
		for range d.Metric.Dimensions {
			flat = append(flat, "v")
		}
	}
	body, err := renderDashboard("eu-central-1", defs, flat, []string{"arn"})
	if err != nil {
		t.Fatal(err)
	}
	var b Body
	if err := json.Unmarshal([]byte(body), &b); err != nil {
		t.Fatal(err)
	}
	type cell struct{ x, y int }
	taken := map[cell]bool{}
	graphs, headings := 0, 0
	for _, w := range b.Widgets {
		if w.X < 0 || w.X+w.Width > gridWidth {
			t.Errorf("widget %v outside the grid", w.Properties["title"])
		}
		for x := w.X; x < w.X+w.Width; x++ {
			for y := w.Y; y < w.Y+w.Height; y++ {
				if taken[cell{x, y}] {
					t.Fatalf("widget %v overlaps another at %d,%d", w.Properties, x, y)
				}
				taken[cell{x, y}] = true
			}
		}
		switch w.Type {
		case "metric":
			graphs++
		case "text":
			headings++
		}
	}
	if graphs != len(defs) || headings != len(groups) {
		t.Errorf("%d graphs for %d alarms, %d headings for %d groups", graphs, len(defs), headings, len(groups))
	}
}
