package diagram

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// grants links each node holding an IAM role to the nodes the role's
// inline policies grant actions on: a table's dynamodb actions, a
// stream's firehose:PutRecordBatch, a bucket's objects. A role is held by
// the nodes whose inputs name its ARN: a function's role, a stream's
// roleArn, and an ECS service through its task definition's taskRoleArn.
// Grants on "*" name no resource and draw nothing.
func (b *builder) grants() {
	for _, pol := range b.ofType("aws:iam/rolePolicy:RolePolicy") {
		roles := b.byOutput("aws:iam/role:Role", "name", pol.InputString("role"))
		if len(roles) == 0 {
			continue
		}
		arn, ok := roles[0].Outputs["arn"]
		if !ok || !arn.IsString() {
			continue
		}
		holders := b.holders(arn.StringValue())
		if len(holders) == 0 {
			continue
		}
		doc, err := plan.ParsePolicy(pol.InputString("policy"))
		if err != nil {
			continue
		}
		for _, s := range doc.Statement {
			if s.Effect != "Allow" {
				continue
			}
			for _, ref := range s.Resource {
				target := b.arnPrefix(ref)
				if target == nil {
					continue
				}
				for _, h := range holders {
					if h != b.nodeOf[target] {
						b.link(h, b.nodeOf[target], EdgeIAM, actionsLabel(s.Action), "role policy "+pol.Name)
					}
				}
			}
		}
	}
}

// holders lists the nodes that act with a role.
func (b *builder) holders(roleARN string) []string {
	var out []string
	for _, r := range b.resources {
		node, ok := b.nodeOf[r]
		if !ok {
			continue
		}
		refs := inputStrings(r.PlainInputs())
		if r.Type == "aws:ecs/service:Service" {
			if td := b.byARN("aws:ecs/taskDefinition:TaskDefinition", r.InputString("taskDefinition")); td != nil {
				refs = append(refs, td.InputString("taskRoleArn"))
			}
		}
		if slices.Contains(refs, roleARN) {
			out = append(out, node)
		}
	}
	return out
}

// inputStrings lists every string anywhere in an input value.
func inputStrings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, inputStrings(e)...)
		}
		return out
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, inputStrings(e)...)
		}
		return out
	}
	return nil
}

// actionsLabel names up to three actions ("firehose:PutRecord,
// PutRecordBatch"); more are summed up by what they do ("dynamodb read,
// write: 7 actions").
func actionsLabel(actions []string) string {
	service := ""
	var names []string
	for _, a := range actions {
		svc, name, _ := strings.Cut(a, ":")
		if service == "" {
			service = svc
		} else if service != svc {
			service = "mixed"
		}
		names = append(names, name)
	}
	if len(names) <= 3 {
		return service + ":" + strings.Join(names, ", ")
	}
	var does []string
	for _, n := range names {
		what := "other"
		switch {
		case hasAnyPrefix(n, "Get", "Query", "Scan", "BatchGet", "Describe", "List"):
			what = "read"
		case hasAnyPrefix(n, "Put", "Update", "Delete", "BatchWrite", "Send", "Abort", "Create"):
			what = "write"
		}
		if !slices.Contains(does, what) {
			does = append(does, what)
		}
	}
	return fmt.Sprintf("%s %s: %d actions", service, strings.Join(does, ", "), len(names))
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
