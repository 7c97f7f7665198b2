package policy

import (
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// AWS Backup and KMS types the backup rules read.
const (
	tBackupVault     = "aws:backup/vault:Vault"
	tBackupPlan      = "aws:backup/plan:Plan"
	tBackupSelection = "aws:backup/selection:Selection"
	tKMSKey          = "aws:kms/key:Key"
)

// backupRules are Security Hub's AWS Backup controls that the plan can
// decide offline, and the project's rule that the vault and its key are
// kept like the data they hold. IDs: Backup.1 from the Security Hub user
// guide (backup-controls); DynamoDB.4 and RDS.26 as third-party control
// catalogues transcribe them (emnode.com), with their AWS Config rules
// dynamodb-resources-protected-by-backup-plan and
// rds-resources-protected-by-backup-plan (AWS Config developer guide);
// KMS.4 (Config rule cmk-backing-key-rotation-enabled) unverified against
// the Security Hub page.
var backupRules = []Rule{
	{ID: "Backup.1", Title: "AWS Backup recovery points are encrypted at rest", Severity: Medium, Types: []string{tBackupVault},
		Fix: "give the vault a kmsKeyArn (the backups component creates its own key)",
		Check: func(s *Stack, r *plan.Resource) []string {
			arn := str(r, "kmsKeyArn")
			if arn == "" {
				return []string{"the vault names no KMS key"}
			}
			return onlyIf(!refersToAny(arn, s.Res.OfType(tKMSKey)) && !isKMSArn(arn), "kmsKeyArn is neither a key of this stack nor a KMS key ARN")
		}},
	{ID: "DynamoDB.4", Title: "DynamoDB tables are in a backup plan", Severity: Medium, Types: []string{tTable},
		Fix: "set backups.enabled true: the backup selection lists every table",
		Check: func(s *Stack, r *plan.Resource) []string {
			return onlyIf(!inBackupPlan(s, r), "no backup selection of a backup plan names this table")
		}},
	{ID: "RDS.26", Title: "RDS DB instances are protected by a backup plan", Severity: Medium, Types: []string{tRDS},
		Fix: "set backups.enabled true: the backup selection lists the instance",
		Check: func(s *Stack, r *plan.Resource) []string {
			return onlyIf(!inBackupPlan(s, r), "no backup selection of a backup plan names this instance")
		}},
	{ID: "KMS.4", Title: "AWS KMS key rotation is enabled", Severity: Medium, Types: []string{tKMSKey},
		Fix: "set enableKeyRotation true (symmetric keys)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if spec := str(r, "customerMasterKeySpec"); spec != "" && spec != "SYMMETRIC_DEFAULT" {
				return nil // KMS rotates only symmetric encryption keys
			}
			return onlyIf(!boolean(r, "enableKeyRotation"), "enableKeyRotation is not true")
		}},
	{ID: "PP.BACKUP.1", Title: "Backup vaults and their keys are protected, retained and never force-destroyed", Severity: High,
		Types: []string{tBackupVault, tKMSKey},
		Fix:   "set backups.protect true; never forceDestroy a vault",
		Check: func(s *Stack, r *plan.Resource) []string {
			if r.Type == tKMSKey && !encryptsAVault(s, r) {
				return nil // other keys are their components' concern
			}
			var out []string
			if !r.Protect || !r.RetainOnDelete {
				out = append(out, "lacks protect and retainOnDelete: a destroy or a refactor would delete every recovery point with it")
			}
			if boolean(r, "forceDestroy") {
				out = append(out, "forceDestroy deletes every recovery point to delete the vault")
			}
			return out
		}},
}

// inBackupPlan says whether a selection of a plan of this stack names the
// resource by ARN.
func inBackupPlan(s *Stack, r *plan.Resource) bool {
	for _, sel := range s.Res.OfType(tBackupSelection) {
		if !refersToAny(str(sel, "planId"), s.Res.OfType(tBackupPlan)) {
			continue
		}
		for _, arn := range strings_(sel.Input("resources")) {
			if refersTo(arn, r) {
				return true
			}
		}
	}
	return false
}

func encryptsAVault(s *Stack, key *plan.Resource) bool {
	for _, v := range s.Res.OfType(tBackupVault) {
		if refersTo(str(v, "kmsKeyArn"), key) {
			return true
		}
	}
	return false
}

func refersToAny(v string, rs []*plan.Resource) bool {
	for _, r := range rs {
		if refersTo(v, r) {
			return true
		}
	}
	return false
}

// isKMSArn accepts a key's ARN in any partition (a key from outside the
// stack).
func isKMSArn(s string) bool { return strings.HasPrefix(s, "arn:") && strings.Contains(s, ":kms:") }
