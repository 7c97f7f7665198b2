package policy

import (
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// Types the alarm rules read.
const (
	tTopic = "aws:sns/topic:Topic"
	tAlarm = "aws:cloudwatch/metricAlarm:MetricAlarm"
)

// alarmRules cover the alarm topic and the alarms. SNS.1 is Security Hub's
// (Security Hub user guide, sns-controls; AWS Config rule
// sns-encrypted-kms): retired from the Foundational Security Best
// Practices standard in April 2024 but still in NIST SP 800-53 Rev. 5. The
// PP rules are the project's: an alarm nobody hears is no alarm, and a
// topic under the AWS-managed alias/aws/sns silently drops every alarm
// (CloudWatch may not use that key; AWS re:Post,
// cloudwatch-configure-alarm-sns).
var alarmRules = []Rule{
	{ID: "SNS.1", Title: "SNS topics are encrypted at rest using AWS KMS", Severity: Medium, Types: []string{tTopic},
		Fix: "set kmsMasterKeyId (the observability component gives the alarm topic its own key)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "kmsMasterKeyId") == "", "no kmsMasterKeyId: SNS's default disk encryption only")
		}},
	{ID: "CloudWatch.15", Title: "CloudWatch alarms have specified actions configured (on alarm and, stricter than Security Hub's default, on OK)", Severity: High, Types: []string{tAlarm},
		Fix: "set alarmActions and okActions to the alarm topic",
		Check: func(_ *Stack, r *plan.Resource) []string {
			var out []string
			for _, k := range []string{"alarmActions", "okActions"} {
				if len(strings_(r.Input(k))) == 0 {
					out = append(out, k+" is empty")
				}
			}
			return out
		}},
	{ID: "PP.ALARM.2", Title: "Alarm topics use a key CloudWatch may use (not alias/aws/sns)", Severity: High, Types: []string{tTopic},
		Fix: "encrypt the topic with a customer-managed key whose policy lets cloudwatch.amazonaws.com call kms:Decrypt and kms:GenerateDataKey*",
		Check: func(s *Stack, r *plan.Resource) []string {
			// The alias by name or as an alias ARN (arn:...:alias/aws/sns).
			if !strings.HasSuffix(str(r, "kmsMasterKeyId"), "alias/aws/sns") {
				return nil
			}
			for _, a := range s.Res.OfType(tAlarm) {
				if slices.ContainsFunc(strings_(a.Input("alarmActions")), func(v string) bool { return refersTo(v, r) }) {
					return []string{"alarms publish here, but the topic is under the AWS-managed alias/aws/sns, which CloudWatch may not use: every notification fails"}
				}
			}
			return nil
		}},
}
