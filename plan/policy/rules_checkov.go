package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// Types only these rules read.
const (
	tTargetGroup      = "aws:lb/targetGroup:TargetGroup"
	tPolicyAttachment = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
)

// checkovRules cover what checkov checks for these resource kinds that no
// Security Hub control or earlier project rule does (docs/policy-coverage.md
// maps every checkov check of these kinds, with the deliberate differences).
var checkovRules = []Rule{
	{ID: "PP.RDS.2", Title: "RDS instances use a current certificate authority", Severity: Medium, Types: []string{tRDS},
		Fix: "set caCertIdentifier rds-ca-rsa2048-g1, rds-ca-rsa4096-g1 or rds-ca-ecc384-g1 (checkov CKV_AWS_211); clients trust the region's bundle",
		Check: func(_ *Stack, r *plan.Resource) []string {
			ca := str(r, "caCertIdentifier")
			return onlyIf(ca != "" && !slices.Contains([]string{"rds-ca-rsa2048-g1", "rds-ca-rsa4096-g1", "rds-ca-ecc384-g1"}, ca),
				fmt.Sprintf("caCertIdentifier %q is retired or unknown", ca))
		}},
	{ID: "PP.S3.3", Title: "S3 lifecycle rules abort incomplete multipart uploads", Severity: Low, Types: []string{tBucketLifecycle},
		Fix: "add an Enabled rule with abortIncompleteMultipartUpload.daysAfterInitiation (checkov CKV_AWS_300): abandoned parts are stored and billed, invisibly",
		Check: func(_ *Stack, r *plan.Resource) []string {
			for _, rule := range objects(r.Input("rules")) {
				abort, _ := rule["abortIncompleteMultipartUpload"].(map[string]any)
				if rule["status"] == "Enabled" && abort != nil && abort["daysAfterInitiation"] != nil {
					return nil
				}
			}
			return []string{"no enabled rule aborts incomplete multipart uploads"}
		}},
	{ID: "PP.KMS.2", Title: "KMS key policies grant nobody everything unconditionally", Severity: High, Types: []string{tKMSKey},
		Fix: "set a key policy (checkov CKV_AWS_33) whose Allow statements name principals, or hold a wildcard principal to a condition (CKV2_AWS_64)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if r.InputString("policy") == "" {
				return []string{"no key policy: the default one lets every IAM principal of the account with kms:* use the key"}
			}
			return eachStatement(r, "policy", "key policy is not valid JSON", func(st plan.PolicyStatement) []string {
				return onlyIf(st.Effect == "Allow" && anyPrincipal(st) && len(st.Condition) == 0,
					fmt.Sprintf("statement %q allows any principal with no condition", st.Sid))
			})
		}},
	{ID: "PP.IAM.4", Title: "No role has an administrator policy attached", Severity: High, Types: []string{tPolicyAttachment},
		Fix: "attach a policy scoped to the role's job, never AdministratorAccess, IAMFullAccess or PowerUserAccess (checkov CKV_AWS_274, CKV2_AWS_56)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			arn := str(r, "policyArn")
			for _, admin := range []string{"/AdministratorAccess", "/IAMFullAccess", "/PowerUserAccess"} {
				if strings.HasSuffix(arn, admin) && strings.Contains(arn, ":iam::aws:policy") {
					return []string{"attaches " + arn}
				}
			}
			return nil
		}},
	{ID: "PP.IAM.5", Title: "Roles trust AWS services, not other accounts", Severity: High, Types: []string{tRole},
		Fix: "trust service principals (with aws:SourceAccount); cross-account access needs its own reviewed role (checkov CKV_AWS_61)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return eachStatement(r, "assumeRolePolicy", "trust policy is not valid JSON", func(st plan.PolicyStatement) []string {
				return onlyIf(st.Effect == "Allow" && len(st.Principal["AWS"]) > 0, fmt.Sprintf("trusts the AWS principals %v", st.Principal["AWS"]))
			})
		}},
	{ID: "PP.ELB.3", Title: "HTTP target groups check a health path", Severity: Medium, Types: []string{tTargetGroup},
		Fix: "set healthCheck.path to the app's health endpoint (checkov CKV_AWS_261): a TCP check passes a process that answers nothing",
		Check: func(_ *Stack, r *plan.Resource) []string {
			p := str(r, "protocol")
			if p != "HTTP" && p != "HTTPS" {
				return nil
			}
			return onlyIf(str(r, "healthCheck.path") == "" || get(r, "healthCheck.enabled") == false, "no health check path")
		}},
	{ID: "PP.NET.3", Title: "Security groups and their rules say what they are for", Severity: Low, Types: []string{tSecurityGroup, tIngress, tEgress},
		Fix: "set description on the group and on every rule (checkov CKV_AWS_23): the security matrix and a reviewer read it",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(strings.TrimSpace(str(r, "description")) == "", "no description")
		}},
}
