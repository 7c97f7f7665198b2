package policy

import "testing"

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

// TestConditionMustScopeTheResource: PP.IAM.1 lets a wildcard resource
// pass only under a condition that narrows the resources (a tag, a VPC, a
// cluster); aws:SecureTransport narrows nothing.
func TestConditionMustScopeTheResource(t *testing.T) {
	s, _ := committed(t, "prod")
	for cond, fires := range map[string]bool{
		`{"Bool":{"aws:SecureTransport":"true"}}`:             true,
		`{"StringEquals":{"aws:ResourceTag/Stack":"prod"}}`:   false,
		`{"ArnEquals":{"ec2:Vpc":"arn:aws:ec2:::vpc/vpc-1"}}`: false,
		`{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}`:         true,
	} {
		m := newMutable(t, s)
		m.set(tRolePolicy, "app-producer-task", "policy", stmt(`{"Sid":"Wide","Effect":"Allow","Action":["s3:GetObject"],"Resource":"*","Condition":`+cond+`}`))
		var got bool
		for _, f := range Find("PP.IAM.1").Run(m.stack) {
			got = got || f.Resource == "app-producer-task"
		}
		if got != fires {
			t.Errorf("s3:GetObject on * under %s: fires %v, want %v", cond, got, fires)
		}
	}
}
