package pushtier_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/components/pushtier"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// The settings autopush-rs 1.71.7 reads, from its Settings structs at the
// tag (autoendpoint/src/settings.rs, autoconnect-settings/src/lib.rs).
// autoendpoint refuses unknown keys (serde deny_unknown_fields), so any
// other AUTOEND__ variable would stop it from starting.
var (
	autoendpointSettings = []string{"SCHEME", "HOST", "PORT", "ENDPOINT_URL", "DB_DSN", "DB_SETTINGS", "ROUTER_TABLE_NAME",
		"MESSAGE_TABLE_NAME", "MAX_DATA_BYTES", "CRYPTO_KEYS", "AUTH_KEYS", "HUMAN_LOGS", "CONNECTION_TIMEOUT_MILLIS",
		"REQUEST_TIMEOUT_MILLIS", "STATSD_HOST", "STATSD_PORT", "STATSD_LABEL", "FCM", "APNS", "ADM"}
	autoconnectSettings = []string{"PORT", "HOSTNAME", "RESOLVE_HOSTNAME", "ROUTER_PORT", "ROUTER_HOSTNAME", "AUTO_PING_INTERVAL",
		"AUTO_PING_TIMEOUT", "OPEN_HANDSHAKE_TIMEOUT", "CLOSE_HANDSHAKE_TIMEOUT", "ENDPOINT_SCHEME", "ENDPOINT_HOSTNAME",
		"ENDPOINT_PORT", "CRYPTO_KEY", "STATSD_HOST", "STATSD_PORT", "STATSD_LABEL", "DB_DSN", "DB_SETTINGS",
		"MEGAPHONE_API_URL", "MEGAPHONE_API_TOKEN", "MEGAPHONE_POLL_INTERVAL", "HUMAN_LOGS", "MSG_LIMIT",
		"ACTIX_MAX_CONNECTIONS", "ACTIX_WORKERS"}
)

type containerDef struct {
	Command     []string `json:"command"`
	StopTimeout int      `json:"stopTimeout"`
	User        string   `json:"user"`
	Ulimits     []struct {
		Name      string `json:"name"`
		SoftLimit int    `json:"softLimit"`
		HardLimit int    `json:"hardLimit"`
	} `json:"ulimits"`
}

func container(t *testing.T, res *plan.Result, name string) containerDef {
	t.Helper()
	var defs []containerDef
	td := plantest.One(t, res, "aws:ecs/taskDefinition:TaskDefinition", name)
	if err := json.Unmarshal([]byte(td.InputString("containerDefinitions")), &defs); err != nil || len(defs) != 1 {
		t.Fatalf("%s: %v", name, err)
	}
	return defs[0]
}

// TestSettings: each program gets only settings it reads, the tables from
// the data stores, the public endpoint (the distribution), and the crypto
// key from one secret, never as a plain value.
func TestSettings(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		host := plantest.One(t, res, "aws:cloudfront/distribution:Distribution", "frontend").Outputs["domainName"].StringValue()
		secretArn := plantest.One(t, res, "aws:secretsmanager/secret:Secret", "push-crypto-key").Outputs["arn"].StringValue()
		tables := `{"message_table":"pushplatform-` + stack + `-message","router_table":"pushplatform-` + stack + `-router"}`
		for _, c := range []struct {
			name, prefix, keyVar string
			known                []string
			want                 map[string]string
		}{
			{"push-autoconnect", pushtier.AutoconnectPrefix, "CRYPTO_KEY", autoconnectSettings, map[string]string{
				"PORT": "8080", "ROUTER_PORT": "8081", "ENDPOINT_SCHEME": "https", "ENDPOINT_HOSTNAME": host, "ENDPOINT_PORT": "443",
				"DB_DSN": "https://dynamodb.eu-central-1.amazonaws.com", "DB_SETTINGS": tables, "HUMAN_LOGS": "false"}},
			// With log records on (both committed stacks), autoendpoint
			// listens on loopback behind the push gateway.
			{"push-autoendpoint", pushtier.AutoendpointPrefix, "CRYPTO_KEYS", autoendpointSettings, map[string]string{
				"HOST": "127.0.0.1", "PORT": "8000", "ENDPOINT_URL": "https://" + host,
				"DB_DSN": "https://dynamodb.eu-central-1.amazonaws.com", "DB_SETTINGS": tables, "HUMAN_LOGS": "false"}},
		} {
			ct := plantest.TaskContainer(t, res, c.name)
			for k, v := range ct.Environment {
				// pushentry's own settings: the gateway's port and stream.
				if k == "AWS_REGION" || c.name == "push-autoendpoint" && (k == "GATEWAY_PORT" || k == "FIREHOSE_STREAM") {
					continue
				}
				setting, ok := strings.CutPrefix(k, c.prefix)
				if !ok || !slices.Contains(c.known, setting) {
					t.Errorf("%s %s: %s is not a setting of 1.71.7", stack, c.name, k)
				}
				if strings.Contains(strings.ToUpper(k), "CRYPTO") || strings.Contains(v, "[") {
					t.Errorf("%s %s: %s carries key material as a plain value", stack, c.name, k)
				}
			}
			for k, v := range c.want {
				if ct.Environment[c.prefix+k] != v {
					t.Errorf("%s %s: %s%s = %q, want %q", stack, c.name, c.prefix, k, ct.Environment[c.prefix+k], v)
				}
			}
			if ct.Environment["AWS_REGION"] != "eu-central-1" {
				t.Errorf("%s %s: AWS_REGION %q", stack, c.name, ct.Environment["AWS_REGION"])
			}
			if got := ct.Secrets[c.prefix+c.keyVar]; got != secretArn+":keys::" || len(ct.Secrets) != 1 {
				t.Errorf("%s %s: secrets %v, want only %s%s from %s:keys::", stack, c.name, ct.Secrets, c.prefix, c.keyVar, secretArn)
			}
		}
		// The router hostname is the task's own IP, which the entrypoint
		// (cmd/pushentry) reads from the task metadata at start: never a
		// fixed value here, and the command selects the program.
		ac := plantest.TaskContainer(t, res, "push-autoconnect")
		if _, ok := ac.Environment[pushtier.AutoconnectPrefix+"ROUTER_HOSTNAME"]; ok {
			t.Errorf("%s: a fixed router hostname would be the same for every task", stack)
		}
		if cmd := container(t, res, "push-autoconnect").Command; !slices.Equal(cmd, []string{"autoconnect"}) {
			t.Errorf("%s: autoconnect command %v", stack, cmd)
		}
		if cmd := container(t, res, "push-autoendpoint").Command; !slices.Equal(cmd, []string{"autoendpoint"}) {
			t.Errorf("%s: autoendpoint command %v", stack, cmd)
		}
	}
}

// TestNetworkPaths: the NLB in every public subnet with its own group;
// autoconnect admits only that group on 8080; the router port admits
// exactly the two service groups; autoendpoint admits only the ALB.
func TestNetworkPaths(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		nlb := plantest.One(t, res, "aws:lb/loadBalancer:LoadBalancer", "push-nlb")
		sg := plantest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", "push-nlb")
		azs := map[string]int{"dev": 2, "prod": 3}[stack]
		subnets := plantest.Strings(nlb.Input("subnets"))
		if nlb.InputString("loadBalancerType") != "network" || nlb.Input("internal") != false || nlb.Input("enableCrossZoneLoadBalancing") != true ||
			len(subnets) != azs || !plantest.AllPrefixed(subnets, "subnet-public-") || !slices.Equal(plantest.Strings(nlb.Input("securityGroups")), []string{sg.ID}) {
			t.Errorf("%s NLB = %v", stack, nlb.PlainInputs())
		}
		in := map[string][]string{}
		for _, r := range res.SecurityMatrix() {
			if r.Direction == "ingress" && strings.HasPrefix(r.Group, "push-") {
				in[r.Group] = append(in[r.Group], r.Peer+":"+r.Ports)
			}
		}
		for group, want := range map[string][]string{
			"push-autoconnect":  {"push-autoconnect:8081", "push-autoendpoint:8081", "push-nlb:8080"},
			"push-autoendpoint": {"network-alb:8090"}, // the push gateway
			"push-nlb":          {"0.0.0.0/0:80"},
		} {
			slices.Sort(in[group])
			if !slices.Equal(in[group], want) {
				t.Errorf("%s: %s admits %v, want %v", stack, group, in[group], want)
			}
		}
		listener := plantest.One(t, res, "aws:lb/listener:Listener", "push-autoconnect-nlb")
		tg := plantest.One(t, res, "aws:lb/targetGroup:TargetGroup", "push-autoconnect-nlb")
		hc := tg.Input("healthCheck").(map[string]any)
		if listener.InputString("protocol") != "TCP" || listener.Input("port") != float64(80) || listener.Input("tcpIdleTimeoutSeconds") != float64(600) {
			t.Errorf("%s listener %v", stack, listener.PlainInputs())
		}
		if tg.Input("port") != float64(8080) || tg.InputString("targetType") != "ip" || tg.Input("deregistrationDelay") != float64(300) || hc["path"] != "/__lbheartbeat__" {
			t.Errorf("%s target group %v", stack, tg.PlainInputs())
		}
		c := container(t, res, "push-autoconnect")
		if c.StopTimeout != 120 || len(c.Ulimits) != 1 || c.Ulimits[0].Name != "nofile" || c.Ulimits[0].SoftLimit != 1048576 || c.User != "65532:65532" {
			t.Errorf("%s autoconnect container %+v", stack, c)
		}
		rule := plantest.One(t, res, "aws:lb/listenerRule:ListenerRule", "push-autoendpoint")
		if got := plantest.JSON(rule.Input("conditions")); got != `[{"pathPattern":{"values":["/wpush/*","/m/*","/v1/*"]}}]` {
			t.Errorf("%s autoendpoint rule %s", stack, got)
		}
		aeTG := plantest.One(t, res, "aws:lb/targetGroup:TargetGroup", "push-autoendpoint")
		if aeTG.Input("port") != float64(8090) || aeTG.Input("healthCheck").(map[string]any)["path"] != "/__lbheartbeat__" {
			t.Errorf("%s autoendpoint target group %v", stack, aeTG.PlainInputs())
		}
	}
}

// TestTLSListener: with a certificate, the NLB terminates TLS on 443.
func TestTLSListener(t *testing.T) {
	cert := "arn:aws:acm:eu-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:push"] = `{"certificateArn":"` + cert + `"}`
	})
	if err != nil {
		t.Fatal(err)
	}
	l := plantest.One(t, res, "aws:lb/listener:Listener", "push-autoconnect-nlb")
	if l.InputString("protocol") != "TLS" || l.Input("port") != float64(443) || l.InputString("certificateArn") != cert ||
		l.InputString("sslPolicy") != "ELBSecurityPolicy-TLS13-1-2-2021-06" || l.Input("tcpIdleTimeoutSeconds") != nil {
		t.Errorf("TLS listener %v", l.PlainInputs())
	}
	if !strings.HasPrefix(res.Outputs["pushUrl"].(string), "wss://") {
		t.Errorf("pushUrl %v", res.Outputs["pushUrl"])
	}
	// Access logs go to the logs bucket under nlb/ (an NLB logs its TLS
	// listeners), created after the bucket policy that lets them.
	nlb := plantest.One(t, res, "aws:lb/loadBalancer:LoadBalancer", "push-nlb")
	logs := plantest.One(t, res, "aws:s3/bucketV2:BucketV2", "datastores-logs")
	if got := nlb.Input("accessLogs"); plantest.JSON(got) != `{"bucket":"`+logs.Outputs["bucket"].StringValue()+`","enabled":true,"prefix":"nlb"}` {
		t.Errorf("NLB access logs %v", got)
	}
	policy := plantest.One(t, res, "aws:s3/bucketPolicy:BucketPolicy", "datastores-logs")
	if !slices.Contains(nlb.Dependencies, policy.URN) {
		t.Errorf("the NLB does not wait for the logs bucket policy: %v", nlb.Dependencies)
	}
	// Logging is on without a certificate too, so it needs no change
	// when TLS arrives.
	for _, stack := range plantest.Stacks {
		if got := plantest.One(t, plantest.Run(t, stack), "aws:lb/loadBalancer:LoadBalancer", "push-nlb").Input("accessLogs").(map[string]any); got["enabled"] != true || got["prefix"] != "nlb" {
			t.Errorf("%s: NLB access logs %v", stack, got)
		}
	}
}

// TestGrants: exactly the DynamoDB actions autopush calls on exactly the
// two tables, and ListTables (no resource-level form) for autoconnect.
func TestGrants(t *testing.T) {
	res := plantest.Run(t, "prod")
	router := plantest.One(t, res, "aws:dynamodb/table:Table", "datastores-router").Outputs["arn"].StringValue()
	message := plantest.One(t, res, "aws:dynamodb/table:Table", "datastores-message").Outputs["arn"].StringValue()
	rw := []string{"dynamodb:BatchWriteItem", "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"}
	for _, name := range []string{"push-autoconnect", "push-autoendpoint"} {
		doc := plantest.Policy(t, plantest.One(t, res, "aws:iam/rolePolicy:RolePolicy", name+"-task"), "policy")
		var tables []string
		var listTables bool
		for _, st := range doc.Statement {
			actions := slices.Sorted(slices.Values(st.Action))
			switch {
			case slices.Equal(actions, rw) && len(st.Resource) == 1:
				tables = append(tables, st.Resource[0])
			case slices.Equal(st.Action, []string{"dynamodb:ListTables"}) && slices.Equal(st.Resource, []string{"*"}) && name == "push-autoconnect":
				listTables = true
			case name == "push-autoendpoint" && slices.Equal(st.Action, []string{"firehose:PutRecord", "firehose:PutRecordBatch"}) &&
				slices.Equal(st.Resource, []string{plantest.One(t, res, "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream", "logs").Outputs["arn"].StringValue()}):
				// the push gateway puts records on its one stream
			default:
				t.Errorf("%s: unexpected statement %+v", name, st)
			}
		}
		slices.Sort(tables)
		want := []string{message, router}
		slices.Sort(want)
		if !slices.Equal(tables, want) || listTables != (name == "push-autoconnect") {
			t.Errorf("%s: tables %v list %v", name, tables, listTables)
		}
	}
}

// TestCryptoKey: generated as 32 random bytes and protected in prod; a
// configured key must be a Fernet key.
func TestCryptoKey(t *testing.T) {
	res := plantest.Run(t, "prod")
	b := plantest.One(t, res, "random:index/randomBytes:RandomBytes", "push-crypto-key")
	if b.Input("length") != float64(32) || !b.Protect {
		t.Errorf("crypto key bytes %v protect %v", b.PlainInputs(), b.Protect)
	}
	for _, bad := range []string{"short", "not-a-fernet-key-but-44-characters-long-xxxx", "YWJj"} {
		_, err := plantest.RunWith(t, "dev", func(v map[string]string) { v["pushplatform:pushCryptoKey"] = bad })
		var errs config.Errors
		if !errors.As(err, &errs) || errs[0].Key != "pushCryptoKey" || strings.Contains(err.Error(), bad) {
			t.Errorf("key %q: %v; want an error on pushCryptoKey that does not echo the key", bad, err)
		}
	}
	good := "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="
	res, err := plantest.RunWith(t, "dev", func(v map[string]string) { v["pushplatform:pushCryptoKey"] = good })
	if err != nil {
		t.Fatal(err)
	}
	if len(res.OfType("random:index/randomBytes:RandomBytes")) != 0 {
		t.Error("a configured key must not be generated too")
	}
	for _, r := range res.Resources {
		if strings.Contains(plantest.JSON(r.PlainInputs()), good) && r.Type != "aws:secretsmanager/secretVersion:SecretVersion" {
			t.Errorf("the key appears in %s %s", r.Type, r.Name)
		}
		if v, ok := r.Inputs["secretString"]; ok && strings.Contains(plantest.JSON(r.PlainInputs()), good) && !v.IsSecret() {
			t.Errorf("%s stores the key without marking it secret", r.Name)
		}
	}
}

// TestCapacityConfig: the expected connections size autoconnect, and a
// target the maximum cannot hold is a clear error.
func TestCapacityConfig(t *testing.T) {
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:push"] = `{"expectedConnections":200000}`
	})
	if err != nil {
		t.Fatal(err)
	}
	target := plantest.One(t, res, "aws:appautoscaling/target:Target", "push-autoconnect")
	if target.Input("minCapacity") != float64(8) { // 200,000 / 25,000 per 1 vCPU / 2 GiB task
		t.Errorf("autoconnect min capacity %v, want 8", target.Input("minCapacity"))
	}
	_, err = plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:push"] = `{"expectedConnections":10000000}`
	})
	var errs config.Errors
	if !errors.As(err, &errs) || errs[0].Key != "push.expectedConnections" || !strings.Contains(err.Error(), "needs 400 autoconnect tasks") || !strings.Contains(err.Error(), "maxCount 50") {
		t.Errorf("10 M connections with maxCount 50: %v", err)
	}
}

// TestCapacityTable: the plan prices 100 k to 10 M connections; at 10 M
// the TCP pass-through NLB costs at least 20 times less than an ALB, and
// an NLB terminating TLS (3,000 active connections per NLCU) nearly as
// much as the ALB.
func TestCapacityTable(t *testing.T) {
	res := plantest.Run(t, "prod")
	c := res.PushCapacity(25000)
	if c == nil || len(c.Rows) != 3 {
		t.Fatalf("capacity %+v", c)
	}
	last := c.Rows[2]
	if last.Connections != 10_000_000 || last.Tasks != 400 || last.ALBUSD/last.NLBTCPUSD < 20 || last.NLBTLSUSD < 0.7*last.ALBUSD {
		t.Errorf("10 M row %+v", last)
	}
	if c.TaskSize != "1 vCPU, 2048 MiB, ARM64" || c.TaskMonthlyUSD != 33.16 {
		t.Errorf("task %s $%v", c.TaskSize, c.TaskMonthlyUSD)
	}
}

// TestTLSInTheTask: with tlsTermination task, the NLB passes TCP through
// on 443 to the task's proxy port, checks health over HTTPS, and the
// certificate and key reach the task only as secrets.
func TestTLSInTheTask(t *testing.T) {
	secretArn := "arn:aws:secretsmanager:eu-central-1:123456789012:secret:push/tls-AbCdEf"
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:push"] = `{"tlsTermination":"task","tlsSecretArn":"` + secretArn + `"}`
	})
	if err != nil {
		t.Fatal(err)
	}
	l := plantest.One(t, res, "aws:lb/listener:Listener", "push-autoconnect-nlb")
	tg := plantest.One(t, res, "aws:lb/targetGroup:TargetGroup", "push-autoconnect-nlb")
	if l.InputString("protocol") != "TCP" || l.Input("port") != float64(443) || tg.Input("port") != float64(8443) ||
		tg.Input("healthCheck").(map[string]any)["protocol"] != "HTTPS" {
		t.Errorf("listener %v target group %v", l.PlainInputs(), tg.PlainInputs())
	}
	ct := plantest.TaskContainer(t, res, "push-autoconnect")
	if ct.Environment["PUSH_TLS_PORT"] != "8443" || ct.Secrets["PUSH_TLS_CERT"] != secretArn+":cert::" || ct.Secrets["PUSH_TLS_KEY"] != secretArn+":key::" {
		t.Errorf("autoconnect container %+v", ct)
	}
	var in []string
	for _, r := range res.SecurityMatrix() {
		if r.Group == "push-autoconnect" && r.Direction == "ingress" && r.Peer == "push-nlb" {
			in = append(in, r.Ports)
		}
	}
	if !slices.Equal(in, []string{"8443"}) {
		t.Errorf("the NLB reaches autoconnect on %v, want only the proxy's 8443", in)
	}
	if !strings.HasPrefix(res.Outputs["pushUrl"].(string), "wss://") || !strings.HasSuffix(res.Outputs["pushUrl"].(string), ":443") {
		t.Errorf("pushUrl %v", res.Outputs["pushUrl"])
	}
	// The proxy's memory per connection lowers what a task holds.
	if got := config.DefaultConnectionsPerTask(1024, 2048, true); got >= config.DefaultConnectionsPerTask(1024, 2048, false) {
		t.Errorf("connections per task with the proxy %d", got)
	}
	for _, bad := range []string{`{"tlsTermination":"task"}`, `{"tlsTermination":"task","tlsSecretArn":"` + secretArn + `","certificateArn":"arn:aws:acm:eu-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}`, `{"tlsTermination":"edge"}`} {
		if _, err := plantest.RunWith(t, "prod", func(v map[string]string) { v["pushplatform:push"] = bad }); err == nil {
			t.Errorf("%s: want a config error", bad)
		}
	}
}
