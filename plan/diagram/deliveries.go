package diagram

import (
	"fmt"
	"strings"
)

// deliveries links what is wired to deliver data: a Firehose stream to
// its bucket, a bucket's notifications to their functions and queues, and
// a function's asynchronous invocation destinations.
func (b *builder) deliveries() {
	for _, s := range b.ofType("aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream") {
		for _, key := range []string{"extendedS3Configuration", "s3Configuration"} {
			cfg := mapOf(s.Input(key))
			if cfg == nil {
				continue
			}
			if bucket := b.byARN("aws:s3/bucketV2:BucketV2", str(cfg["bucketArn"])); bucket != nil {
				b.link(b.nodeOf[s], b.nodeOf[bucket], EdgeData, objectsLabel(str(cfg["prefix"]), str(cfg["compressionFormat"])), "delivery stream "+s.Name+" "+key)
			}
		}
	}
	for _, n := range b.ofType("aws:s3/bucketNotification:BucketNotification") {
		bucket := b.bucket(n.InputString("bucket"))
		if bucket == nil {
			continue
		}
		for _, t := range []struct{ list, arn string }{{"lambdaFunctions", "lambdaFunctionArn"}, {"queues", "queueArn"}, {"topics", "topicArn"}} {
			for _, e := range listOf(n.Input(t.list)) {
				em := mapOf(e)
				if target := b.byARN("", str(em[t.arn])); target != nil {
					label := strings.Join(strs(em["events"]), ", ")
					if p := str(em["filterPrefix"]); p != "" {
						label += " under " + p
					}
					b.link(b.nodeOf[bucket], b.nodeOf[target], EdgeData, label, "bucket notification "+n.Name)
				}
			}
		}
	}
	for _, c := range b.ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig") {
		fns := b.byOutput("aws:lambda/function:Function", "name", c.InputString("functionName"))
		if len(fns) == 0 {
			continue
		}
		dest := mapOf(c.Input("destinationConfig"))
		for _, on := range []struct{ key, label string }{{"onFailure", "failed events"}, {"onSuccess", "successful events"}} {
			if target := b.byARN("", str(mapOf(dest[on.key])["destination"])); target != nil {
				label := on.label
				if n, ok := c.Input("maximumRetryAttempts").(float64); ok && on.key == "onFailure" {
					label = fmt.Sprintf("%s after %d retries", label, int(n))
				}
				b.link(b.nodeOf[fns[0]], b.nodeOf[target], EdgeData, label, "event invoke config "+c.Name)
			}
		}
	}
	for _, fn := range b.ofType("aws:lambda/function:Function") {
		if target := b.byARN("", str(mapOf(fn.Input("deadLetterConfig"))["targetArn"])); target != nil {
			b.link(b.nodeOf[fn], b.nodeOf[target], EdgeData, "dead letters", "function "+fn.Name)
		}
	}
}

// objectsLabel shows where a stream writes: the prefix up to its first
// expression, and the compression.
func objectsLabel(prefix, compression string) string {
	if i := strings.Index(prefix, "!{"); i >= 0 {
		prefix = prefix[:i]
	}
	label := "objects under " + prefix
	if prefix == "" {
		label = "objects"
	}
	if compression != "" && compression != "UNCOMPRESSED" {
		label += ", " + compression
	}
	return label
}
