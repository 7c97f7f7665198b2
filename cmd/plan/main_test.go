package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

func runPlan(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"-dir", plantest.ProjectDir(t)}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestPlanProd(t *testing.T) {
	code, out, errOut := runPlan(t, "-stack", "prod")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"10.0.0.0/16 over 3 AZs: eu-central-1a, eu-central-1b, eu-central-1c",
		"1 VPC over 3 AZs; 9 subnets (3 public, 3 private, 3 isolated); 0 NAT gateway(s) (None)",
		"aws:ec2:VpcEndpoint network-ecr-dkr",
		"== Security-group matrix ==",
		"== Data stores ==",
		"none: every invoke is computed locally",
		"mysql 8.4; db.t4g.medium; Multi-AZ",
		"valkey 8.1; 3 x cache.t4g.small in [eu-central-1a eu-central-1b eu-central-1c]; automatic failover; Multi-AZ; TLS",
		"key uaid + chidmessageid; pay_per_request; TTL on expiry; PITR; deletion protection",
		"bucket datastores-documents [protected + retained on delete]",
		"aws:ecs:Cluster cluster",
		"pushplatform:cluster:Cluster cluster  (5 resources: 1 ecs:Cluster, 1 ecs:ClusterCapacityProviders, 1 lb:Listener, 1 lb:LoadBalancer, 1 servicediscovery:PrivateDnsNamespace)",
		"aws:servicediscovery:PrivateDnsNamespace cluster-namespace",
		"aws:lb:LoadBalancer cluster-alb",
		"app-producer\n       cpu 512, memory 1024 MiB, ARM64; tasks 2 (min 2, max 6); FARGATE; 3 private subnets (one per AZ), no public IP; circuit breaker with rollback; scales on CPU at 60 %",
		"app-consumer\n       cpu 512, memory 1024 MiB, ARM64; tasks 2 (min 2, max 6); FARGATE; 3 private subnets (one per AZ), no public IP; circuit breaker with rollback; scales on work / tasks (work = PushPlatform/Queue/Backlog Maximum, tasks = ECS/ContainerInsights/RunningTaskCount Average) at 1000",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("prod plan lacks %q:\n%s", want, out)
		}
	}
}

func TestPlanDevJSON(t *testing.T) {
	code, out, errOut := runPlan(t, "-stack", "dev", "-format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Config struct {
			Network struct {
				AvailabilityZones []string `json:"availabilityZones"`
				NATGateways       string   `json:"natGateways"`
			} `json:"network"`
		} `json:"config"`
		Remote []struct {
			Counts map[string]int `json:"counts"`
		} `json:"remoteComponents"`
		TotalResources int      `json:"totalResources"`
		AWSCalls       []string `json:"awsCalls"`
		Services       []struct {
			Name       string   `json:"name"`
			Properties []string `json:"properties"`
		} `json:"services"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if len(rep.Config.Network.AvailabilityZones) != 2 || rep.Config.Network.NATGateways != "Instance" {
		t.Errorf("dev network = %+v, want 2 AZs and a NAT instance", rep.Config.Network)
	}
	if len(rep.Remote) != 1 || rep.Remote[0].Counts["aws:ec2/natGateway:NatGateway"] != 0 {
		t.Errorf("dev awsx expansion = %+v, want no NAT gateway", rep.Remote)
	}
	if len(rep.Services) != 5 {
		t.Errorf("dev services = %+v, want producer, consumer, autoconnect, autoendpoint and the push messages API", rep.Services)
	}
	for _, s := range rep.Services {
		if !slices.Contains(s.Properties, "tasks 1 (min 1, max 2)") || !slices.Contains(s.Properties, "FARGATE_SPOT") {
			t.Errorf("dev %s = %v, want one Spot task", s.Name, s.Properties)
		}
	}
	if rep.TotalResources == 0 || len(rep.AWSCalls) != 0 {
		t.Errorf("total %d, AWS calls %v", rep.TotalResources, rep.AWSCalls)
	}
}

func TestPlanRejects(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"-stack", "nosuch"}, exitUsage, `unknown stack "nosuch": there is no Pulumi.nosuch.yaml; known stacks: dev, prod`},
		{[]string{"-format", "yaml"}, exitUsage, `-format "yaml": allowed: text, json, markdown, mermaid`},
		{[]string{"-stack", "prod", "-baseline", "/nonexistent/main.json"}, exitUsage, "-baseline"},
		{[]string{"-bogus"}, exitUsage, "flag provided but not defined"},
	}
	for _, c := range cases {
		code, out, errOut := runPlan(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.contains) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d mentioning %q", c.args, code, errOut, c.code, c.contains)
		}
		if out != "" {
			t.Errorf("%v: printed a plan despite the error", c.args)
		}
	}
}

// TestPlanJSONHoldsNoSecret greps the whole JSON plan, recorded inputs
// included, for the generated cache token.
func TestPlanJSONHoldsNoSecret(t *testing.T) {
	for _, stack := range plantest.Stacks {
		code, out, errOut := runPlan(t, "-stack", stack, "-format", "json")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if strings.Contains(out, plan.FakeSecret("datastores-cache-auth")) {
			t.Errorf("%s: the cache token appears in the plan", stack)
		}
		if !strings.Contains(out, `"authToken": "[secret]"`) {
			t.Errorf("%s: the plan does not show the auth token input as a secret", stack)
		}
	}
}

// The same stack prints byte-identical text and JSON on every run, so a
// reviewer can diff two plans and see only what changed.
func TestPlanIsDeterministic(t *testing.T) {
	for _, stack := range plantest.Stacks {
		for _, format := range []string{"text", "json"} {
			_, first, _ := runPlan(t, "-stack", stack, "-format", format)
			for range 3 {
				if _, again, _ := runPlan(t, "-stack", stack, "-format", format); again != first {
					t.Fatalf("%s %s: two runs differ", stack, format)
				}
			}
		}
	}
}

// Values only AWS knows are marked as such, never shown as a made-up value,
// an empty string or a mock account.
func TestPlanMarksValuesKnownAfterDeploy(t *testing.T) {
	for _, stack := range plantest.Stacks {
		for _, format := range []string{"text", "json"} {
			_, out, _ := runPlan(t, "-stack", stack, "-format", format)
			for _, standIn := range []string{plan.FakeAccount, "http:///", "vpc-network-vpc", "subnet-private-", ".abcdefghijkl.", "AbCdEf"} {
				if strings.Contains(out, standIn) {
					t.Errorf("%s %s plan shows the stand-in %q", stack, format, standIn)
				}
			}
		}
		_, out, _ := runPlan(t, "-stack", stack, "-format", "json")
		var rep struct {
			Outputs map[string]any `json:"outputs"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		for k, v := range rep.Outputs {
			if v == "" {
				t.Errorf("%s: output %s is an empty string", stack, k)
			}
		}
		for k, want := range map[string]any{
			"albDnsName": plan.KnownAfterDeploy, "vpcId": plan.KnownAfterDeploy, "mysqlAddress": plan.KnownAfterDeploy,
			"producerUrl": "https://" + plan.KnownAfterDeploy + "/api/count", "url": "https://" + plan.KnownAfterDeploy + "/", "region": "eu-central-1", "serviceNamespace": stack + ".pushplatform.internal",
		} {
			if rep.Outputs[k] != want {
				t.Errorf("%s: output %s = %v, want %v", stack, k, rep.Outputs[k], want)
			}
		}
	}
}

// writeStack makes a project directory with the committed Pulumi.yaml and a
// stack file of the given text.
func writeStack(t *testing.T, stack, yamlText string) string {
	t.Helper()
	dir := t.TempDir()
	proj, err := os.ReadFile(filepath.Join(plantest.ProjectDir(t), "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), proj, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi."+stack+".yaml"), []byte(yamlText), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// The plan checks the artifacts as configured, as `pulumi preview` would,
// before it swaps in stand-ins.
func TestPlanValidatesConfiguredArtifacts(t *testing.T) {
	const head = "config:\n  aws:region: eu-central-1\n  pushplatform:network:\n    availabilityZones: [eu-central-1a, eu-central-1b]\n"
	cases := map[string]struct{ artifacts, want string }{
		"misspelled mode":              {"  pushplatform:artifacts:\n    mode: buidl\n", `artifacts.mode = "buidl"`},
		"prebuilt without its images":  {"  pushplatform:artifacts:\n    mode: prebuilt\n", `artifacts.images.producer = ""`},
		"misspelled project namespace": {"  pushplatfrom:highAvailability: true\n", "did you mean pushplatform:highAvailability?"},
		"unknown aws key":              {"  aws:regoin: eu-west-1\n", "aws:regoin: unknown key"},
	}
	for name, c := range cases {
		dir := writeStack(t, "ci", head+c.artifacts)
		var out, errOut bytes.Buffer
		code := run([]string{"-dir", dir, "-stack", "ci"}, &out, &errOut)
		if code != exitFindings || !strings.Contains(errOut.String(), c.want) || out.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q; want exit %d naming %q and no plan", name, code, errOut.String(), exitFindings, c.want)
		}
	}
	dir := writeStack(t, "ci", head)
	if code := run([]string{"-dir", dir, "-stack", "ci"}, io.Discard, io.Discard); code != exitOK {
		t.Errorf("a valid stack file: exit %d", code)
	}
}

// Each permitted flow is one matrix line (source, destination, port, why),
// and durations read as a person writes them.
func TestPlanWording(t *testing.T) {
	_, out, _ := runPlan(t, "-stack", "dev")
	matrix := out[strings.Index(out, "== Security-group matrix =="):]
	matrix = matrix[:strings.Index(matrix, "\n== ")]
	if n := len(regexp.MustCompile(`app-producer +datastores-cache +tcp/6379`).FindAllString(matrix, -1)); n != 1 {
		t.Errorf("producer -> cache appears %d times in the matrix:\n%s", n, matrix)
	}
	if strings.Contains(matrix, "ONE SIDE ONLY") {
		t.Errorf("a flow is opened on one side only:\n%s", matrix)
	}
	for _, want := range []string{"backups 1 day;", "snapshots off"} {
		if !strings.Contains(out, want) {
			t.Errorf("dev plan lacks %q", want)
		}
	}
	if !regexp.MustCompile(`flow log retention +7 days`).MatchString(out) {
		t.Error("dev plan lacks the flow log retention in days")
	}
	if strings.Contains(out, " 0 days") || strings.Contains(out, " 1 days") {
		t.Error("the plan says 0 days or 1 days")
	}
}

// Both plans price their network in the cost section: dev's NAT instance
// and its address; prod's interface endpoints in every AZ, with the
// per-GB prices that come on top.
func TestPlanPricesTheNetwork(t *testing.T) {
	for stack, want := range map[string][]string{
		"dev":  {"EC2 instance network-nat (t4g.nano)", "3.50", "Public IPv4 address (Elastic IP network-nat)", "3.65", "EC2 data transfer out to the internet (NAT instance traffic)"},
		"prod": {"Interface endpoint network-ecr-dkr (3 AZs)", "26.28", "Interface endpoint data processed"},
	} {
		_, out, _ := runPlan(t, "-stack", stack)
		section := out[strings.Index(out, "== Monthly cost =="):]
		for _, w := range want {
			if !strings.Contains(section, w) {
				t.Errorf("%s cost section lacks %q:\n%s", stack, w, section)
			}
		}
	}
}
