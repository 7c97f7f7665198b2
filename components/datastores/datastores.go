// Package datastores owns every stateful store of the platform: RDS MySQL,
// the Valkey/Redis replication group, the DynamoDB tables and the S3
// buckets, with their secrets. Services take its typed outputs and ask it to
// let them in (AllowMySQL, AllowCache) and for IAM statements (grants.go).
package datastores

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
)

// DataStores is the platform's stateful layer.
type DataStores struct {
	pulumi.ResourceState

	MySQL   *MySQL
	Cache   *Cache
	Tables  *Tables
	Buckets *Buckets
}

// Args configures the data stores: each store's resolved config, and the
// network they live in (its private and isolated subnets, its AZs).
type Args struct {
	Database config.Database
	Cache    config.Cache
	Tables   config.Tables
	Buckets  config.Buckets
	// Region is where the buckets' log deliveries come from.
	Region  string
	Network *network.Network
}

// New creates the data stores. Call FinishBucketPolicies after every other
// component has added its statements to the CloudFront-served buckets.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*DataStores, error) {
	d := &DataStores{}
	if err := ctx.RegisterComponentResource("pushplatform:datastores:DataStores", name, d, opts...); err != nil {
		return nil, err
	}
	net := args.Network
	var err error
	if d.MySQL, err = newMySQL(ctx, name, args.Database, net, d); err != nil {
		return nil, err
	}
	if d.Cache, err = newCache(ctx, name, args.Cache, net, d); err != nil {
		return nil, err
	}
	if d.Tables, err = newTables(ctx, name, args.Tables, d); err != nil {
		return nil, err
	}
	if d.Buckets, err = newBuckets(ctx, name, args.Buckets, args.Region, net, d); err != nil {
		return nil, err
	}

	if err := ctx.RegisterResourceOutputs(d, pulumi.Map{
		"mysqlAddress":      d.MySQL.Address,
		"mysqlSecretArn":    d.MySQL.MasterSecretArn,
		"cacheAddress":      d.Cache.PrimaryAddress,
		"cacheAuthSecret":   d.Cache.AuthSecretArn,
		"routerTable":       d.Tables.Router.Name,
		"messageTable":      d.Tables.Message.Name,
		"pushMessagesTable": d.Tables.PushMessages.Name,
	}); err != nil {
		return nil, err
	}
	return d, nil
}
