package datastores_test

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tDB        = "aws:rds/instance:Instance"
	tDBParams  = "aws:rds/parameterGroup:ParameterGroup"
	tDBSubnets = "aws:rds/subnetGroup:SubnetGroup"
	tRG        = "aws:elasticache/replicationGroup:ReplicationGroup"
	tRGParams  = "aws:elasticache/parameterGroup:ParameterGroup"
	tRGSubnets = "aws:elasticache/subnetGroup:SubnetGroup"
	tTable     = "aws:dynamodb/table:Table"
	tBucket    = "aws:s3/bucketV2:BucketV2"
	tSecret    = "aws:secretsmanager/secret:Secret"
	tSecretVer = "aws:secretsmanager/secretVersion:SecretVersion"
	tPassword  = "random:index/randomPassword:RandomPassword"
)

func prod(stack string) bool { return stack == "prod" }

func TestMySQL(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			db := plantest.One(t, res, tDB, "datastores-mysql")
			want := map[string]any{
				"identifier":                       "pushplatform-" + stack + "-mysql",
				"engine":                           "mysql",
				"engineVersion":                    "8.4",
				"engineLifecycleSupport":           "open-source-rds-extended-support-disabled",
				"storageType":                      "gp3",
				"storageEncrypted":                 true,
				"manageMasterUserPassword":         true,
				"iamDatabaseAuthenticationEnabled": true,
				"publiclyAccessible":               false,
				"copyTagsToSnapshot":               true,
				"autoMinorVersionUpgrade":          true,
				"multiAz":                          prod(stack),
				"deletionProtection":               prod(stack),
				"skipFinalSnapshot":                !prod(stack),
				"deleteAutomatedBackups":           !prod(stack),
				"performanceInsightsEnabled":       prod(stack),
				"backupRetentionPeriod":            map[bool]float64{true: 14, false: 1}[prod(stack)],
				"instanceClass":                    map[bool]string{true: "db.t4g.medium", false: "db.t4g.micro"}[prod(stack)],
			}
			for k, v := range want {
				if got := db.Input(k); got != v {
					t.Errorf("%s = %v, want %v", k, got, v)
				}
			}
			if db.Input("password") != nil {
				t.Error("a password input exists; RDS must manage the master password")
			}
			if got, max := db.Input("allocatedStorage").(float64), db.Input("maxAllocatedStorage").(float64); max <= got {
				t.Errorf("storage autoscaling needs headroom: allocated %v, max %v", got, max)
			}
			if got := plantest.Strings(db.Input("enabledCloudwatchLogsExports")); !reflect.DeepEqual(got, []string{"error", "slowquery"}) {
				t.Errorf("log exports = %v", got)
			}
			if prod(stack) && db.InputString("finalSnapshotIdentifier") != "pushplatform-prod-mysql-final" {
				t.Errorf("final snapshot = %q", db.InputString("finalSnapshotIdentifier"))
			}
			if db.Input("monitoringInterval") != float64(60) || db.InputString("monitoringRoleArn") == "" {
				t.Error("enhanced monitoring (every class allows it) needs an interval and a role")
			}
			if !reflect.DeepEqual(db.IgnoreChanges, []string{"engineVersion"}) {
				t.Errorf("ignoreChanges = %v, want engineVersion (AWS applies minor upgrades)", db.IgnoreChanges)
			}
			assertProtected(t, db, prod(stack))

			params := plantest.One(t, res, tDBParams, "datastores-mysql")
			if params.InputString("family") != "mysql8.4" {
				t.Errorf("parameter family = %s", params.InputString("family"))
			}
			got := map[string]string{}
			for _, p := range params.Input("parameters").([]any) {
				m := p.(map[string]any)
				got[m["name"].(string)] = m["value"].(string)
			}
			for k, v := range map[string]string{"require_secure_transport": "1", "character_set_server": "utf8mb4", "slow_query_log": "1", "log_output": "FILE"} {
				if got[k] != v {
					t.Errorf("parameter %s = %q, want %q", k, got[k], v)
				}
			}
			if db.InputString("parameterGroupName") == "" || db.InputString("dbSubnetGroupName") == "" {
				t.Error("the instance must use its own parameter and subnet groups")
			}
			subnets := plantest.One(t, res, tDBSubnets, "datastores-mysql")
			if got := plantest.Strings(subnets.Input("subnetIds")); len(got) == 0 || !plantest.AllPrefixed(got, "subnet-isolated-") {
				t.Errorf("db subnets = %v, want the isolated ones", got)
			}
			for _, log := range []string{"error", "slowquery"} {
				lg := plantest.One(t, res, "aws:cloudwatch/logGroup:LogGroup", "datastores-mysql-"+log)
				if lg.InputString("name") != "/aws/rds/instance/pushplatform-"+stack+"-mysql/"+log || lg.Input("retentionInDays") == nil {
					t.Errorf("log group %s = %v", log, lg.PlainInputs())
				}
			}
		})
	}
}

func TestCache(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			rg := plantest.One(t, res, tRG, "datastores-cache")
			nodes := map[bool]float64{true: 3, false: 1}[prod(stack)]
			want := map[string]any{
				"engine":                   "valkey",
				"engineVersion":            "8.1",
				"transitEncryptionEnabled": true,
				"transitEncryptionMode":    "required",
				"atRestEncryptionEnabled":  true,
				"numCacheClusters":         nodes,
				"automaticFailoverEnabled": prod(stack),
				"multiAzEnabled":           prod(stack),
				"snapshotRetentionLimit":   map[bool]float64{true: 7, false: 0}[prod(stack)],
				"port":                     float64(6379),
			}
			for k, v := range want {
				if got := rg.Input(k); got != v {
					t.Errorf("%s = %v, want %v", k, got, v)
				}
			}
			azs := plantest.Strings(rg.Input("preferredCacheClusterAzs"))
			if len(azs) != int(nodes) || len(slices.Compact(slices.Sorted(slices.Values(azs)))) != len(azs) {
				t.Errorf("cache nodes in AZs %v: want one node per distinct AZ", azs)
			}
			if v := rg.Inputs["authToken"]; !v.IsSecret() {
				t.Error("the auth token input must be a secret")
			}
			params := plantest.One(t, res, tRGParams, "datastores-cache")
			if params.InputString("family") != "valkey8" || !strings.Contains(inputJSON(params), `"name":"maxmemory-policy","value":"noeviction"`) {
				t.Errorf("cache parameters = %v", params.PlainInputs())
			}
			subnets := plantest.One(t, res, tRGSubnets, "datastores-cache")
			if got := plantest.Strings(subnets.Input("subnetIds")); len(got) == 0 || !plantest.AllPrefixed(got, "subnet-private-") {
				t.Errorf("cache subnets = %v, want the private ones", got)
			}
			for _, r := range []*plan.Resource{rg, plantest.One(t, res, tSecret, "datastores-cache-auth"), plantest.One(t, res, tSecretVer, "datastores-cache-auth"), plantest.One(t, res, tPassword, "datastores-cache-auth")} {
				assertProtected(t, r, prod(stack))
			}
		})
	}
}

func TestTables(t *testing.T) {
	type key struct{ hash, rng, ttl string }
	want := map[string]key{
		"datastores-router":        {"uaid", "", ""},
		"datastores-message":       {"uaid", "chidmessageid", "expiry"},
		"datastores-push-messages": {"vapidKey", "sentAtId", "expiresAt"},
	}
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			for name, k := range want {
				tbl := plantest.One(t, res, tTable, name)
				if tbl.InputString("hashKey") != k.hash || tbl.InputString("rangeKey") != k.rng {
					t.Errorf("%s keys = %s/%s, want %s/%s", name, tbl.InputString("hashKey"), tbl.InputString("rangeKey"), k.hash, k.rng)
				}
				var attrs []string
				for _, a := range tbl.Input("attributes").([]any) {
					m := a.(map[string]any)
					attrs = append(attrs, m["name"].(string)+":"+m["type"].(string))
				}
				wantAttrs := []string{k.hash + ":S"}
				if k.rng != "" {
					wantAttrs = append(wantAttrs, k.rng+":S")
				}
				if !reflect.DeepEqual(attrs, wantAttrs) {
					t.Errorf("%s attributes = %v, want only the keys %v", name, attrs, wantAttrs)
				}
				ttl, _ := tbl.Input("ttl").(map[string]any)
				if k.ttl == "" && ttl != nil || k.ttl != "" && (ttl["attributeName"] != k.ttl || ttl["enabled"] != true) {
					t.Errorf("%s ttl = %v, want %q", name, ttl, k.ttl)
				}
				if tbl.InputString("billingMode") != "PAY_PER_REQUEST" {
					t.Errorf("%s billing = %s", name, tbl.InputString("billingMode"))
				}
				if sse, _ := tbl.Input("serverSideEncryption").(map[string]any); sse["enabled"] != true {
					t.Errorf("%s SSE = %v", name, sse)
				}
				if pitr, _ := tbl.Input("pointInTimeRecovery").(map[string]any); pitr["enabled"] != prod(stack) {
					t.Errorf("%s PITR = %v", name, pitr)
				}
				if tbl.Input("deletionProtectionEnabled") != prod(stack) {
					t.Errorf("%s deletion protection = %v", name, tbl.Input("deletionProtectionEnabled"))
				}
				if tbl.InputString("name") == "" {
					t.Errorf("%s has no configured name", name)
				}
				assertProtected(t, tbl, prod(stack))
			}
		})
	}
}

func TestBuckets(t *testing.T) {
	kinds := []string{"frontend", "assets", "documents", "logs", "pushmessages"}
	versioned := map[string]bool{"frontend": true, "assets": true, "documents": true}
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			logsName := plantest.One(t, res, tBucket, "datastores-logs").Outputs["bucket"].StringValue()
			for _, kind := range kinds {
				name := "datastores-" + kind
				bucket := plantest.One(t, res, tBucket, name)
				assertProtected(t, bucket, prod(stack))
				// dev goes in one `pulumi destroy`: S3 deletes only empty
				// buckets unless forceDestroy empties them first. prod never.
				if bucket.Input("forceDestroy") != !prod(stack) {
					t.Errorf("%s forceDestroy = %v, want %v", kind, bucket.Input("forceDestroy"), !prod(stack))
				}
				own := plantest.One(t, res, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", name)
				if !strings.Contains(inputJSON(own), `"objectOwnership":"BucketOwnerEnforced"`) {
					t.Errorf("%s ownership = %v", kind, own.PlainInputs())
				}
				pab := plantest.One(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name)
				for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
					if pab.Input(k) != true {
						t.Errorf("%s %s = %v", kind, k, pab.Input(k))
					}
				}
				sse := plantest.One(t, res, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", name)
				if !strings.Contains(inputJSON(sse), `"sseAlgorithm":"AES256"`) {
					t.Errorf("%s encryption = %v", kind, sse.PlainInputs())
				}
				doc := plantest.Policy(t, plantest.One(t, res, "aws:s3/bucketPolicy:BucketPolicy", name), "policy")
				if st := find(doc, "DenyInsecureTransport"); st == nil || st.Effect != "Deny" ||
					!reflect.DeepEqual(st.Condition["Bool"]["aws:SecureTransport"], []string{"false"}) || len(st.Resource) != 2 {
					t.Errorf("%s lacks the TLS-only statement: %+v", kind, doc)
				}
				lc := inputJSON(plantest.One(t, res, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", name))
				if !strings.Contains(lc, "abort-incomplete-uploads") {
					t.Errorf("%s lifecycle lacks the multipart cleanup: %s", kind, lc)
				}
				if versioned[kind] != (res.Named("aws:s3/bucketVersioningV2:BucketVersioningV2", name) != nil) {
					t.Errorf("%s versioning: want %v", kind, versioned[kind])
				}
				if versioned[kind] && !strings.Contains(lc, "noncurrentVersionExpiration") {
					t.Errorf("%s keeps old versions forever: %s", kind, lc)
				}
				logging := res.Named("aws:s3/bucketLoggingV2:BucketLoggingV2", name)
				if kind == "logs" {
					if logging != nil {
						t.Error("the logs bucket must not log into itself")
					}
					continue
				}
				if logging == nil || logging.InputString("targetBucket") != logsName || !strings.HasPrefix(logging.InputString("targetPrefix"), "s3/") {
					t.Errorf("%s access logs do not go to the logs bucket: %v", kind, logging)
				}
			}
			for kind, days := range map[string]string{"logs": map[bool]string{true: "365", false: "30"}[prod(stack)], "pushmessages": map[bool]string{true: "90", false: "7"}[prod(stack)]} {
				lc := inputJSON(plantest.One(t, res, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "datastores-"+kind))
				if !strings.Contains(lc, `"days":`+days) {
					t.Errorf("%s does not expire after %s days: %s", kind, days, lc)
				}
			}
			logs := plantest.Policy(t, plantest.One(t, res, "aws:s3/bucketPolicy:BucketPolicy", "datastores-logs"), "policy")
			for sid, principal := range map[string]string{
				"S3ServerAccessLogs":                    "logging.s3.amazonaws.com",
				"LoadBalancerAccessLogs":                "logdelivery.elasticloadbalancing.amazonaws.com",
				"LoadBalancerAccessLogsRegionalAccount": "arn:aws:iam::054676820928:root",
			} {
				st := find(logs, sid)
				if st == nil {
					t.Errorf("logs policy lacks %s", sid)
					continue
				}
				var principals []string
				for _, ids := range st.Principal {
					principals = append(principals, ids...)
				}
				if !slices.Contains(principals, principal) || !reflect.DeepEqual(st.Action, []string{"s3:PutObject"}) {
					t.Errorf("%s = %+v", sid, st)
				}
				for _, r := range st.Resource {
					if !strings.HasPrefix(r, "arn:aws:s3:::"+logsName+"/") {
						t.Errorf("%s grants outside the logs bucket: %s", sid, r)
					}
				}
			}
			// NLB access logs (written only for TLS listeners): the ELB
			// guide's two statements, held to this account and Region.
			for sid, want := range map[string]struct{ action, resource string }{
				"NetworkLoadBalancerAccessLogsAclCheck": {"s3:GetBucketAcl", "arn:aws:s3:::" + logsName},
				"NetworkLoadBalancerAccessLogs":         {"s3:PutObject", "arn:aws:s3:::" + logsName + "/nlb/AWSLogs/123456789012/*"},
			} {
				st := find(logs, sid)
				if st == nil || !slices.Equal(st.Principal["Service"], []string{"delivery.logs.amazonaws.com"}) || !slices.Equal(st.Action, []string{want.action}) ||
					!slices.Equal(st.Resource, []string{want.resource}) ||
					!slices.Equal(st.Condition["StringEquals"]["aws:SourceAccount"], []string{"123456789012"}) ||
					!slices.Equal(st.Condition["ArnLike"]["aws:SourceArn"], []string{"arn:aws:logs:eu-central-1:123456789012:*"}) {
					t.Errorf("%s = %+v", sid, st)
				}
			}
		})
	}
}

// TestNoPlaintextSecret searches every recorded input and every stack output
// for the generated AUTH token: it may appear only inside values marked
// secret.
func TestNoPlaintextSecret(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		token := plan.FakeSecret("datastores-cache-auth")
		found := 0
		for _, r := range res.Resources {
			for k, v := range r.Inputs {
				found += countSecret(t, v, token, false, r.Name+"."+string(k))
			}
		}
		if found == 0 {
			t.Fatalf("%s: the token reached no resource; the test would prove nothing", stack)
		}
		for k, v := range res.Outputs {
			if strings.Contains(plantest.JSON(v), token) {
				t.Errorf("%s: output %s holds the token", stack, k)
			}
		}
		for _, r := range res.Resources {
			for _, k := range []string{"password", "authToken", "secretString"} {
				if v, ok := r.Inputs[resource.PropertyKey(k)]; ok && !v.IsSecret() && !v.IsNull() {
					t.Errorf("%s: %s.%s is not marked secret", stack, r.Name, k)
				}
			}
		}
	}
}

// countSecret counts occurrences of token under v, failing on any that is
// not inside a secret.
func countSecret(t *testing.T, v resource.PropertyValue, token string, secret bool, path string) int {
	switch {
	case v.IsSecret():
		return countSecret(t, v.SecretValue().Element, token, true, path)
	case v.IsOutput():
		return countSecret(t, v.OutputValue().Element, token, secret || v.OutputValue().Secret, path)
	case v.IsString():
		if strings.Contains(v.StringValue(), token) {
			if !secret {
				t.Errorf("%s holds the token in plain text", path)
			}
			return 1
		}
	case v.IsArray():
		n := 0
		for i, e := range v.ArrayValue() {
			n += countSecret(t, e, token, secret, path+"["+strconv.Itoa(i)+"]")
		}
		return n
	case v.IsObject():
		n := 0
		for k, e := range v.ObjectValue() {
			n += countSecret(t, e, token, secret, path+"."+string(k))
		}
		return n
	}
	return 0
}

// TestHarmlessChangeKeepsStatefulInputs changes config that should touch no
// stateful resource and proves every replacement-triggering input of the
// database, cache, tables and buckets is unchanged.
func TestHarmlessChangeKeepsStatefulInputs(t *testing.T) {
	replaceOn := map[string][]string{
		tDB:        {"identifier", "engine", "storageEncrypted", "username", "dbName", "dbSubnetGroupName", "kmsKeyId", "availabilityZone"},
		tRG:        {"replicationGroupId", "engine", "subnetGroupName", "atRestEncryptionEnabled", "kmsKeyId", "port"},
		tTable:     {"name", "hashKey", "rangeKey", "attributes"},
		tBucket:    {"bucket", "bucketPrefix"},
		tDBSubnets: {"name"},
		tRGSubnets: {"name"},
		tSecret:    {"name", "namePrefix"},
		tPassword:  {"length", "special"},
	}
	for _, stack := range plantest.Stacks {
		before := plantest.Run(t, stack)
		after, err := plantest.RunWith(t, stack, func(v map[string]string) {
			v["pushplatform:services"] = `{"producer":{"cpu":1024,"memoryMiB":2048}}`
			v["pushplatform:network"] = strings.Replace(v["pushplatform:network"], "{", `{"flowLogRetentionDays":30,`, 1)
			v["pushplatform:buckets"] = `{"logRetentionDays":400}`
		})
		if err != nil {
			t.Fatal(err)
		}
		checked := 0
		for typ, keys := range replaceOn {
			for _, b := range before.OfType(typ) {
				a := after.Named(typ, b.Name)
				if a == nil || a.URN != b.URN {
					t.Errorf("%s: %s %s disappeared or moved", stack, typ, b.Name)
					continue
				}
				for _, k := range keys {
					if !reflect.DeepEqual(b.Input(k), a.Input(k)) {
						t.Errorf("%s: %s %s.%s changed %v -> %v", stack, typ, b.Name, k, b.Input(k), a.Input(k))
					}
				}
				if a.Protect != b.Protect || a.RetainOnDelete != b.RetainOnDelete {
					t.Errorf("%s: %s %s protection changed", stack, typ, b.Name)
				}
				checked++
			}
		}
		// 1 database, 1 cache, 3 tables, 5 buckets, 2 subnet groups, the
		// cache's, the app DB user's and the Push Messages API token's
		// secret and password, and the push crypto key's secret.
		if checked != 19 {
			t.Errorf("%s: compared %d stateful resources, want 19", stack, checked)
		}
	}
}

// TestAccessHelpers lets a client group in through the data stores and
// checks the rules and the grant statements.
func TestAccessHelpers(t *testing.T) {
	sc := plantest.Config(t, "dev")
	var grants []string
	res, err := plan.Run(sc, func(ctx *pulumi.Context) error {
		p, err := components.NewPlatform(ctx)
		if err != nil {
			return err
		}
		stores := p.Stores
		app, err := network.NewSecurityGroup(ctx, "app", &network.SecurityGroupArgs{VpcID: p.Network.VpcID, Description: "App tasks"})
		if err != nil {
			return err
		}
		if err := stores.AllowMySQL(ctx, app, "App to MySQL"); err != nil {
			return err
		}
		if err := stores.AllowCache(ctx, app, "App to the cache"); err != nil {
			return err
		}
		st := datastores.TableReadWrite(stores.Tables.Message)
		grants = st.Actions
		return stores.FinishBucketPolicies(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []plan.Rule
	for _, r := range res.SecurityMatrix() {
		if r.Group == "app" || r.Peer == "app" {
			got = append(got, r)
		}
	}
	want := []plan.Rule{
		{Direction: "egress", Group: "app", Peer: "datastores-cache", Protocol: "tcp", Ports: "6379", Description: "App to the cache"},
		{Direction: "egress", Group: "app", Peer: "datastores-mysql", Protocol: "tcp", Ports: "3306", Description: "App to MySQL"},
		{Direction: "ingress", Group: "datastores-cache", Peer: "app", Protocol: "tcp", Ports: "6379", Description: "App to the cache"},
		{Direction: "ingress", Group: "datastores-mysql", Peer: "app", Protocol: "tcp", Ports: "3306", Description: "App to MySQL"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules:\n got %+v\nwant %+v", got, want)
	}
	wantActions := []string{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:DescribeTable"}
	if !reflect.DeepEqual(grants, wantActions) {
		t.Errorf("table grant = %v", grants)
	}
}

// TestDataStoresOnlyLetClientsIn checks the data stores' groups: no egress
// at all, and ingress only from client groups (never a CIDR) on the store's
// port.
func TestDataStoresOnlyLetClientsIn(t *testing.T) {
	ports := map[string]string{"datastores-mysql": "3306", "datastores-cache": "6379"}
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		for _, r := range res.SecurityMatrix() {
			port, ok := ports[r.Group]
			if !ok {
				continue
			}
			if r.Direction != "ingress" || r.PeerIsCIDR || r.Ports != port {
				t.Errorf("%s: %s: %+v", stack, r.Group, r)
			}
		}
	}
}

func assertProtected(t *testing.T, r *plan.Resource, want bool) {
	t.Helper()
	if r.Protect != want || r.RetainOnDelete != want {
		t.Errorf("%s %s: protect=%v retainOnDelete=%v, want both %v", r.Type, r.Name, r.Protect, r.RetainOnDelete, want)
	}
}

func find(doc *plan.PolicyDocument, sid string) *plan.PolicyStatement {
	for i := range doc.Statement {
		if doc.Statement[i].Sid == sid {
			return &doc.Statement[i]
		}
	}
	return nil
}

func inputJSON(r *plan.Resource) string { return plantest.JSON(r.PlainInputs()) }

// TestGrantStatements pins the exact actions each grant hands out.
func TestGrantStatements(t *testing.T) {
	b := &datastores.Bucket{Arn: pulumi.String("arn:aws:s3:::b").ToStringOutput()}
	actions := func(sts ...policy.Statement) []string {
		var out []string
		for _, s := range sts {
			out = append(out, s.Actions...)
		}
		return out
	}
	cases := map[string]struct{ got, want []string }{
		"TableRead":       {actions(datastores.TableRead(datastores.Table{})), []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"}},
		"BucketRead":      {actions(datastores.BucketRead(b)...), []string{"s3:ListBucket", "s3:GetObject"}},
		"BucketReadWrite": {actions(datastores.BucketReadWrite(b)...), []string{"s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"}},
		"SecretRead":      {actions(datastores.SecretRead(nil)), []string{"secretsmanager:GetSecretValue"}},
	}
	for name, c := range cases {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s grants %v, want %v", name, c.got, c.want)
		}
	}
}
