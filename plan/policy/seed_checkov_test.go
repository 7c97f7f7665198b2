package policy

func init() {
	seeds["PP.RDS.2"] = seed{mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "caCertIdentifier", "rds-ca-2019") }}
	seeds["PP.S3.3"] = seed{mutate: func(m *mutable) {
		m.set(tBucketLifecycle, "datastores-assets", "rules", []any{map[string]any{"id": "expire", "status": "Enabled", "expiration": map[string]any{"days": 30}}})
	}}
	seeds["PP.KMS.2"] = seed{mutate: func(m *mutable) {
		m.set(tKMSKey, "backups", "policy", stmt(`{"Sid":"Everyone","Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*"}`))
	}}
	seeds["PP.IAM.4"] = seed{mutate: func(m *mutable) {
		m.set(tPolicyAttachment, "backups-AWSBackupServiceRolePolicyForBackup", "policyArn", "arn:aws:iam::aws:policy/AdministratorAccess")
	}}
	seeds["PP.IAM.5"] = seed{mutate: func(m *mutable) {
		m.set(tRole, "app-producer-task", "assumeRolePolicy", stmt(`{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999999999999:root"},"Action":"sts:AssumeRole"}`))
	}}
	seeds["PP.ELB.3"] = seed{mutate: func(m *mutable) { m.set(tTargetGroup, "app-producer", "healthCheck.path", "") }}
	seeds["PP.NET.3"] = seed{mutate: func(m *mutable) { m.set(tSecurityGroup, "datastores-cache", "description", "") }}
}
