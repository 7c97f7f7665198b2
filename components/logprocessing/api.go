package logprocessing

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/internal/secret"
	"github.com/pushplatform/pushplatform/components/service"
)

// APIPort is the Push Messages API's port (upstream's).
const APIPort = 8000

// newAPI is the Push Messages API on the building block, behind the ALB
// (and CloudFront) at APIPaths, with a generated bearer token.
func (l *LogProcessing) newAPI(ctx *pulumi.Context, name string, args *Args, opts pulumi.ResourceOption) error {
	c, stores := args.Cluster, args.Stores
	token, err := secret.NewGenerated(ctx, name+"-api-token", secret.GeneratedArgs{
		NamePrefix:  fmt.Sprintf("%s/%s/push-messages-api-token-", ctx.Project(), ctx.Stack()),
		Description: `Bearer token of the Push Messages API: {"token": "<token>"}`,
		Length:      40,
		Fields:      func(v string) map[string]string { return map[string]string{"token": v} },
		Protect:     args.Protect,
	}, opts)
	if err != nil {
		return err
	}
	arch, platform := service.ArchARM64, "linux/arm64"
	if c.Spot {
		arch, platform = service.ArchX8664, "linux/amd64"
	}
	repo, err := artifact.NewRepository(ctx, name+"-pushmessages", "pushmessages", args.Artifacts.Protect, opts)
	if err != nil {
		return err
	}
	image, err := artifact.Image(ctx, name+"-pushmessages-image", artifact.ImageArgs{
		App: "pushmessages", Repository: repo, Build: artifact.GoApp("pushmessages", platform), Artifacts: args.Artifacts,
	}, opts)
	if err != nil {
		return err
	}
	cache, table := stores.Cache, stores.Tables.PushMessages
	api, err := service.New(ctx, name+"-api", &service.Args{
		Cluster: c, Image: image, RepositoryArn: repo.Arn, Architecture: arch, Sizing: args.API,
		Port:        APIPort,
		HealthCheck: []string{"CMD", "/app", "-healthcheck"},
		Environment: map[string]pulumi.StringInput{
			"HTTP_PORT": pulumi.String(fmt.Sprint(APIPort)), "AWS_REGION": pulumi.String(c.Region),
			"REDIS_HOST": cache.PrimaryAddress, "REDIS_PORT": pulumi.String(fmt.Sprint(cache.Port)), "REDIS_TLS": pulumi.String("true"),
			"PUSH_MESSAGES_TABLE": table.Name,
		},
		Secrets: []service.Secret{
			{Name: "REDIS_PASSWORD", SecretArn: cache.AuthSecretArn, Key: datastores.AuthTokenKey},
			{Name: "API_TOKEN", SecretArn: token.Arn, Key: "token"},
		},
		TaskPolicy: []policy.Statement{datastores.TableRead(table)},
		ALB:        &service.ALBRoute{PathPatterns: APIPaths, Priority: 80, HealthCheckPath: "/__lbheartbeat__"},
		After:      []pulumi.Resource{token.Version},
	}, opts)
	if err != nil {
		return err
	}
	l.API = api
	if err := stores.AllowCache(ctx, api.SecurityGroup, "Push Messages API reads message lists"); err != nil {
		return err
	}
	return c.Network.AllowDynamoDB(ctx, api.SecurityGroup, "DynamoDB through its gateway endpoint: push message history")
}
