package plan

import (
	"encoding/json"
	"fmt"
	"strings"
)

// LogsView is log processing as the plan lists it, read from the
// recorded resources.
type LogsView struct {
	Lines []string `json:"lines"`
}

// Logs lists the delivery stream, the gateway that feeds it, the trigger,
// the processor and the API; nil when the run has no stream.
func (r *Result) Logs() *LogsView {
	streams := r.OfType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream")
	if len(streams) == 0 {
		return nil
	}
	v := &LogsView{}
	for _, s := range streams {
		cfg, _ := s.Input("extendedS3Configuration").(map[string]any)
		v.Lines = append(v.Lines, fmt.Sprintf("delivery stream %s -> %s under %v (errors under %v); %v compressed; buffer %v s / %v MiB; %s",
			s.Name, r.bucketPath(fmt.Sprint(cfg["bucketArn"])), cfg["prefix"], cfg["errorOutputPrefix"], cfg["compressionFormat"],
			cfg["bufferingInterval"], cfg["bufferingSize"], onOff(s.Input("serverSideEncryption").(map[string]any)["enabled"], "encrypted", "NOT encrypted")))
	}
	if td := r.Named("aws:ecs/taskDefinition:TaskDefinition", "push-autoendpoint"); td != nil {
		if c := containerEnv(td); c["FIREHOSE_STREAM"] != "" {
			v.Lines = append(v.Lines, fmt.Sprintf("push gateway in the push-autoendpoint task on %s, in front of autoendpoint on %s:%s; records every POST /wpush/*",
				c["GATEWAY_PORT"], c["AUTOEND__HOST"], c["AUTOEND__PORT"]))
		}
	}
	for _, n := range r.OfType("aws:s3/bucketNotification:BucketNotification") {
		fns, _ := n.Input("lambdaFunctions").([]any)
		for _, f := range fns {
			fm, _ := f.(map[string]any)
			v.Lines = append(v.Lines, fmt.Sprintf("bucket notification %s: %v under %v -> %s", n.Name, fm["events"], fm["filterPrefix"], r.functionName(fmt.Sprint(fm["lambdaFunctionArn"]))))
		}
	}
	for _, fn := range r.OfType("aws:lambda/function:Function") {
		if !strings.HasSuffix(fn.Name, "-processor") {
			continue
		}
		vpc, _ := fn.Input("vpcConfig").(map[string]any)
		subnets, _ := vpc["subnetIds"].([]any)
		private := "subnets"
		if r.inTier(vpc["subnetIds"], "privateSubnetIds") {
			private = "private subnets"
		}
		failure := "NO failure destination"
		for _, c := range r.OfType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig") {
			if c.InputString("functionName") == fn.Outputs["name"].StringValue() {
				dest, _ := c.Input("destinationConfig").(map[string]any)["onFailure"].(map[string]any)
				failure = fmt.Sprintf("%v retries, then failure queue %s", c.Input("maximumRetryAttempts"), r.queueName(fmt.Sprint(dest["destination"])))
			}
		}
		v.Lines = append(v.Lines, fmt.Sprintf("function %s: %s %v, %v MiB, %v s, reserved concurrency %v; %d %s (one per AZ); %s",
			fn.Name, fn.InputString("runtime"), fn.Input("architectures"), fn.Input("memorySize"), fn.Input("timeout"),
			fn.Input("reservedConcurrentExecutions"), len(subnets), private, failure))
	}
	return v
}

func (r *Result) functionName(arn string) string {
	for _, fn := range r.OfType("aws:lambda/function:Function") {
		if a, ok := fn.Outputs["arn"]; ok && a.IsString() && a.StringValue() == arn {
			return fn.Name
		}
	}
	return arn
}

func (r *Result) queueName(arn string) string {
	for _, q := range r.OfType("aws:sqs/queue:Queue") {
		if a, ok := q.Outputs["arn"]; ok && a.IsString() && a.StringValue() == arn {
			return q.Name
		}
	}
	return arn
}

// containerEnv reads the plain environment of a task definition's first
// container.
func containerEnv(td *Resource) map[string]string {
	var defs []struct {
		Environment []struct{ Name, Value string } `json:"environment"`
	}
	out := map[string]string{}
	if json.Unmarshal([]byte(td.InputString("containerDefinitions")), &defs) != nil || len(defs) == 0 {
		return out
	}
	for _, e := range defs[0].Environment {
		out[e.Name] = e.Value
	}
	return out
}
