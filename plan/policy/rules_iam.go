package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// starResourceActions are the actions of the program's policies that
// support no resource-level permission, so Resource "*" is the narrowest
// possible (Service Authorization Reference: each lists no resource type).
var starResourceActions = []string{
	"ecr:GetAuthorizationToken",
	"cloudwatch:PutMetricData", // narrowed by a cloudwatch:namespace condition instead
	"dynamodb:ListTables",
	"ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
	"ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
	"logs:DescribeLogGroups",
}

var iamRules = []Rule{
	{ID: "IAM.1", Title: "IAM policies do not allow full \"*\" administrative privileges", Severity: High, Types: []string{tRolePolicy},
		Fix: "grant the actions and resources the role needs",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return eachAllow(r, func(st plan.PolicyStatement) string {
				if slices.Contains(st.Action, "*") && slices.Contains(st.Resource, "*") {
					return "allows * on *"
				}
				return ""
			})
		}},
	{ID: "IAM.21", Title: "IAM policies do not allow wildcard actions for services", Severity: Low, Types: []string{tRolePolicy},
		Fix: "list the service's actions instead of service:*",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return eachAllow(r, func(st plan.PolicyStatement) string {
				for _, a := range st.Action {
					if a == "*" || strings.HasSuffix(a, ":*") {
						return fmt.Sprintf("allows %s", a)
					}
				}
				return ""
			})
		}},
	{ID: "PP.IAM.1", Title: "IAM policies name resources wherever the action supports it", Severity: Medium, Types: []string{tRolePolicy},
		Fix: "replace Resource \"*\" with the ARNs; only actions without resource-level permissions may keep *",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return eachAllow(r, func(st plan.PolicyStatement) string {
				if !slices.Contains(st.Resource, "*") {
					return ""
				}
				var wide []string
				for _, a := range st.Action {
					if !slices.Contains(starResourceActions, a) {
						wide = append(wide, a)
					}
				}
				if len(wide) > 0 {
					return fmt.Sprintf("%v on Resource *", wide)
				}
				return ""
			})
		}},
	{ID: "PP.IAM.2", Title: "Roles that AWS services assume are bound to this account", Severity: Medium, Types: []string{tRole},
		Fix: "add an aws:SourceAccount (or sts:ExternalId) condition to the trust policy of ecs-tasks/firehose roles",
		Check: func(_ *Stack, r *plan.Resource) []string {
			doc, err := plan.ParsePolicy(r.InputString("assumeRolePolicy"))
			if err != nil {
				return []string{"trust policy is not valid JSON"}
			}
			var out []string
			for _, st := range doc.Statement {
				for _, svc := range st.Principal["Service"] {
					// Confused-deputy protection as the ECS and Firehose guides
					// recommend; Lambda and EC2 roles are assumed by the service
					// on this account's behalf only.
					if (svc == "ecs-tasks.amazonaws.com" || svc == "firehose.amazonaws.com") && len(st.Condition) == 0 {
						out = append(out, fmt.Sprintf("%s may assume it with no source condition", svc))
					}
				}
				if slices.Contains(st.Principal["AWS"], "*") || slices.Contains(st.Principal["*"], "*") {
					out = append(out, "anyone may assume it")
				}
			}
			return out
		}},
}

// eachAllow applies check to every Allow statement of a role policy.
func eachAllow(r *plan.Resource, check func(plan.PolicyStatement) string) []string {
	doc, err := plan.ParsePolicy(r.InputString("policy"))
	if err != nil {
		return []string{"policy is not valid JSON"}
	}
	var out []string
	for _, st := range doc.Statement {
		if st.Effect != "Allow" {
			continue
		}
		if p := check(st); p != "" {
			out = append(out, fmt.Sprintf("statement %q: %s", st.Sid, p))
		}
	}
	return out
}
