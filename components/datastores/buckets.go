package datastores

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

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

func newBuckets(ctx *pulumi.Context, name string, c config.Buckets, parent pulumi.Resource) (*Buckets, error) {
	specs := []bucketSpec{
		{kind: "frontend", versioned: true}, // earlier builds stay for a rollback
		{kind: "assets", versioned: true},
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
	return &Buckets{Frontend: made[0], Assets: made[1], Documents: made[2], Logs: made[3], PushMessages: made[4]}, nil
}

// FinishBucketPolicies writes every bucket's policy, then turns on server
// access logging of the data buckets into the logs bucket (whose policy must
// exist first). Stack calls it once, after every component has added its
// statements.
func (d *DataStores) FinishBucketPolicies(ctx *pulumi.Context) error {
	for _, b := range d.Buckets.All() {
		if err := b.writePolicy(ctx, d); err != nil {
			return err
		}
	}
	logs := d.Buckets.Logs
	for _, b := range d.Buckets.All() {
		if b == logs {
			continue
		}
		if _, err := s3.NewBucketLoggingV2(ctx, b.logical, &s3.BucketLoggingV2Args{
			Bucket:       b.Name,
			TargetBucket: logs.Name,
			TargetPrefix: pulumi.Sprintf("%s/%s/", LogPrefixS3, b.Name),
		}, pulumi.Parent(d), pulumi.DependsOn([]pulumi.Resource{logs.policy})); err != nil {
			return fmt.Errorf("bucket %s access logging: %w", b.logical, err)
		}
	}
	return nil
}
