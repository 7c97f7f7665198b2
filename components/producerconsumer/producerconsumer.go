// Package producerconsumer is the first workload: a REST producer behind the
// ALB that enqueues counts to a Valkey stream, a consumer that writes them
// to MySQL without loss or duplicates, their image repositories, and the
// schema migration that runs on deploy.
package producerconsumer

import (
	"fmt"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/service"
	"github.com/pushplatform/pushplatform/config"
)

// ProducerConsumer is the producer/consumer system.
type ProducerConsumer struct {
	pulumi.ResourceState

	Producer *service.Service
	Consumer *service.Service
}

// Args wires the system to the platform.
type Args struct {
	// Producer and Consumer size the two services (services.producer,
	// services.consumer).
	Producer, Consumer config.Service
	// Artifacts says where the images and the migration package come from.
	Artifacts config.Artifacts
	// ProtectSecrets protects the app user's secret as the database whose
	// user it holds is protected (database.protect).
	ProtectSecrets bool
	Cluster        *cluster.Cluster
	Stores         *datastores.DataStores
	// SiteOrigins are the browser origins the site is served from (the
	// CloudFront distribution's): the only ones the API admits.
	SiteOrigins pulumi.StringArrayOutput
}

// Settings shared by the apps (names kept from the seed's env files).
const (
	ProducerPort = 5080
	QueueName    = "counts"
	// QueueMetricNamespace and QueueMetricName are the backlog metric the
	// consumer publishes and its autoscaling tracks.
	QueueMetricNamespace = "PushPlatform/Queue"
	QueueMetricName      = "Backlog"
	// ReplicaWaitMillis bounds the producer's WAIT for a replica; well
	// inside the 3 s a POST may take.
	ReplicaWaitMillis = 500
	// BacklogPerTask is the backlog autoscaling aims to keep per consumer.
	BacklogPerTask = 1000
	// RDSCABundle is where the images keep the RDS certificate bundle
	// (images/goapp/Dockerfile): RDS certificates chain to RDS's own CAs.
	RDSCABundle = "/etc/rds/global-bundle.pem"
	// APIPathPattern is the producer's route on the load balancer: the
	// path CloudFront sends there (the producer serves its routes under
	// /api as well as at the root).
	APIPathPattern = "/api/*"
)

// New creates the system.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*ProducerConsumer, error) {
	p := &ProducerConsumer{}
	if err := ctx.RegisterComponentResource("pushplatform:producerconsumer:ProducerConsumer", name, p, opts...); err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(p)}
	stores := args.Stores

	// Fargate Spot runs only X86_64; everything else runs on Graviton.
	arch, platform := service.ArchARM64, "linux/arm64"
	if args.Cluster.Spot {
		arch, platform = service.ArchX8664, "linux/amd64"
	}

	appSecret, err := newAppUserSecret(ctx, name, args.ProtectSecrets, child)
	if err != nil {
		return nil, err
	}
	migration, err := p.newMigration(ctx, name, args, appSecret, child)
	if err != nil {
		return nil, err
	}

	common := func(app string) (*service.Args, error) {
		repo, err := artifact.NewRepository(ctx, name+"-"+app, app, args.Artifacts.Protect, child...)
		if err != nil {
			return nil, err
		}
		image, err := artifact.Image(ctx, name+"-"+app+"-image", artifact.ImageArgs{
			App: app, Repository: repo, Build: artifact.GoApp(app, platform), Artifacts: args.Artifacts,
		}, child...)
		if err != nil {
			return nil, err
		}
		return &service.Args{
			// The tasks read and write the tables the migration creates.
			After:         []pulumi.Resource{migration},
			Cluster:       args.Cluster,
			Image:         image,
			RepositoryArn: repo.Arn,
			Architecture:  arch,
			HealthCheck:   []string{"CMD", "/app", "-healthcheck"},
			Environment: map[string]pulumi.StringInput{
				"REDIS_HOST":    stores.Cache.PrimaryAddress,
				"REDIS_PORT":    pulumi.String(fmt.Sprint(stores.Cache.Port)),
				"REDIS_QUEUE":   pulumi.String(QueueName),
				"REDIS_CLUSTER": pulumi.String("false"),
				"REDIS_TLS":     pulumi.String("true"),
				"DB_HOST":       stores.MySQL.Address,
				"DB_PORT":       pulumi.Sprintf("%d", stores.MySQL.Port),
				"DB_NAME":       pulumi.String(stores.MySQL.DatabaseName),
				"DB_TLS":        pulumi.String("true"),
				"DB_TLS_CA":     pulumi.String(RDSCABundle),
			},
			Secrets: []service.Secret{
				{Name: "REDIS_PASSWORD", SecretArn: stores.Cache.AuthSecretArn, Key: datastores.AuthTokenKey},
				{Name: "DB_USER", SecretArn: appSecret.Arn, Key: "username"},
				{Name: "DB_PASSWORD", SecretArn: appSecret.Arn, Key: "password"},
			},
		}, nil
	}

	prod, err := common("producer")
	if err != nil {
		return nil, err
	}
	prod.Sizing = args.Producer
	prod.Port = ProducerPort
	prod.Environment["HTTP_PORT"] = pulumi.String(fmt.Sprint(ProducerPort))
	// A count is answered 201 only once a replica holds it, where there is
	// one: ElastiCache replicates asynchronously and keeps no append-only
	// file on Multi-AZ groups, so a failover would lose what only the old
	// primary had. dev's single node has no replica to wait for.
	prod.Environment["REDIS_WAIT_REPLICAS"] = pulumi.String(fmt.Sprint(min(stores.Cache.Replicas, 1)))
	prod.Environment["REDIS_WAIT_TIMEOUT_MS"] = pulumi.String(fmt.Sprint(ReplicaWaitMillis))
	prod.ALB = &service.ALBRoute{PathPatterns: []string{APIPathPattern}, Priority: 100, HealthCheckPath: "/health"}
	// Same-origin calls from the site carry its origin (a POST always
	// does); no other page may call the API from a browser.
	prod.Environment["CORS_ALLOW_ORIGIN"] = args.SiteOrigins.ApplyT(func(o []string) string { return strings.Join(o, ",") }).(pulumi.StringOutput)
	// GET /api/documents/{key} signs links into the private documents
	// bucket with the task role, which may read that bucket and no other
	// (ListBucket included: without it S3 answers 403 for a missing key,
	// and the API could not tell "no such document" from a denied read).
	docs := stores.Buckets.Documents
	prod.Environment["DOCUMENTS_BUCKET"] = docs.Name
	prod.Environment["AWS_REGION"] = pulumi.String(args.Cluster.Region)
	prod.TaskPolicy = datastores.BucketRead(docs)
	prod.DiscoveryName = "producer"
	if p.Producer, err = service.New(ctx, name+"-producer", prod, child...); err != nil {
		return nil, err
	}

	cons, err := common("consumer")
	if err != nil {
		return nil, err
	}
	cons.Sizing = args.Consumer
	cons.Environment["QUEUE_METRIC_NAMESPACE"] = pulumi.String(QueueMetricNamespace)
	cons.Environment["QUEUE_METRIC_NAME"] = pulumi.String(QueueMetricName)
	cons.Environment["QUEUE_METRIC_STACK"] = pulumi.String(ctx.Stack())
	cons.TaskPolicy = []policy.Statement{{
		// PutMetricData has no resource-level permissions; the condition
		// confines it to the queue namespace.
		Sid:        "PublishQueueDepth",
		Actions:    []string{"cloudwatch:PutMetricData"},
		Resources:  pulumi.StringArray{pulumi.String("*")},
		Conditions: []policy.Condition{{Test: "StringEquals", Variable: "cloudwatch:namespace", Values: pulumi.StringArray{pulumi.String(QueueMetricNamespace)}}},
	}}
	// Every consumer publishes the same whole-queue backlog, so its Maximum
	// is the backlog; the block divides it by the running tasks.
	cons.Scaling = service.Scaling{PerTask: &service.PerTaskMetric{
		Namespace: QueueMetricNamespace, Name: QueueMetricName, Statistic: "Maximum", Target: BacklogPerTask,
		Dimensions: map[string]pulumi.StringInput{"Queue": pulumi.String(QueueName), "Stack": pulumi.String(ctx.Stack())},
	}}
	if p.Consumer, err = service.New(ctx, name+"-consumer", cons, child...); err != nil {
		return nil, err
	}

	for _, s := range []*service.Service{p.Producer, p.Consumer} {
		if err := stores.AllowCache(ctx, s.SecurityGroup, "Producer/consumer queue"); err != nil {
			return nil, err
		}
		if err := stores.AllowMySQL(ctx, s.SecurityGroup, "Producer/consumer rows"); err != nil {
			return nil, err
		}
	}

	if err := ctx.RegisterResourceOutputs(p, pulumi.Map{"producer": p.Producer.Name, "consumer": p.Consumer.Name}); err != nil {
		return nil, err
	}
	return p, nil
}
