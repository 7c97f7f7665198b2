// Package components assembles the platform. Stack is the whole program:
// main.go runs it with Pulumi, and the tests and the offline plan run the
// same function on the mock engine, so nothing is wired twice.
package components

import (
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/frontend"
	"github.com/pushplatform/pushplatform/components/logprocessing"
	"github.com/pushplatform/pushplatform/components/network"
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
	buckets := p.Stores.Buckets
	web, err := frontend.New(ctx, "frontend", &frontend.Args{
		Config: cfg.Frontend, Site: site,
		SiteBucket: buckets.Frontend, AssetsBucket: buckets.Assets, LogsBucket: buckets.Logs,
		ALB: p.Cluster.ALB, LogName: cfg.Project + "-" + cfg.Stack + "-cloudfront",
		MorePaths: morePaths,
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
		Cluster: p.Cluster, Stores: p.Stores, PublicHost: web.Host, Records: records,
	})
	if err != nil {
		return err
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
	ctx.Export("pushEndpointUrl", pulumi.Sprintf("https://%s", web.Host))
	ctx.Export("pushCryptoKeySecretArn", push.CryptoKeySecretArn)
	ctx.Export("autoconnectService", push.Autoconnect.Name)
	ctx.Export("autoendpointService", push.Autoendpoint.Name)
	if logs != nil {
		ctx.Export("pushRecordsStream", logs.StreamName)
		if logs.API != nil {
			ctx.Export("pushMessagesApiUrl", pulumi.Sprintf("https://%s/keys", web.Host))
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
