package backups

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// ManagedPolicies are the AWS managed policies of the role AWS Backup
// assumes: creating backups and restoring them, for every service AWS
// Backup supports. Both live under the service-role/ path (AWS Managed
// Policy reference: arn:aws:iam::aws:policy/service-role/...), unlike the
// S3 ones, which have no path.
var ManagedPolicies = []string{"AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"}

// ManagedPolicyArn is a managed policy's ARN in the partition.
func ManagedPolicyArn(partition pulumi.StringInput, name string) pulumi.StringOutput {
	return pulumi.Sprintf("arn:%s:iam::aws:policy/service-role/%s", partition, name)
}

// newRole is the role the selection names. Its trust is the one AWS
// creates for AWSBackupDefaultServiceRole: backup.amazonaws.com, no
// condition. No AWS Backup page says the service sets aws:SourceAccount
// when it assumes a selection's role, and a condition it did not satisfy
// would fail every job (unverified either way; PP.IAM.2 asks a condition
// only of ECS and Firehose roles).
func newRole(ctx *pulumi.Context, name string, partition pulumi.StringInput, parent pulumi.Resource) (*iam.Role, []pulumi.Resource, error) {
	opts := pulumi.Parent(parent)
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		Description:      pulumi.String("AWS Backup: back up and restore the database and tables"),
		AssumeRolePolicy: policy.Document(ctx, parent, policy.AssumeRoleBy("backup.amazonaws.com")),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("backup role: %w", err)
	}
	var attached []pulumi.Resource
	for _, p := range ManagedPolicies {
		a, err := iam.NewRolePolicyAttachment(ctx, name+"-"+p, &iam.RolePolicyAttachmentArgs{
			Role:      role.Name,
			PolicyArn: ManagedPolicyArn(partition, p),
		}, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("attach %s: %w", p, err)
		}
		attached = append(attached, a)
	}
	return role, attached, nil
}
