package producerconsumer

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lambda"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/function"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/internal/secret"
	"github.com/pushplatform/pushplatform/internal/migrate"
)

// AppUser is the MySQL user the services connect as: SELECT and INSERT on
// the count table, nothing else. The migration creates it.
const AppUser = "app"

// newAppUserSecret holds the application user's credentials (JSON keys
// username and password). The program generates the password; it is
// stored only in state (as a secret) and in Secrets Manager.
func newAppUserSecret(ctx *pulumi.Context, name string, protect bool, opts []pulumi.ResourceOption) (*secret.Generated, error) {
	return secret.NewGenerated(ctx, name+"-db-app", secret.GeneratedArgs{
		NamePrefix:  "pushplatform/" + ctx.Stack() + "/db-app-",
		Description: "MySQL application user (JSON keys username, password)",
		Length:      40,
		Fields:      func(v string) map[string]string { return map[string]string{"username": AppUser, "password": v} },
		Protect:     protect,
	}, opts...)
}

// newMigration creates the schema-migration function in the private subnets
// and invokes it on every deploy whose package, target or app password
// changed: it creates the table and the application user with the password
// from the app secret. Only this function reads the master secret.
func (p *ProducerConsumer) newMigration(ctx *pulumi.Context, name string, args *Args, appSecret *secret.Generated, opts []pulumi.ResourceOption) (pulumi.Resource, error) {
	stores, net := args.Stores, args.Cluster.Network
	pkg, err := artifact.LambdaZip(ctx, "migrate", args.Artifacts)
	if err != nil {
		return nil, err
	}

	fnArgs := function.Args{
		App: "migrate", Description: "Schema migration function", Package: pkg, Network: net,
		LogRetentionDays: args.Cluster.LogRetentionDays, MemoryMiB: 256, TimeoutSeconds: 120, Owner: p,
		Statements: []policy.Statement{datastores.SecretRead(stores.MySQL.MasterSecretArn), datastores.SecretRead(appSecret.Arn)},
	}
	sg, err := function.NewSecurityGroup(ctx, name+"-migrate", fnArgs, opts...)
	if err != nil {
		return nil, err
	}
	if err := stores.AllowMySQL(ctx, sg, "Schema migration to MySQL"); err != nil {
		return nil, err
	}
	if err := net.AllowAWSAPIs(ctx, sg, "Secrets Manager"); err != nil {
		return nil, err
	}
	fn, err := function.New(ctx, name+"-migrate", sg, fnArgs, opts...)
	if err != nil {
		return nil, err
	}

	event := pulumi.All(stores.MySQL.MasterSecretArn, appSecret.Arn, stores.MySQL.Address, stores.MySQL.Port).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(migrate.Event{
			MasterSecretArn: v[0].(string), AppSecretArn: v[1].(string),
			Host: v[2].(string), Port: v[3].(int), Database: stores.MySQL.DatabaseName,
		})
		return string(b), err
	}).(pulumi.StringOutput)
	// The function must find the password in the app secret and reach MySQL
	// the moment it runs: it waits for the secret version and for every
	// rule of its security group (into MySQL, out to AWS APIs), not only
	// for the ARNs its event names.
	waitFor := append([]pulumi.Resource{appSecret.Version}, sg.Rules()...)
	inv, err := lambda.NewInvocation(ctx, name+"-migrate", &lambda.InvocationArgs{
		FunctionName: fn.Name,
		Input:        event,
		// Run again when the migration code, the secret or the password
		// (a new secret version) changes.
		Triggers: pulumi.StringMap{"package": pulumi.String(pkg.SHA256), "appSecret": appSecret.Arn, "appSecretVersion": appSecret.Version.VersionId},
	}, append(opts, pulumi.DependsOn(waitFor))...)
	if err != nil {
		return nil, fmt.Errorf("invoke migration: %w", err)
	}
	return inv, nil
}
