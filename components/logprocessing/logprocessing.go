// Package logprocessing carries push-message records from the push
// gateway (in the autoendpoint task) to what the Push Messages API reads:
// a Firehose delivery stream writes them, gzip, to the pushmessages
// bucket under records/; S3 tells the push-processor function (in the
// private subnets, next to the cache) of each object; it writes Valkey and
// the push-messages table; the API serves them behind CloudFront and the
// ALB. logs.enabled keeps the stream; logs.processing adds the processor
// and the API.
package logprocessing

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kinesis"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/function"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/service"
	"github.com/pushplatform/pushplatform/config"
)

// Prefixes in the pushmessages bucket. Firehose's !{timestamp:...}
// namespaces (Firehose developer guide, "Custom prefixes") give a date
// path; failed deliveries go under errors/ with their error type.
const (
	RecordsPrefix = "records/"
	recordsPath   = RecordsPrefix + "!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/"
	errorsPath    = "errors/!{firehose:error-output-type}/!{timestamp:yyyy}/!{timestamp:MM}/!{timestamp:dd}/"
)

// LogProcessing is the stream, and with processing the processor and API.
type LogProcessing struct {
	pulumi.ResourceState

	// StreamName and StreamArn are the delivery stream the gateway puts to.
	StreamName pulumi.StringOutput
	StreamArn  pulumi.StringOutput
	// Processor and API are nil without logs.processing.
	Processor *function.Function
	API       *service.Service
	// FailureQueueName is the processor's failure queue (events Lambda
	// gave up on); empty without logs.processing.
	FailureQueueName pulumi.StringOutput
	// APIPaths are the Push Messages API's routes (CloudFront behaviours).
	APIPaths []string
}

// Args wires log processing to the platform.
type Args struct {
	Config    config.Logs
	API       config.Service
	Artifacts config.Artifacts
	Protect   bool
	Cluster   *cluster.Cluster
	Stores    *datastores.DataStores
}

// APIPaths are the Push Messages API's routes on the ALB (upstream's
// paths: /keys, /keys/{key}, /messages/{key}).
var APIPaths = []string{"/keys", "/keys/*", "/messages/*"}

// New creates the delivery stream and, with processing, the processor and
// the API.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*LogProcessing, error) {
	l := &LogProcessing{}
	if err := ctx.RegisterComponentResource("pushplatform:logprocessing:LogProcessing", name, l, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(l)
	if err := l.newStream(ctx, name, args, child); err != nil {
		return nil, err
	}
	if args.Config.Processing {
		if err := l.newProcessor(ctx, name, args, child); err != nil {
			return nil, err
		}
		if err := l.newAPI(ctx, name, args, child); err != nil {
			return nil, err
		}
		l.APIPaths = APIPaths
	}
	if err := ctx.RegisterResourceOutputs(l, pulumi.Map{"stream": l.StreamName}); err != nil {
		return nil, err
	}
	return l, nil
}

// newStream is the Firehose delivery stream (Direct PUT) into the
// pushmessages bucket, with a role that may write only there and to its
// own error log.
func (l *LogProcessing) newStream(ctx *pulumi.Context, name string, args *Args, opts pulumi.ResourceOption) error {
	bucket, net := args.Stores.Buckets.PushMessages, args.Cluster.Network
	logs, err := cloudwatch.NewLogGroup(ctx, name+"-firehose", &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.String(fmt.Sprintf("/pushplatform/%s/firehose-", ctx.Stack())),
		RetentionInDays: pulumi.Int(args.Cluster.LogRetentionDays),
		Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-firehose")},
	}, opts)
	if err != nil {
		return fmt.Errorf("firehose log group: %w", err)
	}
	logStream, err := cloudwatch.NewLogStream(ctx, name+"-firehose", &cloudwatch.LogStreamArgs{
		LogGroupName: logs.Name, Name: pulumi.String("S3Delivery"),
	}, opts)
	if err != nil {
		return fmt.Errorf("firehose log stream: %w", err)
	}
	// Firehose's trust as AWS documents it (CloudWatch Logs user guide,
	// "Create a Firehose delivery stream"): the service, for this account
	// (sts:ExternalId).
	role, err := iam.NewRole(ctx, name+"-firehose", &iam.RoleArgs{
		Description: pulumi.String("Firehose delivery of push-message records to S3"),
		AssumeRolePolicy: policy.Document(ctx, l, policy.AssumeRoleBy("firehose.amazonaws.com",
			policy.Condition{Test: "StringEquals", Variable: "sts:ExternalId", Values: pulumi.StringArray{net.AccountID}})),
		Tags: pulumi.StringMap{"Name": pulumi.String(name + "-firehose")},
	}, opts)
	if err != nil {
		return fmt.Errorf("firehose role: %w", err)
	}
	grants, err := iam.NewRolePolicy(ctx, name+"-firehose", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: policy.Document(ctx, l,
			// The S3 actions the Firehose guide lists for an S3 destination.
			policy.Statement{Sid: "WriteRecords", Actions: []string{"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject",
				"s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"},
				Resources: pulumi.StringArray{bucket.Arn, pulumi.Sprintf("%s/*", bucket.Arn)}},
			policy.Statement{Sid: "LogDeliveryErrors", Actions: []string{"logs:PutLogEvents"},
				Resources: pulumi.StringArray{pulumi.Sprintf("%s:log-stream:S3Delivery", logs.Arn)}},
		),
	}, opts)
	if err != nil {
		return fmt.Errorf("firehose grants: %w", err)
	}
	stream, err := kinesis.NewFirehoseDeliveryStream(ctx, name, &kinesis.FirehoseDeliveryStreamArgs{
		Destination: pulumi.String("extended_s3"),
		// Encrypted at rest with an AWS-owned key; the bucket encrypts
		// the objects (SSE-S3) as well.
		ServerSideEncryption: &kinesis.FirehoseDeliveryStreamServerSideEncryptionArgs{Enabled: pulumi.Bool(true), KeyType: pulumi.String("AWS_OWNED_CMK")},
		ExtendedS3Configuration: &kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationArgs{
			RoleArn:           role.Arn,
			BucketArn:         bucket.Arn,
			Prefix:            pulumi.String(recordsPath),
			ErrorOutputPrefix: pulumi.String(errorsPath),
			BufferingSize:     pulumi.Int(args.Config.BufferMiB),
			BufferingInterval: pulumi.Int(args.Config.BufferSeconds),
			CompressionFormat: pulumi.String("GZIP"),
			CloudwatchLoggingOptions: &kinesis.FirehoseDeliveryStreamExtendedS3ConfigurationCloudwatchLoggingOptionsArgs{
				Enabled: pulumi.Bool(true), LogGroupName: logs.Name, LogStreamName: logStream.Name,
			},
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts, pulumi.DependsOn([]pulumi.Resource{grants}))
	if err != nil {
		return fmt.Errorf("delivery stream: %w", err)
	}
	l.StreamName, l.StreamArn = stream.Name, stream.Arn
	return nil
}

// PutRecords is what the push gateway's task may do: put records on this
// one stream.
func (l *LogProcessing) PutRecords() policy.Statement {
	return policy.Statement{Sid: "PutPushRecords", Actions: []string{"firehose:PutRecord", "firehose:PutRecordBatch"}, Resources: pulumi.StringArray{l.StreamArn}}
}
