package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan/plantest"
	"github.com/pushplatform/pushplatform/plan/review"
)

// `-stack prod -check` passes and prints the policy summary, the cost
// table and the critical path.
func TestCheckProd(t *testing.T) {
	code, out, errOut := runPlan(t, "-stack", "prod", "-check")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	summary := regexp.MustCompile(`(\d+) rules: (\d+) passed, (\d+) waived, 0 failed; \d+ findings \(0 unwaived\)`)
	for _, want := range []*regexp.Regexp{
		summary,
		regexp.MustCompile(`(?m)^\s+TOTAL\s+[\d.]+\s+$`),                              // the cost table's total
		regexp.MustCompile(`(?m)^\s+TOTAL\s+[\d.]+\s+[\d.]+\s+$`),                     // dev vs prod
		regexp.MustCompile(`Estimated first deploy of prod: \d+m\d+s`),                // wall time
		regexp.MustCompile(`Critical path:\n.*START.*\n.*awsx:ec2:Vpc\s+network-vpc`), // the path starts at the VPC
	} {
		if !want.MatchString(out) {
			t.Errorf("prod -check output lacks %s", want)
		}
	}
	if m := summary.FindStringSubmatch(out); m != nil && m[1] < "40" && len(m[1]) < 3 {
		t.Errorf("only %s rules", m[1])
	}
}

// A violation seeded through the stack file fails -check, naming it;
// without -check the plan still prints and exits 0.
func TestCheckFailsOnASeededViolation(t *testing.T) {
	prod, err := os.ReadFile(filepath.Join(plantest.ProjectDir(t), "Pulumi.prod.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// prod's deletion protection switched off: RDS.8, which prod does not waive.
	seeded := strings.Replace(string(prod), "config:\n", "config:\n  pushplatform:database:\n    deletionProtection: false\n", 1)
	dir := writeStack(t, "prod", seeded)
	var out, errOut bytes.Buffer
	if code := run([]string{"-dir", dir, "-stack", "prod", "-check"}, &out, &errOut); code != exitFindings {
		t.Fatalf("-check with RDS.8 broken: exit %d, want %d", code, exitFindings)
	}
	if !strings.Contains(out.String(), "RDS.8") || !strings.Contains(errOut.String(), "1 failed") {
		t.Errorf("the failure does not name RDS.8: stderr %q", errOut.String())
	}
	if code := run([]string{"-dir", dir, "-stack", "prod"}, &out, &errOut); code != exitOK {
		t.Errorf("without -check: exit %d", code)
	}
}

// The markdown report holds the tree, dev and prod costs with their
// difference, the violations and waivers, and the diagram.
func TestMarkdownReport(t *testing.T) {
	code, out, errOut := runPlan(t, "-stack", "prod", "-format", "markdown")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, stack := range []string{"dev", "prod"} {
		_, md, _ := runPlan(t, "-stack", stack, "-format", "markdown")
		if len(md) > review.CommentLimit || strings.Contains(md, "Left out to stay within") {
			t.Errorf("%s: the markdown report is %d characters (GitHub takes 65,536), or left sections out", stack, len(md))
		}
	}
	for _, want := range []string{
		"## Offline plan of `prod`", "| Check | passes |",
		"| Component | dev | prod |", "a difference of +",
		"| Waiver | Resources | Covers | Reason |", "| RDS.23 | `datastores-mysql` | 1 |",
		"### Estimated first deploy of `prod`", "**Critical path**",
		"```mermaid\nflowchart LR", "<summary>Component tree (components", "pushplatform:datastores:DataStores datastores",
		// The compact tree keeps what holds data and leaves out the rest.
		"aws:rds:Instance datastores-mysql  [protected, retained on delete]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	if strings.Contains(out, "aws:vpc:SecurityGroupIngressRule datastores-cache-from-app-producer-6379") {
		t.Error("the markdown tree lists every security-group rule; it should count them")
	}
}

// -format mermaid prints only the diagram, and JSON carries every review.
func TestMermaidAndJSON(t *testing.T) {
	_, out, _ := runPlan(t, "-stack", "prod", "-format", "mermaid")
	if !strings.HasPrefix(out, "flowchart LR\n") || !strings.Contains(out, "subgraph") || strings.Contains(out, "\n== ") {
		t.Errorf("mermaid output is not just the flowchart:\n%.300s", out)
	}
	_, out, _ = runPlan(t, "-stack", "prod", "-format", "json")
	var rv struct {
		Resources []json.RawMessage `json:"resources"`
		Policy    struct{ Rules, Failed int }
		Cost      struct{ TotalUsd float64 }
		Stacks    struct{ Stacks []string }  `json:"costByStack"`
		Deploy    struct{ TotalSeconds int } `json:"deployTime"`
		Diagram   string
	}
	if err := json.Unmarshal([]byte(out), &rv); err != nil {
		t.Fatal(err)
	}
	if len(rv.Resources) == 0 || rv.Policy.Rules < 40 || rv.Policy.Failed != 0 || rv.Cost.TotalUsd <= 0 ||
		strings.Join(rv.Stacks.Stacks, ",") != "dev,prod" || rv.Deploy.TotalSeconds <= 0 || !strings.HasPrefix(rv.Diagram, "flowchart") {
		t.Errorf("JSON review incomplete: %d resources, policy %+v, cost %+v, stacks %v, deploy %+v", len(rv.Resources), rv.Policy, rv.Cost, rv.Stacks, rv.Deploy)
	}
}

// The replacement guard through the command: a baseline (main's plan)
// that had the cache under another logical name and the database with
// another master user name fails on both, naming each.
func TestBaselineFailsOnRenameAndReplaceOnlyInput(t *testing.T) {
	_, out, _ := runPlan(t, "-stack", "prod", "-format", "json")
	base := filepath.Join(t.TempDir(), "main.json")
	if err := os.WriteFile(base, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runPlan(t, "-stack", "prod", "-baseline", base); code != exitOK {
		t.Fatalf("prod against its own plan: exit %d: %s", code, errOut)
	}
	// main called the cache datastores-valkey (this branch renames it to
	// datastores-cache without an alias) and had the master user admin
	// (this branch changes username, a replace-only input).
	var plan map[string]any
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatal(err)
	}
	edited := 0
	for _, r := range plan["resources"].([]any) {
		r := r.(map[string]any)
		switch r["type"] {
		case "aws:elasticache/replicationGroup:ReplicationGroup":
			r["name"] = "datastores-valkey"
			r["urn"] = strings.Replace(r["urn"].(string), "::datastores-cache", "::datastores-valkey", 1)
			edited++
		case "aws:rds/instance:Instance":
			r["inputs"].(map[string]any)["username"] = "admin"
			edited++
		}
	}
	if edited != 2 {
		t.Fatalf("edited %d resources of the baseline, want 2", edited)
	}
	b, _ := json.Marshal(plan)
	if err := os.WriteFile(base, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, text, errOut := runPlan(t, "-stack", "prod", "-baseline", base)
	if code != exitFindings {
		t.Fatalf("exit %d, want %d", code, exitFindings)
	}
	guard := text[strings.Index(text, "== Replacement guard =="):]
	for _, want := range []string{"datastores-valkey", "username", `"admin" -> "dbadmin"`} {
		if !strings.Contains(guard, want) {
			t.Errorf("guard section lacks %q:\n%s", want, guard)
		}
	}
	if !strings.Contains(errOut, "2 stateful resource(s) would be replaced or deleted") {
		t.Errorf("stderr %q", errOut)
	}
}

// The prod plan lists what operates the stack: the alarms, the dashboard
// and the backup plan. A domain adds its certificates and DNS records to
// the plan; without one there are none.
func TestPlanListsOperations(t *testing.T) {
	_, out, _ := runPlan(t, "-stack", "prod")
	for _, want := range []string{
		"aws:cloudwatch:MetricAlarm ", "aws:cloudwatch:Dashboard ", "aws:sns:Topic ",
		"aws:backup:Plan backups", "aws:backup:Selection backups", "aws:backup:Vault backups",
		"aws:fis:ExperimentTemplate chaos-stop-tasks",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("prod plan lacks %q", want)
		}
	}
	for _, kind := range []string{"aws:acm:Certificate ", "aws:acm:CertificateValidation ", "aws:route53:Record "} {
		if strings.Contains(out, kind) {
			t.Errorf("prod plan without a domain lists %q", kind)
		}
	}

	prod, err := os.ReadFile(filepath.Join(plantest.ProjectDir(t), "Pulumi.prod.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	withDomain := strings.Replace(string(prod), "config:\n",
		"config:\n  pushplatform:domain:\n    name: example.com\n    hostedZoneId: Z0123456789ABCDEFGHIJ\n", 1)
	var buf, errOut bytes.Buffer
	if code := run([]string{"-dir", writeStack(t, "prod", withDomain), "-stack", "prod"}, &buf, &errOut); code != exitOK {
		t.Fatalf("prod with a domain: exit %d: %s", code, errOut.String())
	}
	for _, want := range []string{
		"aws:acm:Certificate domain-cloudfront", "aws:acm:Certificate domain-push",
		"aws:acm:CertificateValidation domain-cloudfront", "aws:route53:Record ",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("prod plan with a domain lacks %q", want)
		}
	}
}
