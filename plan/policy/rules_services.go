package policy

import (
	"fmt"

	"github.com/pushplatform/pushplatform/plan"
)

// registryRules cover the managed services around the apps: ECR, Secrets
// Manager, SQS, Firehose and CloudWatch Logs.
var registryRules = []Rule{
	{ID: "ECR.1", Title: "ECR private repositories have image scanning configured", Severity: High, Types: []string{tRepository},
		Fix: "set imageScanningConfiguration.scanOnPush true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "imageScanningConfiguration.scanOnPush"), "scanOnPush is not true")
		}},
	{ID: "ECR.2", Title: "ECR private repositories have tag immutability configured", Severity: Medium, Types: []string{tRepository},
		Fix: "set imageTagMutability IMMUTABLE (images are tagged by content)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "imageTagMutability") != "IMMUTABLE", fmt.Sprintf("imageTagMutability is %q", str(r, "imageTagMutability")))
		}},
	{ID: "ECR.3", Title: "ECR repositories have at least one lifecycle policy", Severity: Medium, Types: []string{tRepository},
		Fix: "add an ecr.LifecyclePolicy (keep the last N images)",
		Check: func(s *Stack, r *plan.Resource) []string {
			return onlyIf(len(s.companions(tLifecycle, "repository", r)) == 0, "no lifecycle policy")
		}},
	{ID: "SecretsManager.1", Title: "Secrets Manager secrets have automatic rotation enabled", Severity: Medium, Types: []string{tSecret},
		Fix: "add a secretsmanager.SecretRotation with a rotation function",
		Check: func(s *Stack, r *plan.Resource) []string {
			return onlyIf(len(s.companions("aws:secretsmanager/secretRotation:SecretRotation", "secretId", r)) == 0, "no rotation")
		}},
	{ID: "SQS.1", Title: "SQS queues are encrypted at rest", Severity: Medium, Types: []string{tQueue},
		Fix: "set sqsManagedSseEnabled true (or a kmsMasterKeyId)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(r.Input("sqsManagedSseEnabled") == false && str(r, "kmsMasterKeyId") == "" || r.Input("sqsManagedSseEnabled") == nil && str(r, "kmsMasterKeyId") == "", "no server-side encryption declared")
		}},
	{ID: "DataFirehose.1", Title: "Firehose delivery streams are encrypted at rest", Severity: Medium, Types: []string{tFirehose},
		Fix: "set serverSideEncryption.enabled true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "serverSideEncryption.enabled"), "serverSideEncryption is off")
		}},
	{ID: "CloudWatch.16", Title: "CloudWatch log groups are retained for at least 365 days", Severity: Medium, Types: []string{tLogGroup},
		Fix: "set the component's logRetentionDays to 365 or more",
		Check: func(_ *Stack, r *plan.Resource) []string {
			days := num(r, "retentionInDays")
			return onlyIf(days > 0 && days < 365, fmt.Sprintf("retentionInDays is %g", days))
		}},
	{ID: "PP.LOG.1", Title: "CloudWatch log groups expire", Severity: Medium, Types: []string{tLogGroup},
		Fix: "set retentionInDays; never-expire logs grow cost and keep personal data without end",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(num(r, "retentionInDays") <= 0, "no retentionInDays: logs never expire")
		}},
}
