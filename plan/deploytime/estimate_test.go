package deploytime

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// longest recomputes the wall time by relaxing every wait until nothing
// changes, independently of the memoised walk in graph.schedule.
func longest(g *graph) time.Duration {
	finish := make([]time.Duration, len(g.nodes))
	for changed := true; changed; {
		changed = false
		for i := range g.nodes {
			var start time.Duration
			for _, p := range g.preds[i] {
				start = max(start, finish[p])
			}
			if f := start + g.basis[i].Duration; f != finish[i] {
				finish[i], changed = f, true
			}
		}
	}
	var t time.Duration
	for _, f := range finish {
		t = max(t, f)
	}
	return t
}

func TestCriticalPathOfCommittedStacks(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			est := Estimate(res)
			if want := seconds(longest(newGraph(res))); est.TotalSeconds != want || want == 0 {
				t.Fatalf("total %ds, the longest chain takes %ds", est.TotalSeconds, want)
			}
			path := est.CriticalPath
			if len(path) == 0 || path[0].StartSeconds != 0 {
				t.Fatalf("the critical path must start at 0: %+v", path)
			}
			sum := 0
			for i, s := range path {
				if i > 0 && s.StartSeconds != path[i-1].StartSeconds+path[i-1].DurationSeconds {
					t.Errorf("step %s starts at %ds, the step before it ends at %ds", s.Name, s.StartSeconds, path[i-1].StartSeconds+path[i-1].DurationSeconds)
				}
				sum += s.DurationSeconds
			}
			lastStep := path[len(path)-1]
			if sum != est.TotalSeconds || lastStep.StartSeconds+lastStep.DurationSeconds != est.TotalSeconds {
				t.Errorf("path durations add up to %ds and end at %ds, total is %ds", sum, lastStep.StartSeconds+lastStep.DurationSeconds, est.TotalSeconds)
			}
			// The slowest kinds of the stack lie on the path: the CloudFront
			// distribution waits for its VPC origin, which waits for the ALB.
			for _, typ := range []string{"aws:cloudfront/distribution:Distribution", "aws:cloudfront/vpcOrigin:VpcOrigin", "aws:lb/loadBalancer:LoadBalancer"} {
				if len(res.OfType(typ)) > 0 && !onPath(est, typ) {
					t.Errorf("%s exists but is not on the critical path %v", typ, names(path))
				}
			}
			for _, s := range est.Slowest {
				if s.StartSeconds+s.DurationSeconds > est.TotalSeconds || s.Source == "" {
					t.Errorf("slow resource %s ends after the total or has no source: %+v", s.Name, s)
				}
			}
		})
	}
}

// Prod's data stores are slower (Multi-AZ RDS, a replication group with
// replicas). The first deploy of both is bound by the same CloudFront chain
// (ALB, VPC origin, distribution, then the task definitions that read its
// domain), so prod takes at least as long, and its stores finish later.
func TestProdSlowerThanDev(t *testing.T) {
	dev, prod := plantest.Run(t, "dev"), plantest.Run(t, "prod")
	ed, ep := Estimate(dev), Estimate(prod)
	if ep.TotalSeconds < ed.TotalSeconds {
		t.Errorf("prod %ds is faster than dev %ds", ep.TotalSeconds, ed.TotalSeconds)
	}
	for _, typ := range []string{"aws:rds/instance:Instance", "aws:elasticache/replicationGroup:ReplicationGroup"} {
		d, p := Of(dev.OfType(typ)[0], dev), Of(prod.OfType(typ)[0], prod)
		if p.Duration <= d.Duration {
			t.Errorf("%s: prod %s, dev %s", typ, p.Duration, d.Duration)
		}
	}
	if sumDurations(prod) <= sumDurations(dev) {
		t.Errorf("prod creates less work (%s) than dev (%s)", sumDurations(prod), sumDurations(dev))
	}
}

func TestDurationsFollowInputs(t *testing.T) {
	r := func(typ string, custom bool, inputs map[string]any) *plan.Resource {
		return &plan.Resource{Type: typ, Name: "r", Custom: custom, Inputs: resourceMap(inputs)}
	}
	res := &plan.Result{}
	cases := []struct {
		slow, fast *plan.Resource
	}{
		{r("aws:rds/instance:Instance", true, map[string]any{"multiAz": true}), r("aws:rds/instance:Instance", true, map[string]any{"multiAz": false})},
		{r("aws:elasticache/replicationGroup:ReplicationGroup", true, map[string]any{"numCacheClusters": 3, "multiAzEnabled": true}), r("aws:elasticache/replicationGroup:ReplicationGroup", true, map[string]any{"numCacheClusters": 1})},
		{r("aws:cloudfront/distribution:Distribution", true, nil), r("aws:cloudfront/distribution:Distribution", true, map[string]any{"waitForDeployment": false})},
		{r("aws:ecs/service:Service", true, map[string]any{"waitForSteadyState": true}), r("aws:ecs/service:Service", true, nil)},
		{r("aws:lambda/function:Function", true, map[string]any{"vpcConfig": map[string]any{"subnetIds": []any{"subnet-1"}}}), r("aws:lambda/function:Function", true, nil)},
		{r("aws:ec2/vpcEndpoint:VpcEndpoint", true, map[string]any{"vpcEndpointType": "Interface"}), r("aws:ec2/vpcEndpoint:VpcEndpoint", true, map[string]any{"vpcEndpointType": "Gateway"})},
	}
	for _, c := range cases {
		if s, f := Of(c.slow, res), Of(c.fast, res); s.Duration <= f.Duration || s.Source == "" || f.Source == "" {
			t.Errorf("%s: %s (%s) should be slower than %s (%s)", c.slow.Type, s.Duration, s.Source, f.Duration, f.Source)
		}
	}
	if b := Of(r("pushplatform:x:Component", false, nil), res); b.Duration != 0 {
		t.Errorf("a component takes %s", b.Duration)
	}
}

func TestWriters(t *testing.T) {
	est := Estimate(plantest.Run(t, "prod"))
	var text, md bytes.Buffer
	est.WriteText(&text)
	est.WriteMarkdown(&md)
	total := (time.Duration(est.TotalSeconds) * time.Second).String()
	for _, out := range []string{text.String(), md.String()} {
		if !strings.Contains(out, total) || !strings.Contains(out, "Critical path") {
			t.Errorf("output lacks the total %s or the critical path:\n%s", total, out)
		}
		for _, s := range est.CriticalPath {
			if !strings.Contains(out, s.Name) {
				t.Errorf("output lacks critical step %s", s.Name)
			}
		}
	}
	if !strings.Contains(md.String(), "|---|") {
		t.Errorf("markdown has no table:\n%s", md.String())
	}
}

func onPath(est *Result, typ string) bool {
	for _, s := range est.CriticalPath {
		if s.Type == typ {
			return true
		}
	}
	return false
}

func names(steps []Step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.Name)
	}
	return out
}

func sumDurations(res *plan.Result) time.Duration {
	var d time.Duration
	for _, r := range res.Resources {
		d += Of(r, res).Duration
	}
	return d
}
