package deploytime

import (
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan"
)

func resourceMap(m map[string]any) resource.PropertyMap {
	return resource.NewPropertyMapFromMap(m)
}

func urn(name string) string { return "urn:pulumi:test::p::t::" + name }

// synthetic builds a result: a Multi-AZ database (20 min) and a CloudFront
// distribution (15 min) that waits on it, through an input or dependsOn.
func synthetic(byInput bool) *plan.Result {
	db := &plan.Resource{Type: "aws:rds/instance:Instance", Name: "db", URN: urn("db"), Custom: true,
		Inputs: resourceMap(map[string]any{"multiAz": true})}
	cdn := &plan.Resource{Type: "aws:cloudfront/distribution:Distribution", Name: "cdn", URN: urn("cdn"), Custom: true,
		Dependencies: []string{db.URN}}
	if byInput {
		cdn.PropertyDependencies = map[string][]string{"origins": {db.URN}}
	}
	return &plan.Result{Stack: "test", Resources: []*plan.Resource{db, cdn}}
}

func TestDependsOnBetweenSlowResourcesIsFlagged(t *testing.T) {
	est := Estimate(synthetic(false))
	if want := int((35 * time.Minute).Seconds()); est.TotalSeconds != want {
		t.Fatalf("total %ds, want %ds", est.TotalSeconds, want)
	}
	if len(est.Flagged) != 1 {
		t.Fatalf("want one flagged wait, got %+v", est.Flagged)
	}
	f := est.Flagged[0]
	if f.Resource.Name != "cdn" || len(f.WaitsOn) != 1 || f.WaitsOn[0].Name != "db" || !f.OnCriticalPath {
		t.Errorf("wrong finding: %+v", f)
	}
	// Without the wait both run at once and the database (20 min) is last.
	if want := int((15 * time.Minute).Seconds()); f.AddsSeconds != want {
		t.Errorf("the wait adds %ds, want %ds", f.AddsSeconds, want)
	}
	if len(f.Delays) != 1 || f.Delays[0].Name != "cdn" || f.Delays[0].Seconds != int((20*time.Minute).Seconds()) {
		t.Errorf("delays %+v, want cdn by 20m", f.Delays)
	}
}

func TestInputDependencyIsNotFlagged(t *testing.T) {
	est := Estimate(synthetic(true))
	if len(est.Flagged) != 0 {
		t.Errorf("a wait through an input is flagged: %+v", est.Flagged)
	}
	if len(est.CriticalPath) != 2 || est.CriticalPath[1].StartSeconds != int((20*time.Minute).Seconds()) {
		t.Errorf("the input wait must still order the path: %+v", est.CriticalPath)
	}
}

// A dependsOn on a whole component is one finding naming the component,
// and its cost is measured with all of the component's waits removed.
func TestDependsOnWholeComponentIsOneFinding(t *testing.T) {
	comp := &plan.Resource{Type: "pushplatform:x:Stores", Name: "stores", URN: urn("stores")}
	a := &plan.Resource{Type: "aws:rds/instance:Instance", Name: "a", URN: urn("a"), Custom: true, Parent: comp.URN,
		Inputs: resourceMap(map[string]any{"multiAz": true})}
	b := &plan.Resource{Type: "aws:rds/instance:Instance", Name: "b", URN: urn("b"), Custom: true, Parent: comp.URN}
	cdn := &plan.Resource{Type: "aws:cloudfront/distribution:Distribution", Name: "cdn", URN: urn("cdn"), Custom: true,
		Dependencies: []string{a.URN, b.URN}}
	est := Estimate(&plan.Result{Stack: "test", Resources: []*plan.Resource{comp, a, b, cdn}})
	if len(est.Flagged) != 1 || est.Flagged[0].Component != "stores" || len(est.Flagged[0].WaitsOn) != 2 {
		t.Fatalf("want one finding on component stores, got %+v", est.Flagged)
	}
	if want := int((15 * time.Minute).Seconds()); est.Flagged[0].AddsSeconds != want {
		t.Errorf("adds %ds, want %ds", est.Flagged[0].AddsSeconds, want)
	}
}

// A dependsOn that neither lies on the critical path nor holds back a slow
// resource is left alone: here the database waits longer for its network.
func TestHarmlessDependsOnIsNotFlagged(t *testing.T) {
	vpc := &plan.Resource{Type: "awsx:ec2:Vpc", Name: "net", URN: urn("net"), Remote: true}
	logs := &plan.Resource{Type: "aws:cloudwatch/logGroup:LogGroup", Name: "logs", URN: urn("logs"), Custom: true}
	db := &plan.Resource{Type: "aws:rds/instance:Instance", Name: "db", URN: urn("db"), Custom: true,
		Dependencies:         []string{vpc.URN, logs.URN},
		PropertyDependencies: map[string][]string{"dbSubnetGroupName": {vpc.URN}}}
	res := &plan.Result{Stack: "test", Resources: []*plan.Resource{vpc, logs, db}}
	if got := DependsOnOnly(db); len(got) != 1 || got[0] != logs.URN {
		t.Fatalf("dependsOn-only waits %v, want the log group", got)
	}
	if est := Estimate(res); len(est.Flagged) != 0 {
		t.Errorf("a harmless dependsOn is flagged: %+v", est.Flagged)
	}
}
