package service

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// newRoles creates the two roles of a task: the execution role, which ECS
// uses to pull the image, write the log group and inject the secrets, and
// the task role, which the application uses and which gets exactly what the
// caller grants. Keeping them apart means the application can never read
// the secrets' sources or pull images.
func (s *Service) newRoles(ctx *pulumi.Context, name string, args *Args, logGroupArn pulumi.StringOutput, opts []pulumi.ResourceOption) (exec, task *iam.Role, err error) {
	net := args.Cluster.Network
	trust := policy.TrustedBy(ctx, s, "ecs-tasks.amazonaws.com", net.AccountID)

	exec, err = iam.NewRole(ctx, name+"-execution", &iam.RoleArgs{
		Description:      pulumi.String("ECS agent for " + name + ": image pull, logs, secrets"),
		AssumeRolePolicy: trust,
		Tags:             pulumi.StringMap{"Name": pulumi.String(name + "-execution")},
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("create execution role: %w", err)
	}
	statements := []policy.Statement{{
		Sid:       "WriteOwnLogs",
		Actions:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resources: pulumi.StringArray{pulumi.Sprintf("%s:*", logGroupArn)},
	}}
	if args.RepositoryArn != nil {
		statements = append(statements,
			// GetAuthorizationToken has no resource-level permissions.
			policy.Statement{Sid: "EcrLogin", Actions: []string{"ecr:GetAuthorizationToken"}, Resources: pulumi.StringArray{pulumi.String("*")}},
			policy.Statement{
				Sid:       "PullOwnImage",
				Actions:   []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
				Resources: pulumi.StringArray{args.RepositoryArn},
			})
	}
	if len(args.Secrets) > 0 {
		arns := pulumi.StringArray{}
		seen := map[pulumi.StringInput]bool{}
		for _, sec := range args.Secrets {
			if !seen[sec.SecretArn] {
				seen[sec.SecretArn] = true
				arns = append(arns, sec.SecretArn)
			}
		}
		statements = append(statements, policy.Statement{Sid: "ReadOwnSecrets", Actions: []string{"secretsmanager:GetSecretValue"}, Resources: arns})
	}
	if _, err := iam.NewRolePolicy(ctx, name+"-execution", &iam.RolePolicyArgs{
		Role:   exec.Name,
		Policy: policy.Document(ctx, s, statements...),
	}, opts...); err != nil {
		return nil, nil, fmt.Errorf("grant execution role: %w", err)
	}

	task, err = iam.NewRole(ctx, name+"-task", &iam.RoleArgs{
		Description:      pulumi.String("Application role of " + name),
		AssumeRolePolicy: trust,
		Tags:             pulumi.StringMap{"Name": pulumi.String(name + "-task")},
	}, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("create task role: %w", err)
	}
	if len(args.TaskPolicy) > 0 {
		if _, err := iam.NewRolePolicy(ctx, name+"-task", &iam.RolePolicyArgs{
			Role:   task.Name,
			Policy: policy.Document(ctx, s, args.TaskPolicy...),
		}, opts...); err != nil {
			return nil, nil, fmt.Errorf("grant task role: %w", err)
		}
	}
	return exec, task, nil
}
