// Package components assembles the platform. Stack is the whole program:
// main.go runs it with Pulumi, and the tests and the offline plan run the
// same function on the mock engine, so nothing is wired twice.
package components

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/backups"
	"github.com/pushplatform/pushplatform/components/chaos"
	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/domain"
	"github.com/pushplatform/pushplatform/components/frontend"
	"github.com/pushplatform/pushplatform/components/logprocessing"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/components/observability"
	"github.com/pushplatform/pushplatform/components/producerconsumer"
	"github.com/pushplatform/pushplatform/components/pushtier"
	"github.com/pushplatform/pushplatform/config"
)

// Stack loads and validates the configuration, then builds every component
// in dependency order and exports the stack outputs. Invalid configuration
// fails before the first resource is registered.
func Stack(ctx *pulumi.Context) error {
	p, err := NewPlatform(ctx)
	if err != nil {
		return err
	}
	cfg := p.Config
	site, err := artifact.Site(ctx, "frontend", cfg.Artifacts)
	if err != nil {
		return err
	}
	// Log processing first: its API's paths are CloudFront behaviours, and
	// the push gateway writes to its stream.
	var logs *logprocessing.LogProcessing
	var records *pushtier.Records
	morePaths := pushtier.EndpointPaths
	if cfg.Logs.Enabled {
		logs, err = logprocessing.New(ctx, "logs", &logprocessing.Args{
			Config: cfg.Logs, API: cfg.Services["pushmessages"], Artifacts: cfg.Artifacts, Protect: cfg.Tables.Protect,
			Cluster: p.Cluster, Stores: p.Stores,
		})
		if err != nil {
			return err
		}
		records = &pushtier.Records{Stream: logs.StreamName, Put: logs.PutRecords()}
		morePaths = append(slices.Clone(morePaths), logs.APIPaths...)
	}
	// The custom domain's certificates before their users: the
	// distribution and the NLB listener wait for their validation.
	var dom *domain.Domain
	if cfg.Domain.Enabled() {
		dom, err = domain.New(ctx, "domain", &domain.Args{Config: cfg.Domain, PushCertificate: cfg.Push.TLSTermination == "nlb"})
		if err != nil {
			return err
		}
	}
	buckets := p.Stores.Buckets
	web, err := frontend.New(ctx, "frontend", &frontend.Args{
		Config: cfg.Frontend, Site: site,
		SiteBucket: buckets.Frontend, AssetsBucket: buckets.Assets, LogsBucket: buckets.Logs,
		ALB: p.Cluster.ALB, LogName: cfg.Project + "-" + cfg.Stack + "-cloudfront",
		MorePaths: morePaths, Certificate: dom.ForDistribution(),
	})
	if err != nil {
		return err
	}
	app, err := producerconsumer.New(ctx, "app", &producerconsumer.Args{
		Producer: cfg.Services["producer"], Consumer: cfg.Services["consumer"],
		Artifacts: cfg.Artifacts, ProtectSecrets: cfg.Database.Protect,
		Cluster: p.Cluster, Stores: p.Stores, SiteOrigins: web.Origins,
	})
	if err != nil {
		return err
	}

	push, err := pushtier.New(ctx, "push", &pushtier.Args{
		Config: cfg.Push, Autoconnect: cfg.Services["autoconnect"], Autoendpoint: cfg.Services["autoendpoint"],
		Artifacts: cfg.Artifacts, CryptoKey: cfg.PushCryptoKey, Protect: cfg.Tables.Protect,
		Cluster: p.Cluster, Stores: p.Stores, PublicHost: dom.APIHost(web.Host), Records: records,
		TLS: dom.ForPush(),
	})
	if err != nil {
		return err
	}
	if err := dom.Route(ctx, web, push); err != nil {
		return err
	}
	apiHost := dom.APIHost(web.Host)

	// AWS Backup copies of the database and tables (prod by default).
	if cfg.Backups.Enabled {
		bk, err := backups.New(ctx, "backups", &backups.Args{
			Config: cfg.Backups, Project: cfg.Project, Stack: cfg.Stack,
			AccountID: p.Network.AccountID, Partition: p.Network.Partition, Stores: p.Stores,
		})
		if err != nil {
			return err
		}
		ctx.Export("backupVaultName", bk.VaultName)
		ctx.Export("backupRoleArn", bk.RoleArn)
	}

	// Alarms and the dashboard watch everything above (prod by default);
	// obs stays nil without them.
	var obs *observability.Observability
	if cfg.Alarms.Enabled {
		services := []observability.NamedService{
			{Name: "producer", Service: app.Producer}, {Name: "consumer", Service: app.Consumer},
			{Name: "autoconnect", Service: push.Autoconnect}, {Name: "autoendpoint", Service: push.Autoendpoint},
		}
		if logs != nil && logs.API != nil {
			services = append(services, observability.NamedService{Name: "pushmessages", Service: logs.API})
		}
		if obs, err = observability.New(ctx, "observability", &observability.Args{
			Config: cfg.Alarms, Region: cfg.Region, Stores: p.Stores, Cluster: p.Cluster,
			Services: services, NLB: push.NLB, Logs: logs,
		}); err != nil {
			return err
		}
		ctx.Export("alarmTopicArn", obs.TopicArn)
		ctx.Export("dashboardName", pulumi.String(obs.DashboardName))
	}

	// FIS experiment templates (prod by default), stopped by the alarms
	// that say users are being failed.
	if cfg.Chaos.Enabled {
		targets := map[string]pulumi.StringOutput{"producer": app.Producer.Name, "consumer": app.Consumer.Name,
			"autoconnect": push.Autoconnect.Name, "autoendpoint": push.Autoendpoint.Name}
		if logs != nil && logs.API != nil {
			targets["pushmessages"] = logs.API.Name
		}
		if err := newChaos(ctx, p, obs, targets); err != nil {
			return err
		}
	}

	// Last: every component has added its bucket policy statements.
	if err := p.Stores.FinishBucketPolicies(ctx); err != nil {
		return err
	}

	net := p.Network
	ctx.Export("region", pulumi.String(cfg.Region))
	ctx.Export("highAvailability", pulumi.Bool(cfg.HighAvailability))
	ctx.Export("vpcId", net.VpcID)
	ctx.Export("vpcCidr", pulumi.String(net.CIDR))
	ctx.Export("availabilityZones", pulumi.ToStringArray(net.AvailabilityZones))
	ctx.Export("natGateways", pulumi.String(string(cfg.Network.NATGateways)))
	ctx.Export("publicSubnetIds", net.PublicSubnetIDs)
	ctx.Export("privateSubnetIds", net.PrivateSubnetIDs)
	ctx.Export("isolatedSubnetIds", net.IsolatedSubnetIDs)
	ctx.Export("loadBalancerSecurityGroupId", net.ALB.ID)
	ctx.Export("url", web.URL)
	ctx.Export("cloudFrontDomainName", web.DomainName)
	ctx.Export("distributionId", web.DistributionID)
	exportDataStores(ctx, p.Stores)
	ctx.Export("clusterName", p.Cluster.Name)
	ctx.Export("serviceNamespace", pulumi.String(p.Cluster.NamespaceName))
	ctx.Export("albDnsName", p.Cluster.ALB.DnsName)
	ctx.Export("producerService", app.Producer.Name)
	ctx.Export("consumerService", app.Consumer.Name)
	ctx.Export("pushUrl", push.URL)
	ctx.Export("pushEndpointUrl", pulumi.Sprintf("https://%s", apiHost))
	ctx.Export("pushCryptoKeySecretArn", push.CryptoKeySecretArn)
	ctx.Export("autoconnectService", push.Autoconnect.Name)
	ctx.Export("autoendpointService", push.Autoendpoint.Name)
	if logs != nil {
		ctx.Export("pushRecordsStream", logs.StreamName)
		if logs.API != nil {
			ctx.Export("pushMessagesApiUrl", pulumi.Sprintf("https://%s/keys", apiHost))
			ctx.Export("pushProcessorFunction", logs.Processor.Name)
		}
	}
	// The API, on the site's own origin: the load balancer is internal.
	ctx.Export("producerUrl", pulumi.Sprintf("%sapi/count", web.URL))
	return nil
}

// Platform is what every workload builds on.
type Platform struct {
	Config  *config.Config
	Network *network.Network
	Stores  *datastores.DataStores
	Cluster *cluster.Cluster
}

// NewPlatform loads and validates the configuration (before any resource
// exists), then builds the network, the data stores and the cluster. Stack
// and the component tests build on it.
func NewPlatform(ctx *pulumi.Context) (*Platform, error) {
	cfg, err := config.Load(ctx)
	if err != nil {
		return nil, err
	}
	net, err := network.New(ctx, "network", &network.Args{Config: cfg.Network, Region: cfg.Region})
	if err != nil {
		return nil, err
	}
	stores, err := datastores.New(ctx, "datastores", &datastores.Args{
		Database: cfg.Database, Cache: cfg.Cache, Tables: cfg.Tables, Buckets: cfg.Buckets,
		Region: cfg.Region, Network: net,
	})
	if err != nil {
		return nil, err
	}
	platform, err := cluster.New(ctx, "cluster", &cluster.Args{Config: cfg.Cluster, Region: cfg.Region, Network: net, LogsBucket: stores.Buckets.Logs})
	if err != nil {
		return nil, err
	}
	return &Platform{Config: cfg, Network: net, Stores: stores, Cluster: platform}, nil
}

// newChaos builds the experiment templates against the stack's services
// and stores, with the observability alarms marked as stop conditions
// (none without alarms: chaos.New then refuses) and exports their IDs.
func newChaos(ctx *pulumi.Context, p *Platform, obs *observability.Observability, services map[string]pulumi.StringOutput) error {
	cfg := p.Config
	svc, ok := services[cfg.Chaos.Service]
	if !ok {
		return fmt.Errorf("chaos.service %s: the stack runs no such service (pushmessages needs logs.processing)", cfg.Chaos.Service)
	}
	stops := map[string]pulumi.StringInput{}
	if obs != nil {
		chosen, _ := chaos.ChooseStopAlarms(obs.StopConditions())
		for _, k := range chosen {
			stops[k] = obs.Alarms[k].Arn
		}
	}
	ch, err := chaos.New(ctx, "chaos", &chaos.Args{
		Config: cfg.Chaos, Cluster: p.Cluster, Service: chaos.Target{App: cfg.Chaos.Service, Name: svc},
		Database: cfg.Database, MySQLArn: p.Stores.MySQL.Arn,
		Cache: cfg.Cache, CacheGroupID: p.Stores.Cache.ReplicationGroupID,
		// The tags the replication group carries itself: FIS finds
		// replication groups by tag.
		CacheTags:  p.Stores.Cache.Tags,
		StopAlarms: stops,
	})
	if err != nil {
		return err
	}
	ids := pulumi.StringMap{}
	for k, id := range ch.TemplateIDs {
		ids[k] = id
	}
	ctx.Export("chaosExperimentTemplates", ids)
	ctx.Export("chaosLogGroup", ch.LogGroupName)
	return nil
}

// exportDataStores exports where each store is and which secret holds its
// credentials; never a credential itself.
func exportDataStores(ctx *pulumi.Context, d *datastores.DataStores) {
	ctx.Export("mysqlAddress", d.MySQL.Address)
	ctx.Export("mysqlPort", d.MySQL.Port)
	ctx.Export("mysqlMasterSecretArn", d.MySQL.MasterSecretArn)
	ctx.Export("cachePrimaryAddress", d.Cache.PrimaryAddress)
	ctx.Export("cacheReaderAddress", d.Cache.ReaderAddress)
	ctx.Export("cachePort", pulumi.Int(d.Cache.Port))
	ctx.Export("cacheAuthSecretArn", d.Cache.AuthSecretArn)
	ctx.Export("routerTableName", d.Tables.Router.Name)
	ctx.Export("messageTableName", d.Tables.Message.Name)
	ctx.Export("pushMessagesTableName", d.Tables.PushMessages.Name)
	buckets := pulumi.StringMap{}
	for _, b := range d.Buckets.All() {
		buckets[b.Kind] = b.Name
	}
	ctx.Export("buckets", buckets)
}
