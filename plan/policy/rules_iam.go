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
	// FIS experiment logging and target resolution (FIS user guide,
	// "Experiment logging permissions"; Resource Groups Tagging API).
	"logs:CreateLogDelivery", "logs:DescribeResourcePolicies", "logs:PutResourcePolicy",
	"tag:GetResources",
}

// wildcardOK reports an action that may take a type-wide resource: every
// Describe/List/Get* read-only call of EC2 (none supports resource-level
// permissions) and the listed ones.
// scopingKeys are condition keys that narrow which resources a statement
// reaches; a condition on anything else (aws:SecureTransport, a source IP)
// leaves a wildcard resource as wide as it was.
var scopingKeys = []string{"ec2:Vpc", "ec2:CreateAction", "ecs:cluster", "cloudwatch:namespace"}

func scopedByCondition(st plan.PolicyStatement) bool {
	for _, vars := range st.Condition {
		for k := range vars {
			if slices.Contains(scopingKeys, k) || strings.HasPrefix(k, "aws:ResourceTag/") || strings.HasPrefix(k, "aws:RequestTag/") ||
				strings.HasPrefix(k, "ec2:ResourceTag/") {
				return true
			}
		}
	}
	return false
}

func wildcardOK(action string) bool {
	return slices.Contains(starResourceActions, action) || strings.HasPrefix(action, "ec2:Describe")
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
				var all []string
				for _, res := range st.Resource {
					if allOfAKind(res) {
						all = append(all, res)
					}
				}
				if len(all) == 0 {
					return ""
				}
				if scopedByCondition(st) {
					return "" // narrowed by a condition on the resource (a VPC, a tag, a cluster, a namespace)
				}
				var wide []string
				for _, a := range st.Action {
					if !wildcardOK(a) {
						wide = append(wide, a)
					}
				}
				if len(wide) > 0 {
					return fmt.Sprintf("%v on %v", wide, all)
				}
				return ""
			})
		}},
	{ID: "PP.IAM.2", Title: "Roles that AWS services assume are bound to this account", Severity: Medium, Types: []string{tRole},
		Fix: "add an aws:SourceAccount (or sts:ExternalId) condition to the trust policy of ecs-tasks/firehose roles",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return eachStatement(r, "assumeRolePolicy", "trust policy is not valid JSON", func(st plan.PolicyStatement) []string {
				var out []string
				for _, svc := range st.Principal["Service"] {
					// Confused-deputy protection as the ECS and Firehose guides
					// recommend; Lambda and EC2 roles are assumed by the service
					// on this account's behalf only.
					if (svc == "ecs-tasks.amazonaws.com" || svc == "firehose.amazonaws.com") && len(st.Condition) == 0 {
						out = append(out, fmt.Sprintf("%s may assume it with no source condition", svc))
					}
				}
				if anyPrincipal(st) {
					out = append(out, "anyone may assume it")
				}
				return out
			})
		}},
}

// eachAllow applies check to every Allow statement of a role policy.
func eachAllow(r *plan.Resource, check func(plan.PolicyStatement) string) []string {
	return eachStatement(r, "policy", "policy is not valid JSON", func(st plan.PolicyStatement) []string {
		if st.Effect != "Allow" {
			return nil
		}
		if p := check(st); p != "" {
			return []string{fmt.Sprintf("statement %q: %s", st.Sid, p)}
		}
		return nil
	})
}

// allOfAKind reports a resource that names no resource at all: "*", or an
// ARN whose resource part is "*" or "<type>/*" or "<type>:*"
// (arn:aws:s3:::*, ...:table/*, ...:log-group:*). A named parent with a
// wildcard below it (a bucket's objects, a table's indexes) is narrow.
func allOfAKind(res string) bool {
	if res == "*" {
		return true
	}
	parts := strings.SplitN(res, ":", 6)
	if len(parts) < 6 {
		return false
	}
	rest := parts[5]
	if rest == "*" {
		return true
	}
	if parts[2] == "s3" {
		return strings.HasPrefix(rest, "*") // arn:aws:s3:::<bucket>[/<key>]: a named bucket is narrow
	}
	for _, sep := range []string{"/", ":"} {
		if typ, name, ok := strings.Cut(rest, sep); ok && typ != "" && name == "*" {
			return true
		}
	}
	return false
}
