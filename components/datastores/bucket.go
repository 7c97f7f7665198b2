package datastores

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/internal/safety"
)

// Bucket is one S3 bucket with the platform's baseline: owner-enforced
// objects (no ACLs), all four public-access blocks, default encryption,
// a TLS-only policy, lifecycle rules and access logging. S3 holds a single
// policy per bucket: a bucket whose readers live in other components (the
// CloudFront-served ones) defers its policy until
// DataStores.FinishBucketPolicies, after those components added their
// statements; the others write theirs at once.
type Bucket struct {
	// Kind is the bucket's role: frontend, assets, documents, logs, pushmessages.
	Kind string
	// Name is the bucket's (autonamed) name.
	Name pulumi.StringOutput
	// Arn is the bucket's ARN.
	Arn pulumi.StringOutput
	// RegionalDomainName is the origin domain for CloudFront.
	RegionalDomainName pulumi.StringOutput

	logical     string
	protect     bool
	deferPolicy bool
	statements  []policy.Statement
	policy      *s3.BucketPolicy
}

type bucketSpec struct {
	kind        string
	versioned   bool
	expireDays  int  // current objects expire after this many days; 0 keeps them
	deferPolicy bool // other components add policy statements (CloudFront)
}

func newBucket(ctx *pulumi.Context, logical string, spec bucketSpec, noncurrentDays int, protect bool, parent pulumi.Resource) (*Bucket, error) {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	b, err := s3.NewBucketV2(ctx, logical, &s3.BucketV2Args{
		// Unprotected (dev): a destroy empties the bucket first, so the
		// stack goes in one `pulumi destroy`. Protected buckets refuse to
		// be deleted while they hold objects.
		ForceDestroy: pulumi.Bool(!protect),
		Tags:         pulumi.StringMap{"Name": pulumi.String(logical), "Purpose": pulumi.String(spec.kind)},
	}, safety.Stateful(protect, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("create bucket %s: %w", logical, err)
	}
	bucket := &Bucket{Kind: spec.kind, Name: b.Bucket, Arn: b.Arn, RegionalDomainName: b.BucketRegionalDomainName,
		logical: logical, protect: protect, deferPolicy: spec.deferPolicy}
	child := append(opts, pulumi.DependsOn([]pulumi.Resource{b}))

	// Object ownership enforced: ACLs are off and the bucket owner owns every
	// object, including those log deliveries write (they are granted by policy).
	if _, err := s3.NewBucketOwnershipControls(ctx, logical, &s3.BucketOwnershipControlsArgs{
		Bucket: b.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, child...); err != nil {
		return nil, fmt.Errorf("bucket %s ownership: %w", logical, err)
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, logical, &s3.BucketPublicAccessBlockArgs{
		Bucket:                b.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child...); err != nil {
		return nil, fmt.Errorf("bucket %s public access block: %w", logical, err)
	}
	// SSE-S3: the one default encryption every writer here supports (ALB
	// access logs accept nothing else) and no key policy to keep in step.
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, logical, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: b.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, child...); err != nil {
		return nil, fmt.Errorf("bucket %s encryption: %w", logical, err)
	}
	if spec.versioned {
		if _, err := s3.NewBucketVersioningV2(ctx, logical, &s3.BucketVersioningV2Args{
			Bucket:                  b.ID(),
			VersioningConfiguration: &s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
		}, child...); err != nil {
			return nil, fmt.Errorf("bucket %s versioning: %w", logical, err)
		}
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, logical, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: b.ID(),
		Rules:  lifecycleRules(spec, noncurrentDays),
	}, child...); err != nil {
		return nil, fmt.Errorf("bucket %s lifecycle: %w", logical, err)
	}
	return bucket, nil
}

// lifecycleRules: every bucket drops abandoned multipart uploads; expiring
// buckets drop objects after their retention; versioned buckets drop
// superseded versions after noncurrentDays.
func lifecycleRules(spec bucketSpec, noncurrentDays int) s3.BucketLifecycleConfigurationV2RuleArray {
	all := &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String("")}
	rules := s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
		Id:                             pulumi.String("abort-incomplete-uploads"),
		Status:                         pulumi.String("Enabled"),
		Filter:                         all,
		AbortIncompleteMultipartUpload: &s3.BucketLifecycleConfigurationV2RuleAbortIncompleteMultipartUploadArgs{DaysAfterInitiation: pulumi.Int(7)},
	}}
	if spec.expireDays > 0 {
		rules = append(rules, &s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String(fmt.Sprintf("expire-after-%d-days", spec.expireDays)),
			Status:     pulumi.String("Enabled"),
			Filter:     all,
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(spec.expireDays)},
		})
	}
	if spec.versioned {
		rules = append(rules, &s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:                          pulumi.String(fmt.Sprintf("expire-noncurrent-after-%d-days", noncurrentDays)),
			Status:                      pulumi.String("Enabled"),
			Filter:                      all,
			NoncurrentVersionExpiration: &s3.BucketLifecycleConfigurationV2RuleNoncurrentVersionExpirationArgs{NoncurrentDays: pulumi.Int(noncurrentDays)},
		})
	}
	return rules
}

// AddPolicyStatements adds statements to the bucket's policy. It must be
// called before the policy is written (DataStores.FinishBucketPolicies for
// the CloudFront-served buckets, DataStores' constructor for the others).
func (b *Bucket) AddPolicyStatements(st ...policy.Statement) error {
	if b.policy != nil {
		return fmt.Errorf("bucket %s: its policy is already written; add statements before it is", b.logical)
	}
	b.statements = append(b.statements, st...)
	return nil
}

// tlsOnly denies every request that does not use TLS (Security Hub S3.5).
func (b *Bucket) tlsOnly() policy.Statement {
	return policy.Statement{
		Sid:        "DenyInsecureTransport",
		Deny:       true,
		Actions:    []string{"s3:*"},
		Resources:  pulumi.StringArray{b.Arn, pulumi.Sprintf("%s/*", b.Arn)},
		Principals: []policy.Principal{{Type: "*", Identifiers: []string{"*"}}},
		Conditions: []policy.Condition{{Test: "Bool", Variable: "aws:SecureTransport", Values: pulumi.StringArray{pulumi.String("false")}}},
	}
}

// writePolicy writes the bucket's single policy: TLS-only plus what was added.
func (b *Bucket) writePolicy(ctx *pulumi.Context, parent pulumi.Resource) error {
	statements := append([]policy.Statement{b.tlsOnly()}, b.statements...)
	p, err := s3.NewBucketPolicy(ctx, b.logical, &s3.BucketPolicyArgs{
		Bucket: b.Name,
		Policy: policy.Document(ctx, parent, statements...),
	}, pulumi.Parent(parent))
	if err != nil {
		return fmt.Errorf("bucket %s policy: %w", b.logical, err)
	}
	b.policy = p
	return nil
}

// Policy is the bucket's policy resource, once written: a writer whose
// setup AWS validates against the policy (a load balancer's access logs)
// depends on it.
func (b *Bucket) Policy() pulumi.Resource { return b.policy }
