package backups_test

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/components/backups"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tVault      = "aws:backup/vault:Vault"
	tLock       = "aws:backup/vaultLockConfiguration:VaultLockConfiguration"
	tPlan       = "aws:backup/plan:Plan"
	tSelection  = "aws:backup/selection:Selection"
	tKey        = "aws:kms/key:Key"
	tRole       = "aws:iam/role:Role"
	tAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	tDB         = "aws:rds/instance:Instance"
	tTable      = "aws:dynamodb/table:Table"
	tBucket     = "aws:s3/bucketV2:BucketV2"
	tCache      = "aws:elasticache/replicationGroup:ReplicationGroup"
)

// backupTypes are the AWS Backup types the component may create (other
// components have KMS keys of their own).
var backupTypes = []string{tVault, tLock, tPlan, tSelection, tRegionSettings}

const tRegionSettings = "aws:backup/regionSettings:RegionSettings"

func output(t *testing.T, r *plan.Resource, key string) string {
	t.Helper()
	v, ok := r.Outputs[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		t.Fatalf("%s %s has no output %s", r.Type, r.Name, key)
	}
	return v.StringValue()
}

func arns(t *testing.T, rs []*plan.Resource) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, output(t, r, "arn"))
	}
	return out
}

func withBackups(t *testing.T, stack, backupsJSON string) *plan.Result {
	t.Helper()
	res, err := plantest.RunWith(t, stack, func(v map[string]string) { v["pushplatform:backups"] = backupsJSON })
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// prod backs up, dev does not (its stores are destroyable and a vault, a
// key and storage would cost more than the data is worth).
func TestWhichStacksBackUp(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			counts := map[string]int{}
			for _, typ := range backupTypes {
				counts[typ] = len(res.OfType(typ))
			}
			counts[tKey] = 0
			if res.Named(tKey, "backups") != nil {
				counts[tKey] = 1
			}
			// Never the account-wide Region settings: see the design record.
			want := map[string]int{tVault: 1, tLock: 1, tPlan: 1, tSelection: 1, tKey: 1, tRegionSettings: 0}
			if stack == "dev" {
				want = map[string]int{tVault: 0, tLock: 0, tPlan: 0, tSelection: 0, tKey: 0, tRegionSettings: 0}
			}
			for typ, n := range want {
				if counts[typ] != n {
					t.Errorf("%d %s, want %d", counts[typ], typ, n)
				}
			}
			_, exported := res.Outputs["backupVaultName"]
			if exported != (stack == "prod") {
				t.Errorf("backupVaultName exported = %v", exported)
			}
		})
	}
}

// The selection names exactly the database and the tables, by ARN. Not
// the buckets: AWS Backup for S3 needs versioning on every bucket and they
// hold logs, expiring records and a rebuilt site. Not the cache: it keeps
// its own daily snapshots and holds counts the database can rebuild.
func TestSelectionCoversExactlyTheDatabaseAndTables(t *testing.T) {
	for _, c := range []struct{ stack, backups string }{{"prod", ""}, {"dev", `{"enabled":true}`}} {
		t.Run(c.stack, func(t *testing.T) {
			res := plantest.Run(t, c.stack)
			if c.backups != "" {
				res = withBackups(t, c.stack, c.backups)
			}
			sel := plantest.One(t, res, tSelection, "backups")
			got := plantest.Strings(sel.Input("resources"))
			want := append(arns(t, res.OfType(tDB)), arns(t, res.OfType(tTable))...)
			slices.Sort(got)
			slices.Sort(want)
			if len(want) != 4 || !slices.Equal(got, want) {
				t.Errorf("selection covers %v, want the database and the 3 tables %v", got, want)
			}
			for _, r := range append(res.OfType(tBucket), res.OfType(tCache)...) {
				if slices.Contains(got, output(t, r, "arn")) {
					t.Errorf("selection covers %s %s", r.Type, r.Name)
				}
			}
			for _, k := range []string{"selectionTags", "conditions", "notResources"} {
				if v := sel.Input(k); v != nil {
					t.Errorf("selection sets %s %s: only the listed ARNs may be backed up", k, plantest.JSON(v))
				}
			}
			role := plantest.One(t, res, tRole, "backups")
			if sel.InputString("iamRoleArn") != output(t, role, "arn") {
				t.Errorf("selection role = %q, want the backups role", sel.InputString("iamRoleArn"))
			}
			plan := plantest.One(t, res, tPlan, "backups")
			if sel.InputString("planId") != plan.ID {
				t.Errorf("selection plan = %q, want %q", sel.InputString("planId"), plan.ID)
			}
		})
	}
}

// The vault and its key are stateful: protected and retained in prod,
// the vault never force-emptied, encrypted with the stack's own key, and
// the key rotated and slow to delete.
func TestVaultAndKey(t *testing.T) {
	res := plantest.Run(t, "prod")
	vault := plantest.One(t, res, tVault, "backups")
	key := plantest.One(t, res, tKey, "backups")
	for _, r := range []*plan.Resource{vault, key} {
		if !r.Protect || !r.RetainOnDelete {
			t.Errorf("%s: protect %v, retainOnDelete %v; want both", r.Type, r.Protect, r.RetainOnDelete)
		}
	}
	if vault.Input("forceDestroy") != false {
		t.Errorf("vault forceDestroy = %v, want false", vault.Input("forceDestroy"))
	}
	if vault.InputString("name") != "pushplatform-prod-backups" {
		t.Errorf("vault name = %q", vault.InputString("name"))
	}
	if vault.InputString("kmsKeyArn") != output(t, key, "arn") {
		t.Errorf("vault key = %q, want the stack's backup key", vault.InputString("kmsKeyArn"))
	}
	if key.Input("enableKeyRotation") != true || key.Input("deletionWindowInDays") != float64(backups.KeyDeletionWindowDays) {
		t.Errorf("key rotation %v, deletion window %v", key.Input("enableKeyRotation"), key.Input("deletionWindowInDays"))
	}
	// The key policy: the account administers it through IAM, the backup
	// role uses it, and grants only for AWS resources.
	role := output(t, plantest.One(t, res, tRole, "backups"), "arn")
	doc := plantest.Policy(t, key, "policy")
	found := map[string]bool{}
	for _, st := range doc.Statement {
		principals := st.Principal["AWS"]
		switch {
		case slices.Equal(st.Action, []string{"kms:*"}):
			found["root"] = len(principals) == 1 && principals[0] == "arn:aws:iam::"+plan.FakeAccount+":root"
		case slices.Equal(st.Action, backups.KeyUse):
			found["use"] = slices.Equal(principals, []string{role})
		case slices.Equal(st.Action, backups.KeyGrants):
			found["grants"] = slices.Equal(principals, []string{role}) &&
				plantest.JSON(st.Condition) == `{"Bool":{"kms:GrantIsForAWSResource":["true"]}}`
		}
	}
	for _, s := range []string{"root", "use", "grants"} {
		if !found[s] {
			t.Errorf("key policy lacks the %s statement as designed: %s", s, key.InputString("policy"))
		}
	}
}

// The plan's one rule follows config; the lock bounds what config allows.
func TestPlanRuleAndLock(t *testing.T) {
	res := plantest.Run(t, "prod")
	rules := plantest.One(t, res, tPlan, "backups").Input("rules").([]any)
	if len(rules) != 1 {
		t.Fatalf("%d rules, want 1", len(rules))
	}
	rule := rules[0].(map[string]any)
	want := map[string]any{
		"schedule": config.DefaultBackupSchedule, "targetVaultName": "pushplatform-prod-backups",
		"startWindow": float64(backups.StartWindowMinutes), "completionWindow": float64(backups.CompletionWindowMinutes),
		"lifecycle":         map[string]any{"deleteAfter": float64(35)},
		"recoveryPointTags": map[string]any{"Name": "pushplatform-prod-daily", "Project": "pushplatform", "Stack": "prod"},
	}
	for k, v := range want {
		if plantest.JSON(rule[k]) != plantest.JSON(v) {
			t.Errorf("rule %s = %s, want %s", k, plantest.JSON(rule[k]), plantest.JSON(v))
		}
	}
	if rule["enableContinuousBackup"] == true {
		t.Error("continuous backup would take the database's backup retention over from the datastores component")
	}
	lock := plantest.One(t, res, tLock, "backups")
	if lock.Input("minRetentionDays") != float64(config.MinBackupRetentionDays) || lock.Input("maxRetentionDays") != float64(config.MaxBackupRetentionDays) {
		t.Errorf("lock bounds %v..%v", lock.Input("minRetentionDays"), lock.Input("maxRetentionDays"))
	}
	if _, compliance := lock.Inputs["changeableForDays"]; compliance {
		t.Error("changeableForDays makes a compliance-mode lock, immutable after its grace time; want governance")
	}
	if !lock.Protect {
		t.Error("the vault lock is not protected: a refactor could unlock the vault")
	}

	// Changed config reaches the rule; cold storage only when allowed.
	res = withBackups(t, "prod", `{"retentionDays":120,"coldStorageAfterDays":30,"vaultLock":false,"schedule":"cron(0 3 ? * SUN *)"}`)
	rule = plantest.One(t, res, tPlan, "backups").Input("rules").([]any)[0].(map[string]any)
	if plantest.JSON(rule["lifecycle"]) != `{"coldStorageAfter":30,"deleteAfter":120}` || rule["schedule"] != "cron(0 3 ? * SUN *)" {
		t.Errorf("rule lifecycle %s, schedule %v", plantest.JSON(rule["lifecycle"]), rule["schedule"])
	}
	if n := len(res.OfType(tLock)); n != 0 {
		t.Errorf("%d vault locks with vaultLock false", n)
	}
}

// The role AWS Backup assumes: the service, with the two managed policies
// under their service-role/ path.
func TestRole(t *testing.T) {
	res := plantest.Run(t, "prod")
	role := plantest.One(t, res, tRole, "backups")
	trust := plantest.Policy(t, role, "assumeRolePolicy")
	if len(trust.Statement) != 1 || !slices.Equal(trust.Statement[0].Principal["Service"], []string{"backup.amazonaws.com"}) {
		t.Errorf("trust = %s", role.InputString("assumeRolePolicy"))
	}
	var attached []string
	for _, a := range res.OfType(tAttachment) {
		if a.InputString("role") == output(t, role, "name") {
			attached = append(attached, a.InputString("policyArn"))
		}
	}
	slices.Sort(attached)
	want := []string{
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
		"arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
	}
	if !slices.Equal(attached, want) {
		t.Errorf("attached %v, want %v", attached, want)
	}
}

// dev turned on gets the same shape, unprotected (dev is destroyable).
func TestDevWithBackups(t *testing.T) {
	res := withBackups(t, "dev", `{"enabled":true}`)
	vault := plantest.One(t, res, tVault, "backups")
	key := plantest.One(t, res, tKey, "backups")
	if vault.Protect || key.Protect {
		t.Error("dev's vault or key is protected; dev stays destroyable")
	}
	rule := plantest.One(t, res, tPlan, "backups").Input("rules").([]any)[0].(map[string]any)
	if plantest.JSON(rule["lifecycle"]) != `{"deleteAfter":7}` {
		t.Errorf("dev lifecycle %s, want a week", plantest.JSON(rule["lifecycle"]))
	}
}
