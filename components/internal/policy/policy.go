// Package policy builds IAM policy documents from typed statements through
// the provider's iam.getPolicyDocument, a local rendering that makes no AWS
// call, so every policy is valid JSON built in one way and tests can read the
// exact actions and resources. No hand-concatenated JSON anywhere.
package policy

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Statement is one policy statement; Allow unless Deny is set.
type Statement struct {
	Sid        string
	Deny       bool
	Actions    []string
	Resources  pulumi.StringArrayInput
	Principals []Principal
	Conditions []Condition
}

// Principal is a principal of a resource or trust policy.
type Principal struct {
	Type        string // "Service", "AWS", ...
	Identifiers []string
}

// Condition is one condition block entry.
type Condition struct {
	Test     string // StringEquals, ArnLike, Bool, ...
	Variable string // aws:SourceAccount, aws:SecureTransport, ...
	Values   pulumi.StringArrayInput
}

// Document renders the statements as a policy JSON string.
func Document(ctx *pulumi.Context, parent pulumi.Resource, statements ...Statement) pulumi.StringOutput {
	args := make(iam.GetPolicyDocumentStatementArray, 0, len(statements))
	for _, s := range statements {
		effect := "Allow"
		if s.Deny {
			effect = "Deny"
		}
		st := iam.GetPolicyDocumentStatementArgs{
			Effect:    pulumi.String(effect),
			Actions:   pulumi.ToStringArray(s.Actions),
			Resources: s.Resources,
		}
		if s.Sid != "" {
			st.Sid = pulumi.String(s.Sid)
		}
		if len(s.Principals) > 0 {
			principals := make(iam.GetPolicyDocumentStatementPrincipalArray, 0, len(s.Principals))
			for _, p := range s.Principals {
				principals = append(principals, iam.GetPolicyDocumentStatementPrincipalArgs{
					Type:        pulumi.String(p.Type),
					Identifiers: pulumi.ToStringArray(p.Identifiers),
				})
			}
			st.Principals = principals
		}
		if len(s.Conditions) > 0 {
			conditions := make(iam.GetPolicyDocumentStatementConditionArray, 0, len(s.Conditions))
			for _, c := range s.Conditions {
				conditions = append(conditions, iam.GetPolicyDocumentStatementConditionArgs{
					Test:     pulumi.String(c.Test),
					Variable: pulumi.String(c.Variable),
					Values:   c.Values,
				})
			}
			st.Conditions = conditions
		}
		args = append(args, st)
	}
	var opts []pulumi.InvokeOption
	if parent != nil {
		opts = append(opts, pulumi.Parent(parent))
	}
	return iam.GetPolicyDocumentOutput(ctx, iam.GetPolicyDocumentOutputArgs{Statements: args}, opts...).Json()
}

// TrustedBy is the trust policy of a role an AWS service assumes on behalf
// of this account only (aws:SourceAccount, the confused-deputy guard), plus
// any further conditions.
func TrustedBy(ctx *pulumi.Context, parent pulumi.Resource, service string, account pulumi.StringInput, more ...Condition) pulumi.StringOutput {
	conditions := append([]Condition{{Test: "StringEquals", Variable: "aws:SourceAccount", Values: pulumi.StringArray{account}}}, more...)
	return Document(ctx, parent, AssumeRoleBy(service, conditions...))
}

// AssumeRoleBy is the trust statement letting an AWS service assume a role,
// with the given confused-deputy conditions.
func AssumeRoleBy(service string, conditions ...Condition) Statement {
	return Statement{
		Actions:    []string{"sts:AssumeRole"},
		Principals: []Principal{{Type: "Service", Identifiers: []string{service}}},
		Conditions: conditions,
	}
}

// TrustedByLambda is the trust policy of a Lambda function's execution
// role. Unlike TrustedBy it carries no aws:SourceAccount condition: AWS
// documents that condition for roles ECS tasks, VPC flow logs and RDS
// enhanced monitoring assume, but the Lambda developer guide's execution
// role trusts lambda.amazonaws.com with no condition, and no AWS page says
// Lambda sets the key when it assumes the role. A condition Lambda does not
// satisfy would make the function impossible to create.
func TrustedByLambda(ctx *pulumi.Context, parent pulumi.Resource) pulumi.StringOutput {
	return Document(ctx, parent, AssumeRoleBy("lambda.amazonaws.com"))
}
