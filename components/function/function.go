// Package function is the one building block for the platform's Lambda
// functions in the VPC (the schema migration, the push processor): a
// security group, a log group, a role that may write that log group, run
// in the VPC and do exactly the caller's statements, and the function on
// arm64 provided.al2023. It registers no component of its own, so the
// resources keep their names and parents under the caller's component.
package function

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/network"
)

// Args describe one function.
type Args struct {
	// App names the function's log group (/pushplatform/<stack>/<app>-).
	App string
	// Description says what it does (the group's and the function's).
	Description string
	Package     *artifact.Package
	Network     *network.Network
	// LogRetentionDays of its log group.
	LogRetentionDays int
	// Statements are what the function itself may do.
	Statements []policy.Statement
	// MemoryMiB and TimeoutSeconds size it.
	MemoryMiB, TimeoutSeconds int
	// ReservedConcurrency caps concurrent runs; 0 leaves it unreserved.
	ReservedConcurrency int
	Environment         pulumi.StringMap
	// Owner is the component the policy documents are rendered under.
	Owner pulumi.Resource
}

// Function is the created function and what callers wire to it.
type Function struct {
	*lambda.Function
	SecurityGroup *network.SecurityGroup
	Role          *iam.Role
	LogGroup      *cloudwatch.LogGroup
}

// NewSecurityGroup makes the function's closed group first, so the
// caller can open its paths before the function exists.
func NewSecurityGroup(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*network.SecurityGroup, error) {
	return network.NewSecurityGroup(ctx, name, &network.SecurityGroupArgs{VpcID: args.Network.VpcID, Description: args.Description}, opts...)
}

// New creates the log group, the role and the function in the private
// subnets with the group sg.
func New(ctx *pulumi.Context, name string, sg *network.SecurityGroup, args Args, opts ...pulumi.ResourceOption) (*Function, error) {
	net := args.Network
	logs, err := cloudwatch.NewLogGroup(ctx, name, &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.String(fmt.Sprintf("/pushplatform/%s/%s-", ctx.Stack(), args.App)),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
		Tags:            pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create %s log group: %w", name, err)
	}
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		Description:      pulumi.String(args.Description),
		AssumeRolePolicy: policy.TrustedByLambda(ctx, args.Owner),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create %s role: %w", name, err)
	}
	vpcAccess, err := iam.NewRolePolicyAttachment(ctx, name+"-vpc", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", net.Partition),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("attach vpc access to %s: %w", name, err)
	}
	statements := append([]policy.Statement{{
		Sid: "WriteOwnLogs", Actions: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		Resources: pulumi.StringArray{pulumi.Sprintf("%s:*", logs.Arn)},
	}}, args.Statements...)
	grants, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: policy.Document(ctx, args.Owner, statements...),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("grant %s role: %w", name, err)
	}
	fnArgs := &lambda.FunctionArgs{
		Description:    pulumi.String(args.Description),
		Role:           role.Arn,
		Runtime:        lambda.RuntimeCustomAL2023,
		Handler:        pulumi.String("bootstrap"),
		Architectures:  pulumi.StringArray{pulumi.String("arm64")},
		Code:           args.Package.Archive,
		SourceCodeHash: pulumi.String(args.Package.SHA256),
		MemorySize:     pulumi.Int(args.MemoryMiB),
		Timeout:        pulumi.Int(args.TimeoutSeconds),
		VpcConfig: &lambda.FunctionVpcConfigArgs{
			SubnetIds:        net.PrivateSubnetIDs,
			SecurityGroupIds: pulumi.StringArray{sg.ID},
		},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("JSON"), LogGroup: logs.Name},
		Tags:          pulumi.StringMap{"Name": pulumi.String(name)},
	}
	if len(args.Environment) > 0 {
		fnArgs.Environment = &lambda.FunctionEnvironmentArgs{Variables: args.Environment}
	}
	if args.ReservedConcurrency > 0 {
		fnArgs.ReservedConcurrentExecutions = pulumi.Int(args.ReservedConcurrency)
	}
	fn, err := lambda.NewFunction(ctx, name, fnArgs, append(opts, pulumi.DependsOn([]pulumi.Resource{vpcAccess, grants}))...)
	if err != nil {
		return nil, fmt.Errorf("create %s function: %w", name, err)
	}
	return &Function{Function: fn, SecurityGroup: sg, Role: role, LogGroup: logs}, nil
}
