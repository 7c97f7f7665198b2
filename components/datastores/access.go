package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/network"
)

// AllowMySQL lets a client group reach the database.
func (d *DataStores) AllowMySQL(ctx *pulumi.Context, client *network.SecurityGroup, why string) error {
	return d.MySQL.SecurityGroup.AllowFrom(ctx, client, MySQLPort, why)
}

// AllowCache lets a client group reach the cache.
func (d *DataStores) AllowCache(ctx *pulumi.Context, client *network.SecurityGroup, why string) error {
	return d.Cache.SecurityGroup.AllowFrom(ctx, client, CachePort, why)
}

// The IAM statements a service's role needs for one store. Every grant
// names exact actions on exact ARNs; the service building block attaches
// them.

// TableReadWrite reads and writes items of a table (no table management).
func TableReadWrite(t Table) policy.Statement {
	return policy.Statement{
		Actions: []string{
			"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
			"dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:DescribeTable",
		},
		Resources: pulumi.StringArray{t.Arn},
	}
}

// TableRead reads items of a table.
func TableRead(t Table) policy.Statement {
	return policy.Statement{
		Actions:   []string{"dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:DescribeTable"},
		Resources: pulumi.StringArray{t.Arn},
	}
}

// BucketRead lists a bucket and reads its objects.
func BucketRead(b *Bucket) []policy.Statement {
	return []policy.Statement{
		{Actions: []string{"s3:ListBucket"}, Resources: pulumi.StringArray{b.Arn}},
		{Actions: []string{"s3:GetObject"}, Resources: pulumi.StringArray{pulumi.Sprintf("%s/*", b.Arn)}},
	}
}

// BucketReadWrite also writes and deletes objects (presigned URLs are
// signed with these permissions).
func BucketReadWrite(b *Bucket) []policy.Statement {
	return []policy.Statement{
		{Actions: []string{"s3:ListBucket"}, Resources: pulumi.StringArray{b.Arn}},
		{Actions: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, Resources: pulumi.StringArray{pulumi.Sprintf("%s/*", b.Arn)}},
	}
}

// SecretRead reads one secret's value: what an ECS execution role needs to
// inject it into a container.
func SecretRead(secretArn pulumi.StringInput) policy.Statement {
	return policy.Statement{
		Actions:   []string{"secretsmanager:GetSecretValue"},
		Resources: pulumi.StringArray{secretArn},
	}
}
