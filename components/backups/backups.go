// Package backups keeps copies of the stateful stores outside their own
// lifecycle: an AWS Backup vault encrypted with its own customer-managed KMS
// key, a daily plan with the retention from config, and a selection that
// names exactly the MySQL instance and the DynamoDB tables.
//
// What it leaves out, on purpose: the S3 buckets (AWS Backup for S3 needs
// versioning on every bucket and backs up every version; the buckets hold
// access logs, push records that expire by lifecycle, and the site, which
// the deployment rebuilds) and the cache (ElastiCache keeps its own daily
// snapshots, cache.snapshotRetentionDays, and holds counts the database
// can rebuild).
//
// Point-in-time recovery stays with each store (RDS automated backups,
// DynamoDB PITR); the plan takes snapshot backups only. Continuous backup
// for RDS would make AWS Backup own the instance's backup retention, which
// the datastores component sets (database.backupRetentionDays).
package backups

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/backup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/safety"
	"github.com/pushplatform/pushplatform/config"
)

// Backups is the vault, its key, the plan and what the plan protects.
type Backups struct {
	pulumi.ResourceState

	// VaultName and VaultArn locate the recovery points (the runbook's
	// restore steps list them from here).
	VaultName pulumi.StringOutput
	VaultArn  pulumi.StringOutput
	// KeyArn is the key the vault encrypts recovery points with.
	KeyArn pulumi.StringOutput
	// PlanID is the backup plan.
	PlanID pulumi.IDOutput
	// RoleArn is the role AWS Backup backs up and restores with; a restore
	// job started by hand passes it (--iam-role-arn).
	RoleArn pulumi.StringOutput
}

// Args configures the backups of one stack.
type Args struct {
	Config config.Backups
	// Project and Stack name the vault, the plan and the recovery points.
	Project, Stack string
	// AccountID and Partition build the key policy and the managed policy
	// ARNs (from the network, read offline from an ARN).
	AccountID, Partition pulumi.StringInput
	// Stores are the data stores; the plan protects their database and
	// tables.
	Stores *datastores.DataStores
}

// Windows of the plan's one rule. An hour to start (AWS Backup's API
// reference asks at least 60 minutes of StartWindowMinutes) and eight to
// finish: a snapshot of a 50 GB database and three small tables takes
// minutes, so a job still running after eight hours is stuck, not slow.
const (
	StartWindowMinutes      = 60
	CompletionWindowMinutes = 480
)

// New creates the backups; call it only with Config.Enabled (Stack decides,
// with a plain bool, whether the component exists at all).
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Backups, error) {
	b := &Backups{}
	if err := ctx.RegisterComponentResource("pushplatform:backups:Backups", name, b, opts...); err != nil {
		return nil, err
	}
	c := args.Config
	child := pulumi.Parent(b)
	prefix := args.Project + "-" + args.Stack

	role, attachments, err := newRole(ctx, name, args.Partition, b)
	if err != nil {
		return nil, err
	}
	key, err := newKey(ctx, name, args, role.Arn, b)
	if err != nil {
		return nil, err
	}
	vault, err := backup.NewVault(ctx, name, &backup.VaultArgs{
		Name:      pulumi.String(prefix + "-backups"),
		KmsKeyArn: key.Arn,
		// Never empty the vault to delete it: recovery points outlive the
		// stack on purpose.
		ForceDestroy: pulumi.Bool(false),
		Tags:         pulumi.StringMap{"Name": pulumi.String(prefix + "-backups")},
	}, safety.Stateful(c.Protect, child)...)
	if err != nil {
		return nil, fmt.Errorf("backup vault: %w", err)
	}
	if c.VaultLock {
		if err := lockVault(ctx, name, vault, c.Protect, child); err != nil {
			return nil, err
		}
	}
	plan, err := newPlan(ctx, name, args, vault, child)
	if err != nil {
		return nil, err
	}
	if _, err := backup.NewSelection(ctx, name, &backup.SelectionArgs{
		Name:       pulumi.String(prefix + "-stores"),
		PlanId:     plan.ID(),
		IamRoleArn: role.Arn,
		Resources:  Protected(args.Stores),
	}, child, pulumi.DependsOn(attachments)); err != nil {
		return nil, fmt.Errorf("backup selection: %w", err)
	}

	b.VaultName, b.VaultArn, b.KeyArn, b.PlanID, b.RoleArn = vault.Name, vault.Arn, key.Arn, plan.ID(), role.Arn
	if err := ctx.RegisterResourceOutputs(b, pulumi.Map{"vault": vault.Name, "plan": plan.ID()}); err != nil {
		return nil, err
	}
	return b, nil
}

// Protected lists what the plan backs up, by ARN: the MySQL instance and
// every DynamoDB table, and nothing else (see the package comment).
func Protected(s *datastores.DataStores) pulumi.StringArray {
	t := s.Tables
	return pulumi.StringArray{s.MySQL.Arn, t.Router.Arn, t.Message.Arn, t.PushMessages.Arn}
}

// lockVault applies a Vault Lock in governance mode (no changeableForDays):
// nobody deletes a recovery point or shortens its retention, and every job
// into the vault must keep its points between the bounds config enforces.
// Governance rather than compliance mode, because compliance becomes
// immutable after its grace time: a wrong bound could then never be fixed
// and the vault never emptied. Lifting a governance lock takes
// backup:DeleteBackupVaultLockConfiguration, a deliberate IAM grant.
func lockVault(ctx *pulumi.Context, name string, vault *backup.Vault, protect bool, opts ...pulumi.ResourceOption) error {
	// Protected, not retained: a refactor must not unlock the vault
	// silently, and turning backups.vaultLock off is a deliberate step.
	_, err := backup.NewVaultLockConfiguration(ctx, name, &backup.VaultLockConfigurationArgs{
		BackupVaultName:  vault.Name,
		MinRetentionDays: pulumi.Int(config.MinBackupRetentionDays),
		MaxRetentionDays: pulumi.Int(config.MaxBackupRetentionDays),
	}, append(opts, pulumi.Protect(protect))...)
	if err != nil {
		return fmt.Errorf("backup vault lock: %w", err)
	}
	return nil
}

// newPlan is the daily plan: one rule, snapshot backups into the vault,
// deleted after the retention, tagged so a recovery point says where it
// came from (Security Hub Backup.2 wants recovery points tagged; provider
// default tags do not reach them).
func newPlan(ctx *pulumi.Context, name string, args *Args, vault *backup.Vault, opts ...pulumi.ResourceOption) (*backup.Plan, error) {
	c, prefix := args.Config, args.Project+"-"+args.Stack
	lifecycle := &backup.PlanRuleLifecycleArgs{DeleteAfter: pulumi.Int(c.RetentionDays)}
	if c.ColdStorageAfterDays > 0 {
		// Only resource types that support cold storage move (AWS Backup
		// ignores it for the rest, RDS snapshots among them).
		lifecycle.ColdStorageAfter = pulumi.Int(c.ColdStorageAfterDays)
	}
	plan, err := backup.NewPlan(ctx, name, &backup.PlanArgs{
		Name: pulumi.String(prefix + "-daily"),
		Rules: backup.PlanRuleArray{&backup.PlanRuleArgs{
			RuleName:         pulumi.String("daily"),
			TargetVaultName:  vault.Name,
			Schedule:         pulumi.String(c.Schedule),
			StartWindow:      pulumi.Int(StartWindowMinutes),
			CompletionWindow: pulumi.Int(CompletionWindowMinutes),
			Lifecycle:        lifecycle,
			RecoveryPointTags: pulumi.StringMap{
				"Name": pulumi.String(prefix + "-daily"), "Project": pulumi.String(args.Project), "Stack": pulumi.String(args.Stack),
			},
		}},
		Tags: pulumi.StringMap{"Name": pulumi.String(prefix + "-daily")},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("backup plan: %w", err)
	}
	return plan, nil
}
