package datastores

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
)

// Buckets are the platform's S3 buckets.
type Buckets struct {
	// Frontend holds the built React app, served by CloudFront only.
	Frontend *Bucket
	// Assets holds public images and logos, served through CloudFront; the
	// bucket itself is never public.
	Assets *Bucket
	// Documents holds private files, reachable only by presigned URLs.
	Documents *Bucket
	// Logs receives load balancer, CloudFront and S3 access logs.
	Logs *Bucket
	// PushMessages is where Firehose writes push-message records.
	PushMessages *Bucket
}

// All lists the buckets in a stable order.
func (b *Buckets) All() []*Bucket {
	return []*Bucket{b.Frontend, b.Assets, b.Documents, b.Logs, b.PushMessages}
}

func newBuckets(ctx *pulumi.Context, name string, c config.Buckets, region string, net *network.Network, parent pulumi.Resource) (*Buckets, error) {
	specs := []bucketSpec{
		{kind: "frontend", versioned: true, deferPolicy: true}, // earlier builds stay for a rollback
		{kind: "assets", versioned: true, deferPolicy: true},
		{kind: "documents", versioned: true},
		{kind: "logs", expireDays: c.LogRetentionDays},
		{kind: "pushmessages", expireDays: c.PushMessagesRetentionDays},
	}
	made := make([]*Bucket, 0, len(specs))
	for _, s := range specs {
		b, err := newBucket(ctx, name+"-"+s.kind, s, c.NoncurrentVersionDays, c.Protect, parent)
		if err != nil {
			return nil, err
		}
		made = append(made, b)
	}
	bs := &Buckets{Frontend: made[0], Assets: made[1], Documents: made[2], Logs: made[3], PushMessages: made[4]}
	if err := bs.Logs.AddPolicyStatements(logDeliveryStatements(bs.Logs, region, net.AccountID, net.Partition)...); err != nil {
		return nil, err
	}
	for _, b := range bs.All() {
		if !b.deferPolicy {
			if err := b.writePolicy(ctx, parent); err != nil {
				return nil, err
			}
		}
	}
	// S3 checks the target's policy when logging is configured: after it.
	for _, b := range bs.All() {
		if b == bs.Logs {
			continue
		}
		if _, err := s3.NewBucketLoggingV2(ctx, b.logical, &s3.BucketLoggingV2Args{
			Bucket:       b.Name,
			TargetBucket: bs.Logs.Name,
			TargetPrefix: pulumi.Sprintf("%s/%s/", LogPrefixS3, b.Name),
		}, pulumi.Parent(parent), pulumi.DependsOn([]pulumi.Resource{bs.Logs.policy})); err != nil {
			return nil, fmt.Errorf("bucket %s access logging: %w", b.logical, err)
		}
	}
	return bs, nil
}

// FinishBucketPolicies writes the policies of the CloudFront-served buckets.
// Stack calls it once, after every component has added its statements.
func (d *DataStores) FinishBucketPolicies(ctx *pulumi.Context) error {
	for _, b := range d.Buckets.All() {
		if b.deferPolicy {
			if err := b.writePolicy(ctx, d); err != nil {
				return err
			}
		}
	}
	return nil
}
