package cost

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// runs caches one run per committed stack.
var runs = map[string]*plan.Result{}

func run(t *testing.T, stack string) *plan.Result {
	t.Helper()
	if runs[stack] == nil {
		runs[stack] = plantest.Run(t, stack)
	}
	return runs[stack]
}

// line returns the only line with this item, failing otherwise.
func line(t *testing.T, e *Estimate, item string) Line {
	t.Helper()
	var found []Line
	for _, l := range e.Lines() {
		if l.Item == item {
			found = append(found, l)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%s: %d lines %q", e.Stack, len(found), item)
	}
	return found[0]
}

// TestCoverage: every type either stack records (and every type awsx
// creates from its VPC) is priced or listed free with a reason.
func TestCoverage(t *testing.T) {
	for typ, reason := range Free {
		if reason == "" {
			t.Errorf("Free[%s] gives no reason", typ)
		}
		if Priced(typ) {
			t.Errorf("%s is both priced and free", typ)
		}
	}
	for _, stack := range plantest.Stacks {
		res := run(t, stack)
		if missing := Unpriced(res); len(missing) > 0 {
			t.Errorf("%s: types neither priced nor in Free: %v", stack, missing)
		}
		e := Of(res)
		for _, l := range e.Lines() {
			if strings.Contains(l.Item, "NO PRICE") || strings.Contains(l.Item, "not found") {
				t.Errorf("%s: %s", stack, l.Item)
			}
			if l.Source == "" || l.AsOf == "" || l.Status == "" {
				t.Errorf("%s: line %q lacks source, date or status", stack, l.Item)
			}
		}
	}
}

// TestUnpricedCatchesNewKinds: a billable type the table does not know is
// reported, including one only an awsx expansion creates.
func TestUnpricedCatchesNewKinds(t *testing.T) {
	res := &plan.Result{Resources: []*plan.Resource{
		{Type: "aws:opensearch/domain:Domain", Name: "search", URN: "urn:x", Custom: true},
		{Type: "aws:iam/role:Role", Name: "role", URN: "urn:y", Custom: true},
	}}
	if got := Unpriced(res); len(got) != 1 || got[0] != "aws:opensearch/domain:Domain" {
		t.Errorf("Unpriced = %v", got)
	}
}

// TestTotals: subtotals are the sums of their lines and the total the sum
// of every line (each line rounded to the cent), and every line is its
// quantity times its unit price.
func TestTotals(t *testing.T) {
	for _, stack := range plantest.Stacks {
		e := Of(run(t, stack))
		var total float64
		for _, c := range e.Components {
			var sum float64
			for _, l := range c.Lines {
				sum += l.MonthlyUSD
				if l.Component != c.Name {
					t.Errorf("%s: line %q of %s filed under %s", stack, l.Item, l.Component, c.Name)
				}
				if math.Abs(l.Quantity*l.UnitUSD-l.MonthlyUSD) > 0.006+1e-4*l.UnitUSD {
					t.Errorf("%s: %q: %g x %g != %g", stack, l.Item, l.Quantity, l.UnitUSD, l.MonthlyUSD)
				}
			}
			if math.Abs(sum-c.SubtotalUSD) > 0.005 {
				t.Errorf("%s/%s: subtotal %.2f, lines sum to %.2f", stack, c.Name, c.SubtotalUSD, sum)
			}
			total += sum
		}
		if math.Abs(total-e.TotalUSD) > 0.005 || e.TotalUSD <= 0 {
			t.Errorf("%s: total %.2f, lines sum to %.2f", stack, e.TotalUSD, total)
		}
		t.Logf("%s: $%.2f a month", stack, e.TotalUSD)
	}
}

// TestComponents: lines are grouped under the stack's top-level
// components, never under a nested one.
func TestComponents(t *testing.T) {
	want := map[string]bool{"network": true, "datastores": true, "cluster": true, "producerconsumer": true, "frontend": true, "pushtier": true, "logprocessing": true, "observability": true, "backups": true, "chaos": true, "stack": true}
	for _, stack := range plantest.Stacks {
		res := run(t, stack)
		e := Of(res)
		for _, c := range e.Components {
			if !want[c.Name] {
				t.Errorf("%s: unexpected component %q", stack, c.Name)
			}
		}
		if got := line(t, e, "Fargate service push-autoconnect").Component; got != "pushtier" {
			t.Errorf("%s: autoconnect under %q", stack, got)
		}
	}
	// A custom resource directly under the stack goes to "stack".
	res := &plan.Result{Resources: []*plan.Resource{{Type: "aws:kms/key:Key", Name: "k", URN: "urn:k", Custom: true}}}
	if got := Of(res).Components; len(got) != 1 || got[0].Name != "stack" || got[0].SubtotalUSD != PriceKMSKey.USD {
		t.Errorf("top-level key: %+v", got)
	}
}

// TestRDSFromInputs: the RDS lines follow the recorded instance: its class,
// its allocated storage, doubled when Multi-AZ (prod).
func TestRDSFromInputs(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := run(t, stack)
		db := res.OfType("aws:rds/instance:Instance")[0]
		e := Of(res)
		copies := 1.0
		if db.Input("multiAz") == true {
			copies = 2
		}
		if stack == "prod" && copies != 2 {
			t.Fatalf("prod RDS is not Multi-AZ: the test needs a Multi-AZ stack")
		}
		class := db.InputString("instanceClass")
		var compute, storage *Line
		for _, l := range e.Lines() {
			l := l
			switch {
			case strings.HasPrefix(l.Item, "RDS mysql "+class):
				compute = &l
			case strings.HasPrefix(l.Item, "RDS gp3 storage"):
				storage = &l
			}
		}
		if compute == nil || storage == nil {
			t.Fatalf("%s: RDS lines missing", stack)
		}
		if compute.Quantity != copies*730 || compute.UnitUSD != PriceRDSInstanceHour[class].USD {
			t.Errorf("%s: compute %+v", stack, *compute)
		}
		if storage.Quantity != copies*db.Input("allocatedStorage").(float64) {
			t.Errorf("%s: storage %g GB for %v allocated x %g", stack, storage.Quantity, db.Input("allocatedStorage"), copies)
		}
	}
}

// TestDesiredCountDrivesFargate: raising a service's desiredCount in the
// stack config raises its Fargate line in proportion.
func TestDesiredCountDrivesFargate(t *testing.T) {
	before := line(t, Of(run(t, "dev")), "Fargate service app-consumer")
	res, err := plantest.RunWith(t, "dev", func(v map[string]string) {
		v["pushplatform:services"] = `{"consumer":{"desiredCount":3,"minCount":1,"maxCount":4}}`
	})
	if err != nil {
		t.Fatal(err)
	}
	after := line(t, Of(res), "Fargate service app-consumer")
	if after.Quantity != 3*730 || math.Abs(after.MonthlyUSD-3*before.MonthlyUSD) > 0.02 {
		t.Errorf("desiredCount 3: %g task-hours $%.2f, was %g $%.2f", after.Quantity, after.MonthlyUSD, before.Quantity, before.MonthlyUSD)
	}
}

// TestFargateRates: a task-hour is its vCPU and GiB at the rate of its
// architecture, at the Spot estimate where the service asks for Spot.
func TestFargateRates(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := run(t, stack)
		e := Of(res)
		for _, svc := range res.OfType("aws:ecs/service:Service") {
			td := taskDefinition(res, svc)
			var cpu, mem float64
			fmt.Sscan(td.InputString("cpu"), &cpu)
			fmt.Sscan(td.InputString("memory"), &mem)
			arch := td.Input("runtimePlatform").(map[string]any)["cpuArchitecture"]
			want := cpu/1024*PriceX86vCPU.USD + mem/1024*PriceX86GB.USD
			if arch == "ARM64" {
				want = cpu/1024*PriceARMvCPU.USD + mem/1024*PriceARMGB.USD
			}
			strategies := fmt.Sprint(svc.Input("capacityProviderStrategies"))
			if strings.Contains(strategies, "FARGATE_SPOT") {
				want *= FargateSpotFactor
			}
			l := line(t, e, "Fargate service "+svc.Name)
			if math.Abs(l.UnitUSD-want) > 1e-9 || l.Quantity != svc.Input("desiredCount").(float64)*730 {
				t.Errorf("%s/%s: %g task-hours at %g, want %g (%v, %s)", stack, svc.Name, l.Quantity, l.UnitUSD, want, arch, strategies)
			}
		}
	}
}

// TestPublicAddresses: an internet-facing load balancer pays one public
// IPv4 per subnet, an internal one none; every Elastic IP pays one.
func TestPublicAddresses(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := run(t, stack)
		e := Of(res)
		want := 0.0
		for _, lb := range res.OfType("aws:lb/loadBalancer:LoadBalancer") {
			if lb.Input("internal") != true {
				want += float64(len(lb.Input("subnets").([]any)))
			}
		}
		want += float64(len(res.OfType("aws:ec2/eip:Eip")))
		for _, x := range res.Expansions() {
			want += float64(x.Counts["aws:ec2/eip:Eip"])
		}
		var got float64
		for _, l := range e.Lines() {
			if l.UnitUSD == PricePublicIPv4Hour.USD && strings.HasPrefix(l.Unit, "IP-hour") {
				got += l.Quantity / 730
			}
		}
		if got != want || want == 0 {
			t.Errorf("%s: %g public addresses priced, want %g", stack, got, want)
		}
	}
}

// TestNetworkAgreesWithPlan: the network lines shared with
// plan.NetworkCost (NAT, addresses, interface endpoints) sum to its total.
func TestNetworkAgreesWithPlan(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := run(t, stack)
		var sum float64
		for _, l := range Of(res).Lines() {
			if l.Component != "network" {
				continue
			}
			switch l.Type {
			case "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway", "aws:ec2/vpcEndpoint:VpcEndpoint":
				sum += l.MonthlyUSD
			case "aws:ec2/instance:Instance":
				if strings.HasPrefix(l.Item, "EC2 instance") {
					sum += l.MonthlyUSD
				}
			}
		}
		if want := res.NetworkCost().TotalUSD; math.Abs(sum-want) > 0.011 {
			t.Errorf("%s: network lines $%.2f, plan.NetworkCost $%.2f", stack, sum, want)
		}
	}
}

// TestCuts: the cuts are the most expensive lines, in descending order.
func TestCuts(t *testing.T) {
	e := Of(run(t, "dev"))
	cuts := e.Cuts(3)
	if len(cuts) != 3 || cuts[0].MonthlyUSD < cuts[1].MonthlyUSD || cuts[1].MonthlyUSD < cuts[2].MonthlyUSD {
		t.Fatalf("cuts %+v", cuts)
	}
	for _, l := range e.Lines() {
		if l.MonthlyUSD > cuts[2].MonthlyUSD && l.Item != cuts[0].Item && l.Item != cuts[1].Item && l.Item != cuts[2].Item {
			t.Errorf("%q ($%.2f) is dearer than cut %q", l.Item, l.MonthlyUSD, cuts[2].Item)
		}
	}
	if len(e.Cuts(1000)) != len(e.Lines()) {
		t.Error("Cuts(n) beyond the line count")
	}
}

// TestRenderers: text and markdown show every subtotal, the total, the
// target verdict (with the three cuts when above), and the capacity rows.
func TestRenderers(t *testing.T) {
	all := map[string]*Estimate{}
	for _, stack := range plantest.Stacks {
		res := run(t, stack)
		e := Of(res).WithCapacity(res.PushCapacity(10_000))
		all[stack] = e
		for name, write := range map[string]func(*bytes.Buffer){
			"text": func(b *bytes.Buffer) { e.WriteText(b) }, "markdown": func(b *bytes.Buffer) { e.WriteMarkdown(b) },
		} {
			var b bytes.Buffer
			write(&b)
			out := b.String()
			for _, c := range e.Components {
				if !strings.Contains(out, fmt.Sprintf("%.2f", c.SubtotalUSD)) {
					t.Errorf("%s %s: no subtotal of %s", stack, name, c.Name)
				}
			}
			checkVerdict(t, stack+" "+name, e, out)
			if !strings.Contains(out, "1000000") || !strings.Contains(out, fmt.Sprintf("%.2f", e.Capacity.Rows[0].NLBTCPUSD)) {
				t.Errorf("%s %s: no capacity rows", stack, name)
			}
		}
	}
	s := Compare(all)
	for name, write := range map[string]func(*bytes.Buffer){
		"text": func(b *bytes.Buffer) { s.WriteText(b) }, "markdown": func(b *bytes.Buffer) { s.WriteMarkdown(b) },
	} {
		var b bytes.Buffer
		write(&b)
		out := b.String()
		for _, stack := range plantest.Stacks {
			checkVerdict(t, "side by side "+name, all[stack], out)
			for _, c := range all[stack].Components {
				if !strings.Contains(out, fmt.Sprintf("%.2f", c.SubtotalUSD)) {
					t.Errorf("side by side %s: no %s subtotal of %s", name, stack, c.Name)
				}
			}
		}
		if name == "markdown" && !strings.Contains(out, "| Component | dev | prod |") {
			t.Errorf("markdown header:\n%s", out)
		}
	}
}

func checkVerdict(t *testing.T, what string, e *Estimate, out string) {
	t.Helper()
	if !strings.Contains(out, fmt.Sprintf("%.2f", e.TotalUSD)) {
		t.Errorf("%s: no total %.2f", what, e.TotalUSD)
	}
	if e.WithinTarget() {
		if !strings.Contains(out, "At or below the $90/month idle target") {
			t.Errorf("%s: no verdict", what)
		}
		return
	}
	if !strings.Contains(out, "Above the $90/month idle target") {
		t.Errorf("%s: no verdict", what)
	}
	for _, l := range e.Cuts(3) {
		if !strings.Contains(out, md(l.Item)) {
			t.Errorf("%s: cut %q not named", what, l.Item)
		}
	}
	// Each cut says what it takes; when config can remove none, the
	// verdict says the target is out of reach instead of implying it.
	byConfig := false
	for _, l := range e.Cuts(3) {
		_, c := cutHint(l)
		byConfig = byConfig || c
	}
	if !byConfig && !strings.Contains(out, "None of the three goes by config alone") {
		t.Errorf("%s: the verdict implies the cuts are config changes", what)
	}
}

// TestNATGatewaysFromExpansion: NAT gateways awsx creates at deploy time
// (and their addresses) are priced from the VPC's recorded inputs.
func TestNATGatewaysFromExpansion(t *testing.T) {
	res, err := plantest.RunWith(t, "dev", func(v map[string]string) {
		v["pushplatform:network"] = `{"availabilityZones":["eu-central-1a","eu-central-1b","eu-central-1c"],"natGateways":"OnePerAz"}`
	})
	if err != nil {
		t.Fatal(err)
	}
	nats := 0
	for _, x := range res.Expansions() {
		nats += x.Counts["aws:ec2/natGateway:NatGateway"]
	}
	if nats == 0 {
		t.Fatal("the config change made no NAT gateways")
	}
	e := Of(res)
	var gw, ips float64
	for _, l := range e.Lines() {
		switch {
		case strings.HasPrefix(l.Item, "NAT gateways ("):
			gw += l.Quantity
		case strings.HasPrefix(l.Item, "Public IPv4 addresses of the NAT gateways"):
			ips += l.Quantity
		}
	}
	if gw != float64(nats*730) || ips != float64(nats*730) {
		t.Errorf("%d NAT gateways: %g gateway-hours, %g IP-hours", nats, gw, ips)
	}
	if len(Unpriced(res)) > 0 {
		t.Errorf("unpriced with NAT gateways: %v", Unpriced(res))
	}
}

// TestAlarmMetrics: CloudWatch bills an alarm per metric it reads, so the
// metric-math alarms (desired minus running tasks) count twice.
func TestAlarmMetrics(t *testing.T) {
	res := run(t, "prod")
	alarms, metrics := 0, 0
	for _, a := range res.OfType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if a.Parent != "" && strings.HasSuffix(a.Parent, "::observability") {
			alarms++
			metrics++
			if a.Input("metricQueries") != nil {
				metrics++
			}
		}
	}
	if metrics == alarms {
		t.Fatalf("prod has no metric-math alarm (%d alarms)", alarms)
	}
	l := line(t, Of(res), fmt.Sprintf("CloudWatch alarms of observability (%d)", alarms))
	if l.Quantity != float64(metrics) || math.Abs(l.MonthlyUSD-float64(metrics)*PriceAlarm.USD) > 0.005 {
		t.Errorf("alarms line %+v, want %d alarm metrics at %g", l, metrics, PriceAlarm.USD)
	}
}
