package policy

import (
	"fmt"

	"github.com/pushplatform/pushplatform/plan"
)

// tExperiment is the FIS experiment template the chaos rules read.
const tExperiment = "aws:fis/experimentTemplate:ExperimentTemplate"

// chaosRules are the project's: an experiment run in production must stop
// by itself when users are being failed (the FIS user guide's stop
// conditions: a CloudWatch alarm, or "none"), and must leave a record of
// what it did (experiment logging).
var chaosRules = []Rule{
	{ID: "PP.FIS.1", Title: "FIS experiment templates stop on CloudWatch alarms", Severity: High, Types: []string{tExperiment},
		Fix: "give the template stop conditions of source aws:cloudwatch:alarm with the alarms' ARNs (the chaos component takes the user-facing alarms)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			conds, _ := r.Input("stopConditions").([]any)
			if len(conds) == 0 {
				return []string{"no stop condition"}
			}
			var out []string
			for i, c := range conds {
				m, _ := c.(map[string]any)
				if m["source"] != "aws:cloudwatch:alarm" || m["value"] == nil || m["value"] == "" {
					out = append(out, fmt.Sprintf("stop condition %d is %v, not an alarm", i, m["source"]))
				}
			}
			return out
		}},
	{ID: "PP.FIS.2", Title: "FIS experiment templates log their experiments", Severity: Medium, Types: []string{tExperiment},
		Fix: "set logConfiguration with logSchemaVersion 2 and a CloudWatch Logs group (or an S3 bucket)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			cw, _ := get(r, "logConfiguration.cloudwatchLogsConfiguration").(map[string]any)
			s3, _ := get(r, "logConfiguration.s3Configuration").(map[string]any)
			return onlyIf(cw["logGroupArn"] == nil && s3["bucketName"] == nil, "experiments are not logged")
		}},
}
