package logprocessing_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tStream = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
	tFn     = "aws:lambda/function:Function"
	tPolicy = "aws:iam/rolePolicy:RolePolicy"
)

func arn(t *testing.T, res *plan.Result, typ, name string) string {
	t.Helper()
	return plantest.One(t, res, typ, name).Outputs["arn"].StringValue()
}

// TestDeliveryStream: gzip objects in the pushmessages bucket under a
// date prefix, an error prefix, the configured buffering, encryption, and
// a role that may write only that bucket and its own error log.
func TestDeliveryStream(t *testing.T) {
	for stack, buffer := range map[string]float64{"dev": 60, "prod": 300} {
		res := plantest.Run(t, stack)
		s := plantest.One(t, res, tStream, "logs")
		cfg := s.Input("extendedS3Configuration").(map[string]any)
		bucket := arn(t, res, "aws:s3/bucketV2:BucketV2", "datastores-pushmessages")
		role := arn(t, res, "aws:iam/role:Role", "logs-firehose")
		if s.InputString("destination") != "extended_s3" || cfg["bucketArn"] != bucket || cfg["roleArn"] != role ||
			cfg["compressionFormat"] != "GZIP" || !strings.HasPrefix(cfg["prefix"].(string), "records/!{timestamp:yyyy}/") ||
			!strings.HasPrefix(cfg["errorOutputPrefix"].(string), "errors/!{firehose:error-output-type}/") ||
			cfg["bufferingInterval"] != buffer || cfg["bufferingSize"] != float64(5) {
			t.Errorf("%s stream %v", stack, s.PlainInputs())
		}
		if sse := s.Input("serverSideEncryption").(map[string]any); sse["enabled"] != true {
			t.Errorf("%s stream not encrypted: %v", stack, sse)
		}
		doc := plantest.Policy(t, plantest.One(t, res, tPolicy, "logs-firehose"), "policy")
		for _, st := range doc.Statement {
			for _, r := range st.Resource {
				if !strings.HasPrefix(r, bucket) && !strings.Contains(r, ":log-group:") {
					t.Errorf("%s: the Firehose role reaches %s", stack, r)
				}
			}
		}
		trust := plantest.Policy(t, plantest.One(t, res, "aws:iam/role:Role", "logs-firehose"), "assumeRolePolicy").Statement[0]
		if !slices.Equal(trust.Principal["Service"], []string{"firehose.amazonaws.com"}) || len(trust.Condition["StringEquals"]["sts:ExternalId"]) != 1 {
			t.Errorf("%s: Firehose trust %+v", stack, trust)
		}
		// Only the push gateway's task role may put records, on this stream.
		streamArn := s.Outputs["arn"].StringValue()
		for _, p := range res.OfType(tPolicy) {
			if strings.Contains(p.InputString("policy"), "firehose:Put") && p.Name != "push-autoendpoint-task" {
				t.Errorf("%s: %s may put records", stack, p.Name)
			}
		}
		gw := plantest.Policy(t, plantest.One(t, res, tPolicy, "push-autoendpoint-task"), "policy")
		if !slices.ContainsFunc(gw.Statement, func(st plan.PolicyStatement) bool {
			return slices.Equal(st.Resource, []string{streamArn}) && slices.Contains(st.Action, "firehose:PutRecordBatch")
		}) {
			t.Errorf("%s: the gateway may not put records on the stream", stack)
		}
		ct := plantest.TaskContainer(t, res, "push-autoendpoint")
		if ct.Environment["FIREHOSE_STREAM"] != s.Outputs["name"].StringValue() || ct.Environment["GATEWAY_PORT"] != "8090" {
			t.Errorf("%s: gateway settings %v", stack, ct.Environment)
		}
	}
}

// TestProcessor: in the private subnets with its own group (let into the
// cache), a failure queue, the S3 trigger on records/ with a permission
// for this bucket and account, and exact grants.
func TestProcessor(t *testing.T) {
	for stack, azs := range map[string]int{"dev": 2, "prod": 3} {
		res := plantest.Run(t, stack)
		fn := plantest.One(t, res, tFn, "logs-processor")
		vpc := fn.Input("vpcConfig").(map[string]any)
		sg := plantest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", "logs-processor")
		subnets := plantest.Strings(vpc["subnetIds"])
		if len(subnets) != azs || !plantest.AllPrefixed(subnets, "subnet-private-") || !slices.Equal(plantest.Strings(vpc["securityGroupIds"]), []string{sg.ID}) ||
			fn.InputString("runtime") != "provided.al2023" || !slices.Equal(plantest.Strings(fn.Input("architectures")), []string{"arm64"}) || fn.Input("reservedConcurrentExecutions") == nil {
			t.Errorf("%s processor %v", stack, fn.PlainInputs())
		}
		cfg := plantest.One(t, res, "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig", "logs-processor")
		queue := arn(t, res, "aws:sqs/queue:Queue", "logs-processor-failures")
		if dest := cfg.Input("destinationConfig").(map[string]any)["onFailure"].(map[string]any)["destination"]; dest != queue {
			t.Errorf("%s failure destination %v, want %s", stack, dest, queue)
		}
		bucket := plantest.One(t, res, "aws:s3/bucketV2:BucketV2", "datastores-pushmessages")
		perm := plantest.One(t, res, "aws:lambda/permission:Permission", "logs-processor-s3")
		if perm.InputString("principal") != "s3.amazonaws.com" || perm.InputString("sourceArn") != bucket.Outputs["arn"].StringValue() || perm.InputString("sourceAccount") != plan.FakeAccount {
			t.Errorf("%s permission %v", stack, perm.PlainInputs())
		}
		n := plantest.One(t, res, "aws:s3/bucketNotification:BucketNotification", "logs-records")
		fns := n.Input("lambdaFunctions").([]any)
		lf := fns[0].(map[string]any)
		if len(fns) != 1 || lf["lambdaFunctionArn"] != fn.Outputs["arn"].StringValue() || lf["filterPrefix"] != "records/" ||
			!slices.Equal(plantest.Strings(lf["events"]), []string{"s3:ObjectCreated:*"}) || !slices.Contains(n.Dependencies, perm.URN) ||
			n.InputString("bucket") != bucket.Outputs["bucket"].StringValue() {
			t.Errorf("%s notification %v", stack, n.PlainInputs())
		}
		table := arn(t, res, "aws:dynamodb/table:Table", "datastores-push-messages")
		doc := plantest.Policy(t, plantest.One(t, res, tPolicy, "logs-processor"), "policy")
		want := map[string][]string{
			"ReadRecords":    {bucket.Outputs["arn"].StringValue() + "/records/*"},
			"WriteHistory":   {table},
			"ReportFailures": {queue},
		}
		for _, st := range doc.Statement {
			if w, ok := want[st.Sid]; ok && !slices.Equal(st.Resource, w) {
				t.Errorf("%s processor %s on %v, want %v", stack, st.Sid, st.Resource, w)
			}
			delete(want, st.Sid)
			for _, r := range st.Resource {
				if r == "*" {
					t.Errorf("%s processor statement %s on *", stack, st.Sid)
				}
			}
		}
		if len(want) != 0 {
			t.Errorf("%s processor lacks %v", stack, want)
		}
		var cacheIn bool
		for _, r := range res.SecurityMatrix() {
			if r.Group == "datastores-cache" && r.Peer == "logs-processor" && r.Direction == "ingress" {
				cacheIn = true
			}
		}
		if !cacheIn {
			t.Errorf("%s: the cache does not admit the processor", stack)
		}
	}
}

// TestProcessingOff: logs.processing false removes exactly the processor
// and the API (with what only they use); Firehose still delivers.
func TestProcessingOff(t *testing.T) {
	on := plantest.Run(t, "prod")
	off, err := plantest.RunWith(t, "prod", func(v map[string]string) { v["pushplatform:logs"] = `{"processing":false}` })
	if err != nil {
		t.Fatal(err)
	}
	names := func(res *plan.Result) map[string]bool {
		m := map[string]bool{}
		for _, r := range res.Resources {
			m[r.Type+" "+r.Name] = true
		}
		return m
	}
	a, b := names(on), names(off)
	for k := range b {
		if !a[k] {
			t.Errorf("processing off adds %s", k)
		}
	}
	for k := range a {
		if b[k] {
			continue
		}
		gone := strings.Contains(k, "logs-processor") || strings.Contains(k, "logs-api") || strings.Contains(k, "logs-records") ||
			strings.Contains(k, "logs-pushmessages") || strings.Contains(k, "-from-logs-") || strings.Contains(k, "-to-logs-") ||
			// and the alarms watching the processor and the API
			strings.Contains(k, " observability-processor-") || strings.Contains(k, " observability-pushmessages-")
		if !gone {
			t.Errorf("processing off also removes %s", k)
		}
	}
	if len(off.OfType(tStream)) != 1 || len(off.OfType(tFn)) != 1 { // the stream stays; only the migration remains a function
		t.Errorf("processing off: %d streams, %d functions", len(off.OfType(tStream)), len(off.OfType(tFn)))
	}
	allOff, err := plantest.RunWith(t, "prod", func(v map[string]string) { v["pushplatform:logs"] = `{"enabled":false,"processing":false}` })
	if err != nil {
		t.Fatal(err)
	}
	if len(allOff.OfType(tStream)) != 0 || plantest.TaskContainer(t, allOff, "push-autoendpoint").Environment["AUTOEND__HOST"] != "0.0.0.0" {
		t.Error("logs off: no stream, and autoendpoint faces the ALB itself")
	}
}
