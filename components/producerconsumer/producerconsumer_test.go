package producerconsumer_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/internal/migrate"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tService = "aws:ecs/service:Service"
	tTaskDef = "aws:ecs/taskDefinition:TaskDefinition"
	tRole    = "aws:iam/role:Role"
	tPolicy  = "aws:iam/rolePolicy:RolePolicy"
	tTarget  = "aws:appautoscaling/target:Target"
	tScaling = "aws:appautoscaling/policy:Policy"
)

var apps = []string{"producer", "consumer"}

type container struct {
	Name                   string `json:"name"`
	Image                  string `json:"image"`
	User                   string `json:"user"`
	ReadonlyRootFilesystem bool   `json:"readonlyRootFilesystem"`
	Environment            []struct {
		Name, Value string
	} `json:"environment"`
	Secrets []struct {
		Name      string `json:"name"`
		ValueFrom string `json:"valueFrom"`
	} `json:"secrets"`
	PortMappings []struct {
		ContainerPort int `json:"containerPort"`
	} `json:"portMappings"`
	LogConfiguration struct {
		LogDriver string            `json:"logDriver"`
		Options   map[string]string `json:"options"`
	} `json:"logConfiguration"`
	HealthCheck *struct {
		Command []string `json:"command"`
	} `json:"healthCheck"`
}

func containers(t *testing.T, td *plan.Resource) []container {
	t.Helper()
	var cs []container
	if err := json.Unmarshal([]byte(td.InputString("containerDefinitions")), &cs); err != nil {
		t.Fatalf("%s container definitions: %v", td.Name, err)
	}
	return cs
}

func TestServices(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			prod := stack == "prod"
			azs := map[bool]int{true: 3, false: 2}[prod]
			for _, app := range apps {
				name := "app-" + app
				svc := plantest.One(t, res, tService, name)
				net := svc.Input("networkConfiguration").(map[string]any)
				subnets := plantest.Strings(net["subnets"])
				if len(subnets) != azs || !plantest.AllPrefixed(subnets, "subnet-private-") {
					t.Errorf("%s subnets = %v, want the %d private subnets", app, subnets, azs)
				}
				if net["assignPublicIp"] != false {
					t.Errorf("%s assigns public IPs", app)
				}
				if sgs := plantest.Strings(net["securityGroups"]); len(sgs) != 1 || res.ByID(sgs[0]).Name != name {
					t.Errorf("%s security groups = %v, want only its own", app, sgs)
				}
				cb := svc.Input("deploymentCircuitBreaker").(map[string]any)
				if cb["enable"] != true || cb["rollback"] != true {
					t.Errorf("%s circuit breaker = %v, want enabled with rollback", app, cb)
				}
				if svc.Input("deploymentMinimumHealthyPercent") != float64(100) || svc.Input("deploymentMaximumPercent") != float64(200) {
					t.Errorf("%s deployment percents = %v/%v", app, svc.Input("deploymentMinimumHealthyPercent"), svc.Input("deploymentMaximumPercent"))
				}
				wantDesired := map[bool]float64{true: 2, false: 1}[prod]
				if svc.Input("desiredCount") != wantDesired {
					t.Errorf("%s desiredCount = %v, want %v", app, svc.Input("desiredCount"), wantDesired)
				}
				if !slices.Contains(svc.IgnoreChanges, "desiredCount") {
					t.Errorf("%s: autoscaling owns desiredCount, but it is not ignored: %v", app, svc.IgnoreChanges)
				}
				provider := svc.Input("capacityProviderStrategies").([]any)[0].(map[string]any)["capacityProvider"]
				if want := map[bool]string{true: "FARGATE", false: "FARGATE_SPOT"}[prod]; provider != want || svc.Input("launchType") != nil {
					t.Errorf("%s capacity = %v (launchType %v), want %s", app, provider, svc.Input("launchType"), want)
				}
				capacityProviders := plantest.One(t, res, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "cluster")
				if !slices.Contains(svc.Dependencies, capacityProviders.URN) {
					t.Errorf("%s does not wait for the capacity providers", app)
				}

				target := plantest.One(t, res, tTarget, name)
				wantMin, wantMax := map[bool]float64{true: 2, false: 1}[prod], map[bool]float64{true: 6, false: 2}[prod]
				if target.Input("minCapacity") != wantMin || target.Input("maxCapacity") != wantMax {
					t.Errorf("%s scales %v..%v, want %v..%v", app, target.Input("minCapacity"), target.Input("maxCapacity"), wantMin, wantMax)
				}
			}
			cpu := plantest.One(t, res, tScaling, "app-producer-cpu").Input("targetTrackingScalingPolicyConfiguration").(map[string]any)
			if cpu["targetValue"] != float64(60) || cpu["predefinedMetricSpecification"].(map[string]any)["predefinedMetricType"] != "ECSServiceAverageCPUUtilization" {
				t.Errorf("producer scaling = %v, want CPU at 60 %%", cpu)
			}
			checkBacklogPerTask(t, res, stack)
		})
	}
}

// The consumer scales on backlog per running task: metric math dividing
// the queue backlog (every consumer publishes the whole backlog, so its
// Maximum) by the service's running task count, and only that quotient
// returns data. Tracking the backlog itself against a per-task target
// would run away to maxCount.
func checkBacklogPerTask(t *testing.T, res *plan.Result, stack string) {
	t.Helper()
	pol := plantest.One(t, res, tScaling, "app-consumer-backlog-per-task")
	cfg := pol.Input("targetTrackingScalingPolicyConfiguration").(map[string]any)
	if cfg["targetValue"] != float64(1000) {
		t.Errorf("consumer target = %v, want 1000 messages per task", cfg["targetValue"])
	}
	spec := cfg["customizedMetricSpecification"].(map[string]any)
	if spec["metricName"] != nil || spec["namespace"] != nil {
		t.Errorf("consumer policy tracks a single metric %v, want metric math", spec)
	}
	queries := map[string]map[string]any{}
	returning := []string{}
	for _, q := range spec["metrics"].([]any) {
		m := q.(map[string]any)
		queries[m["id"].(string)] = m
		if m["returnData"] == true {
			returning = append(returning, m["id"].(string))
		}
	}
	if !reflect.DeepEqual(returning, []string{"per_task"}) || queries["per_task"]["expression"] != "work / tasks" {
		t.Fatalf("queries %v: want only per_task = work / tasks to return data", queries)
	}
	stat := func(id string) (namespace, name, statistic string, dims map[string]any) {
		ms := queries[id]["metricStat"].(map[string]any)
		metric := ms["metric"].(map[string]any)
		dims = map[string]any{}
		for _, d := range metric["dimensions"].([]any) {
			dims[d.(map[string]any)["name"].(string)] = d.(map[string]any)["value"]
		}
		return metric["namespace"].(string), metric["metricName"].(string), ms["stat"].(string), dims
	}
	if ns, name, st, dims := stat("work"); ns != "PushPlatform/Queue" || name != "Backlog" || st != "Maximum" ||
		!reflect.DeepEqual(dims, map[string]any{"Queue": "counts", "Stack": stack}) {
		t.Errorf("work = %s/%s %s %v, want the queue backlog's Maximum for this stack", ns, name, st, dims)
	}
	svc := plantest.One(t, res, tService, "app-consumer")
	cluster := plantest.One(t, res, "aws:ecs/cluster:Cluster", "cluster")
	if ns, name, st, dims := stat("tasks"); ns != "ECS/ContainerInsights" || name != "RunningTaskCount" || st != "Average" ||
		dims["ClusterName"] != cluster.Outputs["name"].StringValue() || dims["ServiceName"] != svc.Outputs["name"].StringValue() {
		t.Errorf("tasks = %s/%s %s %v, want the consumer service's RunningTaskCount", ns, name, st, dims)
	}
}

func TestTaskDefinitions(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			prod := stack == "prod"
			for _, app := range apps {
				name := "app-" + app
				td := plantest.One(t, res, tTaskDef, name)
				if td.InputString("networkMode") != "awsvpc" || !reflect.DeepEqual(plantest.Strings(td.Input("requiresCompatibilities")), []string{"FARGATE"}) {
					t.Errorf("%s is not an awsvpc Fargate task", app)
				}
				wantCPU, wantMem := map[bool]string{true: "512", false: "256"}[prod], map[bool]string{true: "1024", false: "512"}[prod]
				if td.InputString("cpu") != wantCPU || td.InputString("memory") != wantMem {
					t.Errorf("%s size = %s/%s, want %s/%s", app, td.InputString("cpu"), td.InputString("memory"), wantCPU, wantMem)
				}
				arch := td.Input("runtimePlatform").(map[string]any)["cpuArchitecture"]
				if want := map[bool]string{true: "ARM64", false: "X86_64"}[prod]; arch != want {
					t.Errorf("%s architecture = %v, want %s (Spot runs X86_64 only)", app, arch, want)
				}
				execRole, taskRole := td.InputString("executionRoleArn"), td.InputString("taskRoleArn")
				if execRole == "" || taskRole == "" || execRole == taskRole {
					t.Errorf("%s roles: execution %q task %q, want two different roles", app, execRole, taskRole)
				}

				cs := containers(t, td)
				if len(cs) != 1 {
					t.Fatalf("%s has %d containers", app, len(cs))
				}
				c := cs[0]
				if c.User == "" || strings.HasPrefix(c.User, "0") || c.User == "root" || !c.ReadonlyRootFilesystem {
					t.Errorf("%s runs as %q, read-only root %v", app, c.User, c.ReadonlyRootFilesystem)
				}
				// Fixture mode shows the reference a build would push: the
				// app's repository and its content tag (components/artifact).
				cpu := map[bool]string{true: "arm64", false: "amd64"}[prod]
				if !regexp.MustCompile(`^123456789012\.dkr\.ecr\.eu-central-1\.amazonaws\.com/pushplatform-` + stack + `/` + app + `:` + app + `-` + cpu + `-[0-9a-f]{24}$`).MatchString(c.Image) {
					t.Errorf("%s image %q is not its repository with its content tag", app, c.Image)
				}
				if c.HealthCheck == nil || len(c.HealthCheck.Command) == 0 {
					t.Errorf("%s has no container health check", app)
				}
				if c.LogConfiguration.LogDriver != "awslogs" || c.LogConfiguration.Options["awslogs-region"] != "eu-central-1" {
					t.Errorf("%s logging = %+v", app, c.LogConfiguration)
				}
				var envNames []string
				for _, e := range c.Environment {
					envNames = append(envNames, e.Name)
					for _, word := range []string{"PASSWORD", "TOKEN", "SECRET", "KEY"} {
						if strings.Contains(e.Name, word) {
							t.Errorf("%s: %s is a plain environment value; credentials go in secrets", app, e.Name)
						}
					}
				}
				if !slices.IsSorted(envNames) {
					t.Errorf("%s environment is not sorted: %v", app, envNames)
				}
				secrets := map[string]string{}
				for _, s := range c.Secrets {
					secrets[s.Name] = s.ValueFrom
				}
				for name, key := range map[string]string{"DB_USER": ":username::", "DB_PASSWORD": ":password::", "REDIS_PASSWORD": ":authToken::"} {
					if !strings.HasPrefix(secrets[name], "arn:aws:secretsmanager:") || !strings.HasSuffix(secrets[name], key) {
						t.Errorf("%s secret %s = %q, want a Secrets Manager reference ending %s", app, name, secrets[name], key)
					}
				}
			}
			producer := containers(t, plantest.One(t, res, tTaskDef, "app-producer"))[0]
			if len(producer.PortMappings) != 1 || producer.PortMappings[0].ContainerPort != 5080 {
				t.Errorf("producer ports = %+v, want 5080", producer.PortMappings)
			}
		})
	}
}

func TestRoles(t *testing.T) {
	res := plantest.Run(t, "prod")
	for _, app := range apps {
		name := "app-" + app
		exec := plantest.Policy(t, plantest.One(t, res, tPolicy, name+"-execution"), "policy")
		got := map[string][]string{}
		for _, st := range exec.Statement {
			got[st.Sid] = st.Action
			for _, r := range st.Resource {
				if r == "*" && st.Sid != "EcrLogin" {
					t.Errorf("%s execution %s grants on *", app, st.Sid)
				}
			}
		}
		want := map[string][]string{
			"WriteOwnLogs":   {"logs:CreateLogStream", "logs:PutLogEvents"},
			"EcrLogin":       {"ecr:GetAuthorizationToken"},
			"PullOwnImage":   {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
			"ReadOwnSecrets": {"secretsmanager:GetSecretValue"},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s execution role = %v, want %v", app, got, want)
		}
		for _, st := range exec.Statement {
			if st.Sid == "ReadOwnSecrets" && len(st.Resource) != 2 {
				t.Errorf("%s reads secrets %v, want exactly the cache and app user secrets", app, st.Resource)
			}
			if st.Sid == "PullOwnImage" && (len(st.Resource) != 1 || !strings.HasSuffix(st.Resource[0], ":repository/pushplatform-prod/"+app)) {
				t.Errorf("%s pulls from %v, want only its repository", app, st.Resource)
			}
		}
	}
	// The producer signs document links: it may read the documents bucket
	// (and tell a missing key from a denied one), nothing else.
	producer := plantest.Policy(t, plantest.One(t, res, tPolicy, "app-producer-task"), "policy")
	docs := plantest.One(t, res, "aws:s3/bucketV2:BucketV2", "datastores-documents").Outputs["arn"].StringValue()
	wantDocs := map[string][]string{"s3:GetObject": {docs + "/*"}, "s3:ListBucket": {docs}}
	if len(producer.Statement) != len(wantDocs) {
		t.Errorf("producer task role = %+v, want %v", producer, wantDocs)
	}
	for _, st := range producer.Statement {
		if len(st.Action) != 1 || !reflect.DeepEqual(st.Resource, wantDocs[st.Action[0]]) || st.Effect != "Allow" {
			t.Errorf("producer task statement %+v, want %v", st, wantDocs)
		}
	}
	consumer := plantest.Policy(t, plantest.One(t, res, tPolicy, "app-consumer-task"), "policy")
	if len(consumer.Statement) != 1 || !reflect.DeepEqual(consumer.Statement[0].Action, []string{"cloudwatch:PutMetricData"}) ||
		!reflect.DeepEqual(consumer.Statement[0].Condition["StringEquals"]["cloudwatch:namespace"], []string{"PushPlatform/Queue"}) {
		t.Errorf("consumer task role = %+v, want PutMetricData confined to its namespace", consumer)
	}
	// Roles of services that set aws:SourceAccount are pinned to the
	// account; the Lambda and AWS Backup roles carry no such condition (no
	// AWS source says either service sets it when it assumes the role, and
	// a condition it does not meet would break the function or every
	// backup job).
	for _, r := range res.OfType(tRole) {
		trust := plantest.Policy(t, r, "assumeRolePolicy")
		st := trust.Statement[0]
		// Firehose's documented trust pins the account with sts:ExternalId.
		pinned := len(st.Condition["StringEquals"]["aws:SourceAccount"]) == 1 ||
			slices.Equal(st.Principal["Service"], []string{"firehose.amazonaws.com"}) && len(st.Condition["StringEquals"]["sts:ExternalId"]) == 1
		unpinned := slices.Contains(st.Principal["Service"], "lambda.amazonaws.com") || slices.Contains(st.Principal["Service"], "backup.amazonaws.com")
		if unpinned && (pinned || len(st.Condition) != 0) {
			t.Errorf("role %s: %v trust has conditions %v", r.Name, st.Principal["Service"], st.Condition)
		} else if !unpinned && !pinned {
			t.Errorf("role %s trust is not pinned to the account", r.Name)
		}
	}
}

func TestLoadBalancerRoute(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		alb := plantest.One(t, res, "aws:lb/loadBalancer:LoadBalancer", "cluster-alb")
		logs := alb.Input("accessLogs").(map[string]any)
		if alb.Input("internal") != true || alb.Input("dropInvalidHeaderFields") != true || logs["enabled"] != true || logs["prefix"] != "alb" {
			t.Errorf("%s ALB = %v", stack, alb.PlainInputs())
		}
		if alb.Input("enableDeletionProtection") != (stack == "prod") {
			t.Errorf("%s ALB deletion protection = %v", stack, alb.Input("enableDeletionProtection"))
		}
		if subnets := plantest.Strings(alb.Input("subnets")); !plantest.AllPrefixed(subnets, "subnet-private-") {
			t.Errorf("%s ALB subnets = %v", stack, subnets)
		}
		listener := plantest.One(t, res, "aws:lb/listener:Listener", "cluster-http")
		action := listener.Input("defaultActions").([]any)[0].(map[string]any)
		if listener.InputString("protocol") != "HTTP" || listener.Input("port") != float64(80) {
			t.Errorf("%s listener = %v, want HTTP on 80 (the VPC origin's port)", stack, listener.PlainInputs())
		}
		var onALB int
		for _, l := range res.OfType("aws:lb/listener:Listener") {
			if l.InputString("loadBalancerArn") == alb.Outputs["arn"].StringValue() {
				onALB++
			}
		}
		if onALB != 1 {
			t.Errorf("%s: %d listeners on the ALB, want the one internal HTTP listener", stack, onALB)
		}
		if action["type"] != "fixed-response" || action["fixedResponse"].(map[string]any)["statusCode"] != "404" {
			t.Errorf("%s unknown paths get %v, want a fixed 404", stack, action)
		}
		tg := plantest.One(t, res, "aws:lb/targetGroup:TargetGroup", "app-producer")
		hc := tg.Input("healthCheck").(map[string]any)
		if tg.InputString("targetType") != "ip" || tg.Input("port") != float64(5080) || hc["path"] != "/health" {
			t.Errorf("%s target group = %v", stack, tg.PlainInputs())
		}
		rule := plantest.One(t, res, "aws:lb/listenerRule:ListenerRule", "app-producer")
		if got := plantest.JSON(rule.Input("conditions")); got != `[{"pathPattern":{"values":["/api/*"]}}]` {
			t.Errorf("%s rule = %v", stack, rule.PlainInputs())
		}
		svc := plantest.One(t, res, tService, "app-producer")
		if !slices.Contains(svc.Dependencies, rule.URN) {
			t.Errorf("%s: the producer service must wait for its listener rule", stack)
		}
		sd := plantest.One(t, res, "aws:servicediscovery/service:Service", "app-producer")
		if sd.InputString("name") != "producer" || res.Outputs["serviceNamespace"] != stack+".pushplatform.internal" {
			t.Errorf("%s Cloud Map = %s in %v", stack, sd.InputString("name"), res.Outputs["serviceNamespace"])
		}
	}
}

func TestMigration(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		fn := plantest.One(t, res, "aws:lambda/function:Function", "app-migrate")
		vpc := fn.Input("vpcConfig").(map[string]any)
		if !plantest.AllPrefixed(plantest.Strings(vpc["subnetIds"]), "subnet-private-") || fn.InputString("runtime") != "provided.al2023" || !reflect.DeepEqual(plantest.Strings(fn.Input("architectures")), []string{"arm64"}) {
			t.Errorf("%s migrate function = %v", stack, fn.PlainInputs())
		}
		inv := plantest.One(t, res, "aws:lambda/invocation:Invocation", "app-migrate")
		// The contract with the function: the input decodes strictly (no
		// unknown field) into the event type the function takes, and passes
		// the function's own validation.
		dec := json.NewDecoder(strings.NewReader(inv.InputString("input")))
		dec.DisallowUnknownFields()
		var typed migrate.Event
		if err := dec.Decode(&typed); err != nil {
			t.Fatalf("%s: the invocation input does not decode into migrate.Event: %v", stack, err)
		}
		if err := typed.Validate(); err != nil {
			t.Errorf("%s: the function would reject its event: %v", stack, err)
		}
		var event map[string]any
		if err := json.Unmarshal([]byte(inv.InputString("input")), &event); err != nil {
			t.Fatalf("%s invocation input: %v", stack, err)
		}
		for _, k := range []string{"masterSecretArn", "appSecretArn"} {
			if s, _ := event[k].(string); !strings.HasPrefix(s, "arn:aws:secretsmanager:") {
				t.Errorf("%s invocation %s = %v", stack, k, event[k])
			}
		}
		for k := range event {
			if strings.Contains(strings.ToLower(k), "password") {
				t.Errorf("%s invocation carries %s", stack, k)
			}
		}
		if strings.Contains(inv.InputString("input"), plan.FakeSecret("app-db-app")) {
			t.Errorf("%s: the app password reaches the invocation", stack)
		}
		grants := plantest.Policy(t, plantest.One(t, res, tPolicy, "app-migrate"), "policy")
		var secrets []string
		for _, st := range grants.Statement {
			if slices.Contains(st.Action, "secretsmanager:GetSecretValue") {
				secrets = append(secrets, st.Resource...)
			}
			for _, a := range st.Action {
				if strings.HasPrefix(a, "secretsmanager:") && a != "secretsmanager:GetSecretValue" {
					t.Errorf("%s: migrate may %s; it only reads secrets", stack, a)
				}
			}
		}
		if len(secrets) != 2 {
			t.Errorf("%s: migrate reads %v, want the master and app secrets", stack, secrets)
		}

		// The invocation runs the function during the deploy: it waits for
		// the version holding the app password and for every rule of the
		// function's group, on both sides.
		version := plantest.One(t, res, "aws:secretsmanager/secretVersion:SecretVersion", "app-db-app")
		if !slices.Contains(inv.Dependencies, version.URN) {
			t.Errorf("%s: the invocation does not wait for the app secret's version", stack)
		}
		sg := plantest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", "app-migrate")
		rules := 0
		for _, typ := range []string{"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"} {
			for _, r := range res.OfType(typ) {
				if r.InputString("securityGroupId") != sg.ID && r.InputString("referencedSecurityGroupId") != sg.ID {
					continue
				}
				rules++
				if !slices.Contains(inv.Dependencies, r.URN) {
					t.Errorf("%s: the invocation does not wait for rule %s", stack, r.Name)
				}
			}
		}
		if rules < 3 {
			t.Errorf("%s: %d rules involve the migrate group, want at least MySQL in, MySQL out and 443 out", stack, rules)
		}
		// The services start only once the schema (and the statistics row
		// GET /count reads) exists.
		for _, app := range apps {
			if svc := plantest.One(t, res, tService, "app-"+app); !slices.Contains(svc.Dependencies, inv.URN) {
				t.Errorf("%s: the %s service does not wait for the migration", stack, app)
			}
		}
		triggers := inv.Input("triggers").(map[string]any)
		if triggers["appSecretVersion"] == nil || triggers["package"] == nil {
			t.Errorf("%s: triggers %v; a new package or password must re-run the migration", stack, triggers)
		}
	}
}

func TestRepositories(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		for _, app := range apps {
			repo := plantest.One(t, res, "aws:ecr/repository:Repository", "app-"+app)
			// dev goes in one destroy (forceDelete); prod keeps its images
			// and refuses deletion (protect, retainOnDelete, no forceDelete).
			prod := stack == "prod"
			if repo.Input("forceDelete") != !prod || repo.Protect != prod || repo.RetainOnDelete != prod {
				t.Errorf("%s %s repository: forceDelete %v, protect %v, retain %v", stack, app, repo.Input("forceDelete"), repo.Protect, repo.RetainOnDelete)
			}
		}
	}
	res := plantest.Run(t, "prod")
	for _, app := range apps {
		repo := plantest.One(t, res, "aws:ecr/repository:Repository", "app-"+app)
		scan := repo.Input("imageScanningConfiguration").(map[string]any)
		if repo.InputString("imageTagMutability") != "IMMUTABLE" || scan["scanOnPush"] != true {
			t.Errorf("%s repository = %v", app, repo.PlainInputs())
		}
		lc := plantest.One(t, res, "aws:ecr/lifecyclePolicy:LifecyclePolicy", "app-"+app).InputString("policy")
		if !strings.Contains(lc, `"tagStatus":"untagged"`) || !strings.Contains(lc, `"imageCountMoreThan"`) {
			t.Errorf("%s lifecycle = %s", app, lc)
		}
	}
}

func TestNoSecretInServiceInputs(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		for _, secret := range []string{plan.FakeSecret("app-db-app"), plan.FakeSecret("datastores-cache-auth")} {
			for _, r := range res.Resources {
				if r.Type == tTaskDef || r.Type == tService || r.Type == "aws:lambda/invocation:Invocation" || r.Type == "aws:lambda/function:Function" {
					if strings.Contains(plantest.JSON(r.PlainInputs()), secret) {
						t.Errorf("%s: %s %s holds a secret value", stack, r.Type, r.Name)
					}
				}
			}
		}
	}
}

// In prod the producer answers 201 only once the cache's replica holds the
// entry (WAIT 1); dev's single node has no replica to wait for.
func TestProducerWaitsForAReplicaInProd(t *testing.T) {
	for stack, want := range map[string]string{"dev": "0", "prod": "1"} {
		c := plantest.TaskContainer(t, plantest.Run(t, stack), "app-producer")
		if got := c.Environment["REDIS_WAIT_REPLICAS"]; got != want {
			t.Errorf("%s REDIS_WAIT_REPLICAS = %q, want %q", stack, got, want)
		}
		if c.Environment["REDIS_WAIT_TIMEOUT_MS"] != "500" {
			t.Errorf("%s REDIS_WAIT_TIMEOUT_MS = %q", stack, c.Environment["REDIS_WAIT_TIMEOUT_MS"])
		}
	}
}
