package logprocessing

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/function"
	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// Lambda's asynchronous retries of a failed event before it goes to the
// failure queue (0-2), and how long an event may wait.
const (
	processorRetries     = 2
	processorMaxEventAge = 6 * 3600
)

// newProcessor is the push-processor: triggered by every object Firehose
// writes under records/, in the private subnets next to the cache, with a
// failure queue for events it could not process.
func (l *LogProcessing) newProcessor(ctx *pulumi.Context, name string, args *Args, opts pulumi.ResourceOption) error {
	stores, net, cfg := args.Stores, args.Cluster.Network, args.Config
	bucket, table, cache := stores.Buckets.PushMessages, stores.Tables.PushMessages, stores.Cache
	pkg, err := artifact.LambdaZip(ctx, "pushprocessor", args.Artifacts)
	if err != nil {
		return err
	}
	failures, err := sqs.NewQueue(ctx, name+"-processor-failures", &sqs.QueueArgs{
		MessageRetentionSeconds: pulumi.Int(14 * 24 * 3600), // SQS's maximum: two weeks to look at them
		SqsManagedSseEnabled:    pulumi.Bool(true),
		Tags:                    pulumi.StringMap{"Name": pulumi.String(name + "-processor-failures")},
	}, opts)
	if err != nil {
		return fmt.Errorf("failure queue: %w", err)
	}
	l.FailureQueueName = failures.Name
	fnArgs := function.Args{
		App: "pushprocessor", Description: "Push processor: push-message records to Valkey and the push-messages table",
		Package: pkg, Network: net, LogRetentionDays: args.Cluster.LogRetentionDays, Owner: l,
		MemoryMiB: cfg.ProcessorMemoryMiB, TimeoutSeconds: cfg.ProcessorTimeoutSeconds, ReservedConcurrency: cfg.ProcessorConcurrency,
		Statements: []policy.Statement{
			{Sid: "ReadRecords", Actions: []string{"s3:GetObject"}, Resources: pulumi.StringArray{pulumi.Sprintf("%s/%s*", bucket.Arn, RecordsPrefix)}},
			{Sid: "WriteHistory", Actions: []string{"dynamodb:BatchWriteItem"}, Resources: pulumi.StringArray{table.Arn}},
			{Sid: "ReportFailures", Actions: []string{"sqs:SendMessage"}, Resources: pulumi.StringArray{failures.Arn}},
			datastores.SecretRead(cache.AuthSecretArn),
		},
		Environment: pulumi.StringMap{
			"REDIS_HOST": cache.PrimaryAddress, "REDIS_PORT": pulumi.String(fmt.Sprint(cache.Port)), "REDIS_TLS": pulumi.String("true"),
			"REDIS_AUTH_SECRET_ARN": cache.AuthSecretArn, "PUSH_MESSAGES_TABLE": table.Name,
			"PUSH_MESSAGES_KEEP":           pulumi.String(fmt.Sprint(cfg.MessagesPerKey)),
			"PUSH_MESSAGES_RETENTION_DAYS": pulumi.String(fmt.Sprint(cfg.RetentionDays)),
		},
	}
	sg, err := function.NewSecurityGroup(ctx, name+"-processor", fnArgs, opts)
	if err != nil {
		return err
	}
	for _, allow := range []func() error{
		func() error { return stores.AllowCache(ctx, sg, "Push processor writes message lists") },
		func() error { return net.AllowImagePulls(ctx, sg, "Secrets Manager and S3 objects") },
		func() error {
			return net.AllowDynamoDB(ctx, sg, "DynamoDB through its gateway endpoint: push message history")
		},
	} {
		if err := allow(); err != nil {
			return err
		}
	}
	fn, err := function.New(ctx, name+"-processor", sg, fnArgs, opts)
	if err != nil {
		return err
	}
	l.Processor = fn
	if _, err := lambda.NewFunctionEventInvokeConfig(ctx, name+"-processor", &lambda.FunctionEventInvokeConfigArgs{
		FunctionName:             fn.Name,
		MaximumRetryAttempts:     pulumi.Int(processorRetries),
		MaximumEventAgeInSeconds: pulumi.Int(processorMaxEventAge),
		DestinationConfig: &lambda.FunctionEventInvokeConfigDestinationConfigArgs{
			OnFailure: &lambda.FunctionEventInvokeConfigDestinationConfigOnFailureArgs{Destination: failures.Arn},
		},
	}, opts); err != nil {
		return fmt.Errorf("processor failure destination: %w", err)
	}
	// S3 may invoke it for this bucket of this account only.
	perm, err := lambda.NewPermission(ctx, name+"-processor-s3", &lambda.PermissionArgs{
		Action: pulumi.String("lambda:InvokeFunction"), Function: fn.Name, Principal: pulumi.String("s3.amazonaws.com"),
		SourceArn: bucket.Arn, SourceAccount: net.AccountID,
	}, opts)
	if err != nil {
		return fmt.Errorf("processor permission: %w", err)
	}
	// The bucket's one notification configuration; S3 checks the
	// permission when it is written, so it comes after.
	if _, err := s3.NewBucketNotification(ctx, name+"-records", &s3.BucketNotificationArgs{
		Bucket: bucket.Name,
		LambdaFunctions: s3.BucketNotificationLambdaFunctionArray{&s3.BucketNotificationLambdaFunctionArgs{
			LambdaFunctionArn: fn.Arn, Events: pulumi.ToStringArray([]string{"s3:ObjectCreated:*"}), FilterPrefix: pulumi.String(RecordsPrefix),
		}},
	}, opts, pulumi.DependsOn([]pulumi.Resource{perm})); err != nil {
		return fmt.Errorf("records notification: %w", err)
	}
	return nil
}
