package chaos_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/components/chaos"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tTemplate = "aws:fis/experimentTemplate:ExperimentTemplate"
	tRole     = "aws:iam/role:Role"
	tPolicy   = "aws:iam/rolePolicy:RolePolicy"
	tLogGroup = "aws:cloudwatch/logGroup:LogGroup"
)

// want is one template as the FIS actions reference defines it: the
// action ID, the action's target key, the target's resource type, the
// action's parameters and exactly the permissions the action needs.
type want struct {
	action, targetKey, resourceType string
	params                          map[string]string
	permissions                     []string
}

// logPermissions are on every role: FIS's log delivery to CloudWatch Logs.
var logPermissions = []string{"logs:CreateLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:PutResourcePolicy"}

var wants = map[string]want{
	chaos.StopTasks: {"aws:ecs:stop-task", "Tasks", "aws:ecs:task", map[string]string{},
		[]string{"ecs:DescribeTasks", "ecs:ListTasks", "ecs:StopTask", "tag:GetResources"}},
	chaos.MySQLFailover: {"aws:rds:reboot-db-instances", "DBInstances", "aws:rds:db", map[string]string{"forceFailover": "true"},
		[]string{"rds:DescribeDBInstances", "rds:RebootDBInstance", "tag:GetResources"}},
	chaos.CacheAZPower: {"aws:elasticache:replicationgroup-interrupt-az-power", "ReplicationGroups", "aws:elasticache:replicationgroup",
		map[string]string{"duration": "PT10M"},
		[]string{"elasticache:DescribeReplicationGroups", "elasticache:InterruptClusterAzPower", "tag:GetResources"}},
	chaos.AZCut: {"aws:network:disrupt-connectivity", "Subnets", "aws:ec2:subnet", map[string]string{"scope": "all", "duration": "PT10M"},
		[]string{"ec2:CreateNetworkAcl", "ec2:CreateNetworkAclEntry", "ec2:CreateTags", "ec2:DeleteNetworkAcl", "ec2:DescribeManagedPrefixLists",
			"ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:GetManagedPrefixListEntries", "ec2:ReplaceNetworkAclAssociation"}},
}

func output(r *plan.Resource, key string) string {
	return r.Outputs[resource.PropertyKey(key)].StringValue()
}

// actions lists every action a policy allows, sorted, without repeats.
func actions(doc *plan.PolicyDocument) []string {
	var out []string
	for _, st := range doc.Statement {
		out = append(out, st.Action...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func paramsOf(a map[string]any) map[string]string {
	out := map[string]string{}
	ps, _ := a["parameters"].([]any)
	for _, p := range ps {
		kv := p.(map[string]any)
		out[kv["key"].(string)] = kv["value"].(string)
	}
	return out
}

// TestTemplates: the four templates, each with its action ID, target key
// and resource type, parameters, the stop alarms, its own role holding
// exactly its action's permissions and the log delivery, and the log
// group with schema version 2.
func TestTemplates(t *testing.T) {
	res, err := runChaos(t, "prod", testAlarms, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.OfType(tTemplate)); got != len(chaos.Keys) {
		t.Fatalf("%d templates, want %d", got, len(chaos.Keys))
	}
	logs := plantest.One(t, res, tLogGroup, "chaos-experiments")
	if !strings.HasPrefix(logs.InputString("namePrefix"), "/pushplatform/prod/fis-") || logs.Input("retentionInDays") != float64(90) {
		t.Errorf("log group %v", logs.PlainInputs())
	}
	for _, key := range chaos.Keys {
		w := wants[key]
		tpl := plantest.One(t, res, tTemplate, "chaos-"+key)
		acts := tpl.Input("actions").([]any)
		targets := tpl.Input("targets").([]any)
		if len(acts) != 1 || len(targets) != 1 {
			t.Fatalf("%s: %d actions, %d targets, want one each", key, len(acts), len(targets))
		}
		a, tg := acts[0].(map[string]any), targets[0].(map[string]any)
		at := a["target"].(map[string]any)
		if a["actionId"] != w.action || at["key"] != w.targetKey || at["value"] != tg["name"] || tg["resourceType"] != w.resourceType || tg["selectionMode"] != "ALL" {
			t.Errorf("%s: action %v on target %v", key, a, tg)
		}
		if got := paramsOf(a); !maps.Equal(got, w.params) {
			t.Errorf("%s: parameters %v, want %v", key, got, w.params)
		}
		var stops []string
		for _, s := range tpl.Input("stopConditions").([]any) {
			sc := s.(map[string]any)
			if sc["source"] != "aws:cloudwatch:alarm" {
				t.Errorf("%s: stop condition %v", key, sc)
			}
			stops = append(stops, sc["value"].(string))
		}
		if want := []string{testAlarms["alb-5xx"], testAlarms["producer-5xx"]}; !slices.Equal(stops, want) {
			t.Errorf("%s: stops on %v, want %v", key, stops, want)
		}
		lc := tpl.Input("logConfiguration").(map[string]any)
		if lc["logSchemaVersion"] != float64(2) || lc["cloudwatchLogsConfiguration"].(map[string]any)["logGroupArn"] != output(logs, "arn")+":*" {
			t.Errorf("%s: logs %v", key, lc)
		}
		if opt := tpl.Input("experimentOptions").(map[string]any); opt["emptyTargetResolutionMode"] != "fail" || opt["accountTargeting"] != "single-account" {
			t.Errorf("%s: options %v", key, opt)
		}

		role := plantest.One(t, res, tRole, "chaos-"+key)
		if tpl.InputString("roleArn") != output(role, "arn") {
			t.Errorf("%s runs as %s, not its own role", key, tpl.InputString("roleArn"))
		}
		trust := plantest.Policy(t, role, "assumeRolePolicy").Statement
		if len(trust) != 1 || !slices.Equal(trust[0].Principal["Service"], []string{"fis.amazonaws.com"}) ||
			!slices.Equal(trust[0].Condition["StringEquals"]["aws:SourceAccount"], []string{"123456789012"}) {
			t.Errorf("%s trust %+v", key, trust)
		}
		grants := plantest.Policy(t, plantest.One(t, res, tPolicy, "chaos-"+key), "policy")
		wantActions := append(slices.Clone(w.permissions), logPermissions...)
		slices.Sort(wantActions)
		if got := actions(grants); !slices.Equal(got, wantActions) {
			t.Errorf("%s role may %v, want exactly %v", key, got, wantActions)
		}
	}
}

// TestTargets: each target names this stack's resources: the cluster and
// service in the chosen AZ, the MySQL instance by ARN, the replication
// group by its tags in the primary's AZ, the private subnets in the AZ.
// The mutating permissions reach those resources only.
func TestTargets(t *testing.T) {
	res, err := runChaos(t, "prod", testAlarms, nil)
	if err != nil {
		t.Fatal(err)
	}
	target := func(key string) map[string]any {
		return plantest.One(t, res, tTemplate, "chaos-"+key).Input("targets").([]any)[0].(map[string]any)
	}
	// grant lists the resources of every statement granting the action.
	grant := func(key, action string) []string {
		var out []string
		for _, st := range plantest.Policy(t, plantest.One(t, res, tPolicy, "chaos-"+key), "policy").Statement {
			if slices.Contains(st.Action, action) {
				out = append(out, st.Resource...)
			}
		}
		if out == nil {
			t.Fatalf("%s: no grant of %s", key, action)
		}
		return out
	}
	cluster := output(plantest.One(t, res, "aws:ecs/cluster:Cluster", "cluster"), "name")
	tasks := target(chaos.StopTasks)
	if p := tasks["parameters"].(map[string]any); p["cluster"] != cluster || p["service"] != "svc-producer" ||
		plantest.JSON(tasks["filters"]) != `[{"path":"AvailabilityZone","values":["eu-central-1c"]}]` {
		t.Errorf("task target %v", tasks)
	}
	if got := grant(chaos.StopTasks, "ecs:StopTask"); !slices.Equal(got, []string{"arn:aws:ecs:eu-central-1:123456789012:task/" + cluster + "/*"}) {
		t.Errorf("StopTask on %v", got)
	}

	mysql := output(plantest.One(t, res, "aws:rds/instance:Instance", "datastores-mysql"), "arn")
	if db := target(chaos.MySQLFailover); plantest.JSON(db["resourceArns"]) != `["`+mysql+`"]` {
		t.Errorf("MySQL target %v, want %s", db, mysql)
	}
	if got := grant(chaos.MySQLFailover, "rds:RebootDBInstance"); !slices.Equal(got, []string{mysql}) {
		t.Errorf("RebootDBInstance on %v", got)
	}

	rg := plantest.One(t, res, "aws:elasticache/replicationGroup:ReplicationGroup", "datastores-cache")
	cache := target(chaos.CacheAZPower)
	if cache["resourceArns"] != nil || plantest.JSON(cache["resourceTags"]) != `[{"key":"Name","value":"datastores-cache"},{"key":"Stack","value":"prod"}]` ||
		cache["parameters"].(map[string]any)["availabilityZoneIdentifier"] != "eu-central-1a" {
		t.Errorf("cache target %v", cache)
	}
	// The tags select this stack's group: tags the group carries itself,
	// not the stack's default tags.
	tags := rg.Input("tags").(map[string]any)
	for _, kv := range cache["resourceTags"].([]any) {
		kv := kv.(map[string]any)
		if tags[kv["key"].(string)] != kv["value"] {
			t.Errorf("the target's tag %v is not on the replication group (%v)", kv, tags)
		}
	}
	if azs := plantest.Strings(rg.Input("preferredCacheClusterAzs")); len(azs) == 0 || azs[0] != "eu-central-1a" {
		t.Errorf("the cache primary is in %v, the experiment cuts eu-central-1a", azs)
	}
	if got := grant(chaos.CacheAZPower, "elasticache:InterruptClusterAzPower"); !slices.Equal(got, []string{"arn:aws:elasticache:eu-central-1:123456789012:replicationgroup:" + rg.ID}) {
		t.Errorf("InterruptClusterAzPower on %v", got)
	}

	subnets := target(chaos.AZCut)
	private := plantest.Strings(subnets["filters"].([]any)[0].(map[string]any)["values"])
	if p := subnets["parameters"].(map[string]any); p["availabilityZoneIdentifier"] != "eu-central-1c" || !strings.HasPrefix(p["vpc"].(string), "vpc-") ||
		len(private) != 3 || !plantest.AllPrefixed(private, "subnet-private-") {
		t.Errorf("subnet target %v", subnets)
	}
	acls := "arn:aws:ec2:eu-central-1:123456789012:network-acl/*"
	for a, want := range map[string][]string{
		"ec2:CreateNetworkAclEntry":        {acls},
		"ec2:DeleteNetworkAcl":             {acls},
		"ec2:CreateTags":                   {acls},
		"ec2:CreateNetworkAcl":             {acls, "arn:aws:ec2:eu-central-1:123456789012:vpc/" + subnets["parameters"].(map[string]any)["vpc"].(string)},
		"ec2:ReplaceNetworkAclAssociation": append([]string{acls}, subnetArns(private)...),
	} {
		if got := grant(chaos.AZCut, a); !slices.Equal(got, want) {
			t.Errorf("%s on %v, want %v", a, got, want)
		}
	}
	// Tags only as the ACL is created, and only FIS's own tag.
	for _, st := range plantest.Policy(t, plantest.One(t, res, tPolicy, "chaos-"+chaos.AZCut), "policy").Statement {
		if slices.Contains(st.Action, "ec2:CreateTags") &&
			(!slices.Equal(st.Condition["StringEquals"]["ec2:CreateAction"], []string{"CreateNetworkAcl"}) ||
				!slices.Equal(st.Condition["StringEquals"]["aws:RequestTag/managedByFIS"], []string{"true"})) {
			t.Errorf("CreateTags conditions %v", st.Condition)
		}
	}
}

// TestChoices: the AZ, service and duration come from config.
func TestChoices(t *testing.T) {
	res, err := runChaos(t, "prod", testAlarms, func(v map[string]string) {
		v["pushplatform:chaos"] = `{"availabilityZone":"eu-central-1b","service":"consumer","durationMinutes":30}`
	})
	if err != nil {
		t.Fatal(err)
	}
	stop := plantest.One(t, res, tTemplate, "chaos-"+chaos.StopTasks)
	tg := stop.Input("targets").([]any)[0].(map[string]any)
	if tg["parameters"].(map[string]any)["service"] != "svc-consumer" || plantest.JSON(tg["filters"]) != `[{"path":"AvailabilityZone","values":["eu-central-1b"]}]` {
		t.Errorf("task target %v", tg)
	}
	cut := plantest.One(t, res, tTemplate, "chaos-"+chaos.AZCut)
	if got := paramsOf(cut.Input("actions").([]any)[0].(map[string]any)); got["duration"] != "PT30M" {
		t.Errorf("AZ cut %v", got)
	}
	if az := cut.Input("targets").([]any)[0].(map[string]any)["parameters"].(map[string]any)["availabilityZoneIdentifier"]; az != "eu-central-1b" {
		t.Errorf("AZ cut in %v", az)
	}
}

// TestRefusals: a template that could not be stopped, or could not do
// what it says, is refused before anything is registered.
func TestRefusals(t *testing.T) {
	six := map[string]string{}
	for _, k := range []string{"a", "b", "c", "d", "e", "f"} {
		six[k] = "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:" + k
	}
	for name, c := range map[string]struct {
		stack  string
		alarms map[string]string
		edit   func(map[string]string)
		want   []string
	}{
		"no alarms":     {"prod", nil, nil, []string{"chaos.enabled needs the alarms"}},
		"too many":      {"prod", six, nil, []string{"6 stop alarms", "at most 5"}},
		"foreign AZ":    {"prod", testAlarms, func(v map[string]string) { v["pushplatform:chaos"] = `{"availabilityZone":"eu-west-1a"}` }, []string{`chaos.availabilityZone = "eu-west-1a"`}},
		"dev, not HA":   {"dev", testAlarms, nil, []string{"database.multiAz", "cache.nodes 2 or more (is 1)"}},
		"dev, no alarm": {"dev", nil, nil, []string{"chaos.enabled needs the alarms", "database.multiAz"}},
	} {
		res, err := runChaos(t, c.stack, c.alarms, c.edit)
		if !refused(t, name, err, c.want) {
			continue
		}
		if res != nil && len(res.OfType(tTemplate)) > 0 {
			t.Errorf("%s: templates registered before the refusal", name)
		}
	}
}

func subnetArns(ids []string) []string {
	var out []string
	for _, id := range ids {
		out = append(out, "arn:aws:ec2:eu-central-1:123456789012:subnet/"+id)
	}
	return out
}
