package producerconsumer

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/internal/safety"
	"github.com/pushplatform/pushplatform/components/network"
)

// AppUser is the MySQL user the services connect as: SELECT and INSERT on
// the count table, nothing else. The migration creates it.
const AppUser = "app"

// appUserSecret holds the application user's credentials (JSON keys
// username and password). The program generates the password; it is stored
// only in state (as a secret) and in Secrets Manager.
func (p *ProducerConsumer) appUserSecret(ctx *pulumi.Context, name string, protect bool, opts []pulumi.ResourceOption) (*secretsmanager.Secret, error) {
	stateful := safety.Stateful(protect, opts...)
	password, err := random.NewRandomPassword(ctx, name+"-db-app", &random.RandomPasswordArgs{
		Length: pulumi.Int(40), Special: pulumi.Bool(false),
	}, stateful...)
	if err != nil {
		return nil, fmt.Errorf("generate app db password: %w", err)
	}
	secret, err := secretsmanager.NewSecret(ctx, name+"-db-app", &secretsmanager.SecretArgs{
		NamePrefix:           pulumi.String("pushplatform/" + ctx.Stack() + "/db-app-"),
		Description:          pulumi.String("MySQL application user (JSON keys username, password)"),
		RecoveryWindowInDays: pulumi.Int(map[bool]int{true: 30, false: 0}[protect]),
		Tags:                 pulumi.StringMap{"Name": pulumi.String(name + "-db-app")},
	}, stateful...)
	if err != nil {
		return nil, fmt.Errorf("create app db secret: %w", err)
	}
	value := password.Result.ApplyT(func(pw string) (string, error) {
		b, err := json.Marshal(map[string]string{"username": AppUser, "password": pw})
		return string(b), err
	}).(pulumi.StringOutput)
	if _, err := secretsmanager.NewSecretVersion(ctx, name+"-db-app", &secretsmanager.SecretVersionArgs{
		SecretId:     secret.ID(),
		SecretString: pulumi.ToSecret(value).(pulumi.StringOutput),
	}, stateful...); err != nil {
		return nil, fmt.Errorf("store app db secret: %w", err)
	}
	return secret, nil
}

// migrationEvent is what the migrate function receives: where the database
// is and which secrets hold the credentials, never a credential itself.
type migrationEvent struct {
	MasterSecretArn string `json:"masterSecretArn"`
	AppSecretArn    string `json:"appSecretArn"`
	Host            string `json:"host"`
	Port            int    `json:"port"`
	Database        string `json:"database"`
}

// newMigration creates the schema-migration function in the private subnets
// and invokes it on every deploy whose package or target changed: it
// creates the table and the application user with the password from the
// app secret. Only this function reads the master secret.
func (p *ProducerConsumer) newMigration(ctx *pulumi.Context, name string, args *Args, appSecret *secretsmanager.Secret, opts []pulumi.ResourceOption) error {
	stores, net := args.Stores, args.Cluster.Network
	pkg, err := artifact.LambdaZip(ctx, "migrate", args.Config.Artifacts, args.Config.Artifacts.MigrateZip)
	if err != nil {
		return err
	}

	sg, err := network.NewSecurityGroup(ctx, name+"-migrate", &network.SecurityGroupArgs{
		VpcID:       net.VpcID,
		Description: "Schema migration function",
	}, opts...)
	if err != nil {
		return err
	}
	if err := stores.AllowMySQL(ctx, sg, "Schema migration to MySQL"); err != nil {
		return err
	}
	if err := sg.AllowToInternet(ctx, 443, "Secrets Manager through NAT"); err != nil {
		return err
	}

	logs, err := cloudwatch.NewLogGroup(ctx, name+"-migrate", &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.String(fmt.Sprintf("/pushplatform/%s/migrate-", ctx.Stack())),
		RetentionInDays: pulumi.Int(args.Cluster.LogRetentionDays),
		Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-migrate")},
	}, opts...)
	if err != nil {
		return fmt.Errorf("create migrate log group: %w", err)
	}

	role, err := iam.NewRole(ctx, name+"-migrate", &iam.RoleArgs{
		Description:      pulumi.String("Schema migration function"),
		AssumeRolePolicy: policy.TrustedBy(ctx, p, "lambda.amazonaws.com", net.AccountID),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name + "-migrate")},
	}, opts...)
	if err != nil {
		return fmt.Errorf("create migrate role: %w", err)
	}
	// The network interfaces a function in a VPC needs (AWS managed policy).
	vpcAccess, err := iam.NewRolePolicyAttachment(ctx, name+"-migrate-vpc", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole", net.Partition),
	}, opts...)
	if err != nil {
		return fmt.Errorf("attach vpc access: %w", err)
	}
	grants, err := iam.NewRolePolicy(ctx, name+"-migrate", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: policy.Document(ctx, p,
			policy.Statement{Sid: "WriteOwnLogs", Actions: []string{"logs:CreateLogStream", "logs:PutLogEvents"}, Resources: pulumi.StringArray{pulumi.Sprintf("%s:*", logs.Arn)}},
			datastores.SecretRead(stores.MySQL.MasterSecretArn),
			datastores.SecretRead(appSecret.Arn),
		),
	}, opts...)
	if err != nil {
		return fmt.Errorf("grant migrate role: %w", err)
	}

	fn, err := lambda.NewFunction(ctx, name+"-migrate", &lambda.FunctionArgs{
		Description:    pulumi.String("Creates the count table and the least-privilege app user"),
		Role:           role.Arn,
		Runtime:        lambda.RuntimeCustomAL2023,
		Handler:        pulumi.String("bootstrap"),
		Architectures:  pulumi.StringArray{pulumi.String("arm64")},
		Code:           pkg.Archive,
		SourceCodeHash: pulumi.String(pkg.SHA256),
		MemorySize:     pulumi.Int(256),
		Timeout:        pulumi.Int(120),
		VpcConfig: &lambda.FunctionVpcConfigArgs{
			SubnetIds:        net.PrivateSubnetIDs,
			SecurityGroupIds: pulumi.StringArray{sg.ID},
		},
		LoggingConfig: &lambda.FunctionLoggingConfigArgs{LogFormat: pulumi.String("JSON"), LogGroup: logs.Name},
		Tags:          pulumi.StringMap{"Name": pulumi.String(name + "-migrate")},
	}, append(opts, pulumi.DependsOn([]pulumi.Resource{vpcAccess, grants}))...)
	if err != nil {
		return fmt.Errorf("create migrate function: %w", err)
	}

	event := pulumi.All(stores.MySQL.MasterSecretArn, appSecret.Arn, stores.MySQL.Address, stores.MySQL.Port).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(migrationEvent{
			MasterSecretArn: v[0].(string), AppSecretArn: v[1].(string),
			Host: v[2].(string), Port: v[3].(int), Database: stores.MySQL.DatabaseName,
		})
		return string(b), err
	}).(pulumi.StringOutput)
	if _, err := lambda.NewInvocation(ctx, name+"-migrate", &lambda.InvocationArgs{
		FunctionName: fn.Name,
		Input:        event,
		// Run again when the migration code or the secrets change.
		Triggers: pulumi.StringMap{"package": pulumi.String(pkg.SHA256), "appSecret": appSecret.Arn},
	}, opts...); err != nil {
		return fmt.Errorf("invoke migration: %w", err)
	}
	return nil
}
