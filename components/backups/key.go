package backups

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/safety"
)

// KeyDeletionWindowDays is the longest wait KMS allows before deleting a
// key (7 to 30): a key scheduled for deletion by mistake can be saved for a
// month, and without it every recovery point it encrypts is lost.
const KeyDeletionWindowDays = 30

// Key policy actions. KeyUse is what a service needs to encrypt and
// decrypt with a key on a principal's behalf, KeyGrants what it needs to
// hand the key to the AWS resource it creates: the key users' statements
// of KMS's default key policy (KMS developer guide, "Default key policy":
// "Allows key users to use the KMS key" and "Allows key users to use the
// KMS key with AWS services", the latter bound by kms:GrantIsForAWSResource).
var (
	KeyUse    = []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"}
	KeyGrants = []string{"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}
)

// newKey is the vault's customer-managed key. Its policy lets the account
// administer it through IAM (the root statement of the default key policy,
// without which the key could become unmanageable) and lets the backup
// role use it. AWS Backup acts with the selection's role ("your IAM role
// must have access to the KMS key", AWS Backup developer guide,
// "Encryption for backups"), so the role is the key user; no statement
// names a backup.amazonaws.com service principal, which no AWS Backup page
// asks of a vault key (unverified that none is ever needed).
//
// The key encrypts what AWS Backup encrypts independently: DynamoDB
// backups once advanced DynamoDB backup is on for the account and Region.
// RDS snapshots keep the instance's own encryption (its AWS-managed key),
// as AWS Backup's encryption table says of resource types it does not
// fully manage.
func newKey(ctx *pulumi.Context, name string, args *Args, roleArn pulumi.StringOutput, parent pulumi.Resource) (*kms.Key, error) {
	root := pulumi.Sprintf("arn:%s:iam::%s:root", args.Partition, args.AccountID)
	doc := iam.GetPolicyDocumentOutput(ctx, iam.GetPolicyDocumentOutputArgs{Statements: iam.GetPolicyDocumentStatementArray{
		iam.GetPolicyDocumentStatementArgs{
			Sid: pulumi.String("AccountAdministersThroughIAM"), Effect: pulumi.String("Allow"),
			Actions: pulumi.ToStringArray([]string{"kms:*"}), Resources: pulumi.ToStringArray([]string{"*"}),
			Principals: principals(root),
		},
		iam.GetPolicyDocumentStatementArgs{
			Sid: pulumi.String("BackupRoleUsesKey"), Effect: pulumi.String("Allow"),
			Actions: pulumi.ToStringArray(KeyUse), Resources: pulumi.ToStringArray([]string{"*"}),
			Principals: principals(roleArn),
		},
		iam.GetPolicyDocumentStatementArgs{
			Sid: pulumi.String("BackupRoleGrantsToAWSResources"), Effect: pulumi.String("Allow"),
			Actions: pulumi.ToStringArray(KeyGrants), Resources: pulumi.ToStringArray([]string{"*"}),
			Principals: principals(roleArn),
			Conditions: iam.GetPolicyDocumentStatementConditionArray{iam.GetPolicyDocumentStatementConditionArgs{
				Test: pulumi.String("Bool"), Variable: pulumi.String("kms:GrantIsForAWSResource"), Values: pulumi.ToStringArray([]string{"true"}),
			}},
		},
	}}, pulumi.Parent(parent)).Json()

	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.Sprintf("%s-%s AWS Backup vault: recovery points of the database and tables", args.Project, args.Stack),
		EnableKeyRotation:    pulumi.Bool(true), // yearly, KMS's default period
		DeletionWindowInDays: pulumi.Int(KeyDeletionWindowDays),
		Policy:               doc,
		Tags:                 pulumi.StringMap{"Name": pulumi.String(args.Project + "-" + args.Stack + "-backups")},
	}, safety.Stateful(args.Config.Protect, pulumi.Parent(parent))...)
	if err != nil {
		return nil, fmt.Errorf("backup key: %w", err)
	}
	return key, nil
}

// principals is one AWS principal whose ARN is an output: the project's
// policy.Document takes plain identifiers, and the account and role are
// known only once read or created.
func principals(arn pulumi.StringInput) iam.GetPolicyDocumentStatementPrincipalArray {
	return iam.GetPolicyDocumentStatementPrincipalArray{iam.GetPolicyDocumentStatementPrincipalArgs{
		Type: pulumi.String("AWS"), Identifiers: pulumi.StringArray{arn},
	}}
}
