// Package pushtier is Mozilla autopush-rs 1.71.7 on Fargate: autoconnect
// holds the clients' WebSockets behind a network load balancer of its
// own; autoendpoint takes push messages from application servers through
// CloudFront and the internal ALB, and delivers them to the autoconnect
// task holding the client on its router port, which only endpoint and
// connection tasks reach. Both use the router and message tables and one
// Fernet key.
package pushtier

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/internal/secret"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/components/service"
	"github.com/pushplatform/pushplatform/config"
)

// Ports and paths of autopush-rs 1.71.7 (autoconnect-settings and
// autoendpoint/src/server.rs at the tag).
const (
	ConnectPort  = 8080 // autoconnect: the clients' WebSocket
	TLSPort      = 8443 // the task's TLS proxy in front of ConnectPort (tlsTermination task)
	RouterPort   = 8081 // autoconnect: PUT /push/{uaid}, /notif/{uaid}; no authentication
	EndpointPort = 8000 // autoendpoint: the push API
	// HealthPath answers an empty 200 on every port of both programs.
	HealthPath = "/__lbheartbeat__"
)

// EndpointPaths are autoendpoint's routes: the push message API
// (/wpush/{api_version}/{token}, /wpush/{token}), the message API
// (/m/{message_id}) and the registration API (/v1/...). CloudFront and
// the ALB send these to autoendpoint.
var EndpointPaths = []string{"/wpush/*", "/m/*", "/v1/*"}

// Draining: a deregistered autoconnect task keeps its sockets for the
// configured drain, then gets SIGTERM and the Fargate maximum of 120 s.
const stopTimeoutSeconds = 120

// memoryTargetPercent keeps autoconnect's tasks below the 80 % of memory
// the connection budget assumes.
const memoryTargetPercent = 70

// openFiles is autoconnect's socket budget: Fargate's maximum nofile.
const openFiles = 1048576

// PushTier is the push tier.
type PushTier struct {
	pulumi.ResourceState

	Autoconnect  *service.Service
	Autoendpoint *service.Service
	// NLB carries the clients' WebSockets; URL is what clients connect to.
	NLB *lb.LoadBalancer
	URL pulumi.StringOutput
	// CryptoKeySecretArn holds the Fernet key both programs read.
	CryptoKeySecretArn pulumi.StringOutput
}

// Args wires the push tier to the platform.
type Args struct {
	Config config.Push
	// Autoconnect and Autoendpoint size the services.
	Autoconnect, Autoendpoint config.Service
	Artifacts                 config.Artifacts
	// CryptoKey is the configured Fernet key (pushCryptoKey); empty: one
	// is generated.
	CryptoKey string
	// Protect keeps the crypto key (and its secret) like other stateful
	// resources: a new key would make every stored message unreadable.
	Protect bool
	Cluster *cluster.Cluster
	Stores  *datastores.DataStores
	// Records, when set (logs.enabled), puts the push gateway in front of
	// autoendpoint: it records every push message on this stream.
	Records *Records
	// PublicHost is where application servers reach autoendpoint (the
	// CloudFront distribution's host); subscription endpoints are built on
	// it.
	PublicHost pulumi.StringOutput
	// TLS is the custom domain's push host and certificate
	// (components/domain); config refuses push.certificateArn beside it.
	TLS *TLS
}

// TLS is the custom domain's push host, where clients connect
// (wss://Host), and a validated certificate of the stack's region for the
// NLB's TLS listener; CertificateArn is nil with tlsTermination task,
// whose tasks present push.tlsSecretArn's certificate.
type TLS struct {
	Host           string
	CertificateArn pulumi.StringInput
}

// tlsListener says whether the NLB's listener is on 443: a TLS listener
// (a certificate) or TCP passed through to the task's TLS proxy.
func tlsListener(args *Args) bool {
	return args.TLS != nil || args.Config.CertificateArn != "" || args.Config.TLSTermination == "task"
}

// New creates the push tier.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*PushTier, error) {
	p := &PushTier{}
	if err := ctx.RegisterComponentResource("pushplatform:pushtier:PushTier", name, p, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(p)
	c, stores, net := args.Cluster, args.Stores, args.Cluster.Network

	key, err := secret.NewGenerated(ctx, name+"-crypto-key", secret.GeneratedArgs{
		NamePrefix:  fmt.Sprintf("%s/%s/push-crypto-key-", ctx.Project(), ctx.Stack()),
		Description: `autopush's Fernet key, as autoconnect's CRYPTO_KEY and autoendpoint's CRYPTO_KEYS take it: {"keys": "[<key>]"}`,
		Bytes:       32,
		Given:       args.CryptoKey,
		Fields:      func(k string) map[string]string { return map[string]string{cryptoKeysField: "[" + k + "]"} },
		Protect:     args.Protect,
	}, child)
	if err != nil {
		return nil, err
	}
	p.CryptoKeySecretArn = key.Arn

	nlb, nlbGroup, listenerPort, err := newNLB(ctx, name, args, child)
	if err != nil {
		return nil, err
	}
	p.NLB = nlb
	scheme := "ws"
	if tlsListener(args) {
		scheme = "wss"
	}
	p.URL = pulumi.Sprintf("%s://%s:%d", scheme, nlb.DnsName, listenerPort)
	if args.TLS != nil {
		// The domain's alias record points the host at the NLB; 443 is
		// wss's default port.
		p.URL = pulumi.String("wss://" + args.TLS.Host).ToStringOutput()
	}

	arch, platform := service.ArchARM64, "linux/arm64"
	if c.Spot {
		arch, platform = service.ArchX8664, "linux/amd64"
	}
	tables := stores.Tables
	dbSettings := pulumi.All(tables.Message.Name, tables.Router.Name).ApplyT(func(v []any) (string, error) {
		b, err := json.Marshal(map[string]string{"message_table": v[0].(string), "router_table": v[1].(string)})
		return string(b), err
	}).(pulumi.StringOutput)
	// Any DSN starting with http selects DynamoDB; the client then uses
	// the region's endpoint (autopush-common db/mod.rs, StorageType).
	dsn := pulumi.String(fmt.Sprintf("https://dynamodb.%s.amazonaws.com", c.Region))
	tableAccess := []policy.Statement{datastores.TableReadWrite(tables.Router), datastores.TableReadWrite(tables.Message)}

	common := func(app string, sizing config.Service) (*service.Args, error) {
		repo, err := artifact.NewRepository(ctx, name+"-"+app, app, args.Artifacts.Protect, child)
		if err != nil {
			return nil, err
		}
		image, err := artifact.Image(ctx, name+"-"+app+"-image", artifact.ImageArgs{
			App: app, Repository: repo, Build: artifact.Autopush(platform), Artifacts: args.Artifacts,
		}, child)
		if err != nil {
			return nil, err
		}
		return &service.Args{
			Cluster: c, Image: image, RepositoryArn: repo.Arn, Architecture: arch, Sizing: sizing,
			Command: []string{app},
			// Plain settings; the region also selects rusoto's endpoint.
			Environment: map[string]pulumi.StringInput{"AWS_REGION": pulumi.String(c.Region)},
			TaskPolicy:  append([]policy.Statement(nil), tableAccess...),
		}, nil
	}

	ac, err := common("autoconnect", args.Autoconnect)
	if err != nil {
		return nil, err
	}
	ac.Port = ConnectPort
	ac.StopTimeoutSeconds = stopTimeoutSeconds
	// Held sockets, not requests, load autoconnect: it scales on memory,
	// which grows with connections (config.DefaultConnectionsPerTask
	// budgets 80 % of it).
	ac.Scaling = service.Scaling{MemoryTargetPercent: memoryTargetPercent}
	ac.OpenFiles = openFiles
	env := map[string]pulumi.StringInput{
		"PORT":              pulumi.String(fmt.Sprint(ConnectPort)),
		"ROUTER_PORT":       pulumi.String(fmt.Sprint(RouterPort)),
		"ENDPOINT_SCHEME":   pulumi.String("https"),
		"ENDPOINT_HOSTNAME": args.PublicHost,
		"ENDPOINT_PORT":     pulumi.String("443"),
		"DB_DSN":            dsn,
		"DB_SETTINGS":       dbSettings,
		"HUMAN_LOGS":        pulumi.String("false"),
	}
	for k, v := range env {
		ac.Environment[AutoconnectPrefix+k] = v
	}
	ac.Secrets = []service.Secret{{Name: AutoconnectPrefix + "CRYPTO_KEY", SecretArn: key.Arn, Key: cryptoKeysField}}
	// autoconnect's health check lists tables (ListTables has no
	// resource-level form, AWS's DynamoDB authorization reference).
	ac.TaskPolicy = append(ac.TaskPolicy, policy.Statement{Actions: []string{"dynamodb:ListTables"}, Resources: pulumi.StringArray{pulumi.String("*")}})
	ac.NLB = &service.NLBRoute{
		LoadBalancerArn: nlb.Arn, SecurityGroup: nlbGroup, ListenerPort: listenerPort,
		IdleTimeoutSeconds: args.Config.IdleTimeoutSeconds, HealthCheckPath: HealthPath,
		DeregistrationDelaySeconds: args.Config.DrainSeconds,
	}
	if args.Config.CertificateArn != "" {
		ac.NLB.CertificateArn = pulumi.String(args.Config.CertificateArn)
	}
	if args.TLS != nil && args.TLS.CertificateArn != nil {
		ac.NLB.CertificateArn = args.TLS.CertificateArn
	}
	if args.Config.TLSTermination == "task" {
		// The NLB passes TCP through to the task's proxy (cmd/pushentry,
		// internal/tlsproxy), which terminates TLS and forwards to
		// autoconnect on loopback; only the proxy's port is reachable.
		ac.Port = TLSPort
		ac.NLB.HealthCheckProtocol = "HTTPS"
		ac.Environment["PUSH_TLS_PORT"] = pulumi.String(fmt.Sprint(TLSPort))
		tlsSecret := pulumi.String(args.Config.TLSSecretArn)
		ac.Secrets = append(ac.Secrets,
			service.Secret{Name: "PUSH_TLS_CERT", SecretArn: tlsSecret, Key: "cert"},
			service.Secret{Name: "PUSH_TLS_KEY", SecretArn: tlsSecret, Key: "key"})
	}
	ac.After = []pulumi.Resource{key.Version}
	if p.Autoconnect, err = service.New(ctx, name+"-autoconnect", ac, child); err != nil {
		return nil, err
	}

	ae, err := common("autoendpoint", args.Autoendpoint)
	if err != nil {
		return nil, err
	}
	ae.Port = EndpointPort
	env = map[string]pulumi.StringInput{
		// autoendpoint binds 127.0.0.1 unless told otherwise.
		"HOST":         pulumi.String("0.0.0.0"),
		"PORT":         pulumi.String(fmt.Sprint(EndpointPort)),
		"ENDPOINT_URL": pulumi.Sprintf("https://%s", args.PublicHost),
		"DB_DSN":       dsn,
		"DB_SETTINGS":  dbSettings,
		"HUMAN_LOGS":   pulumi.String("false"),
	}
	for k, v := range env {
		ae.Environment[AutoendpointPrefix+k] = v
	}
	ae.Secrets = []service.Secret{{Name: AutoendpointPrefix + "CRYPTO_KEYS", SecretArn: key.Arn, Key: cryptoKeysField}}
	if r := args.Records; r != nil {
		// The load balancer reaches the gateway; autoendpoint listens on
		// loopback only, so nothing bypasses the recording.
		ae.Port = GatewayPort
		ae.Environment[AutoendpointPrefix+"HOST"] = pulumi.String("127.0.0.1")
		ae.Environment["GATEWAY_PORT"] = pulumi.String(fmt.Sprint(GatewayPort))
		ae.Environment["FIREHOSE_STREAM"] = r.Stream
		ae.TaskPolicy = append(ae.TaskPolicy, r.Put)
	}
	ae.ALB = &service.ALBRoute{PathPatterns: EndpointPaths, Priority: 90, HealthCheckPath: HealthPath}
	ae.After = []pulumi.Resource{key.Version}
	if p.Autoendpoint, err = service.New(ctx, name+"-autoendpoint", ae, child); err != nil {
		return nil, err
	}

	// The router port has no authentication: only endpoint tasks (and
	// connection tasks, which hand a client's messages over when it moves)
	// may reach it.
	conn, end := p.Autoconnect.SecurityGroup, p.Autoendpoint.SecurityGroup
	if err := conn.AllowFrom(ctx, end, RouterPort, "autoendpoint delivers to the autoconnect task holding the client"); err != nil {
		return nil, err
	}
	if err := conn.AllowFrom(ctx, conn, RouterPort, "autoconnect to autoconnect router port"); err != nil {
		return nil, err
	}
	for _, s := range []*service.Service{p.Autoconnect, p.Autoendpoint} {
		if err := net.AllowDynamoDB(ctx, s.SecurityGroup, "DynamoDB through its gateway endpoint: the autopush tables"); err != nil {
			return nil, err
		}
	}
	if err := ctx.RegisterResourceOutputs(p, pulumi.Map{"url": p.URL}); err != nil {
		return nil, err
	}
	return p, nil
}

// Records is the delivery stream the push gateway writes to, and the
// grant to put records on it.
type Records struct {
	Stream pulumi.StringOutput
	Put    policy.Statement
}

// GatewayPort is the push gateway's port in the autoendpoint task, in
// front of autoendpoint on loopback.
const GatewayPort = 8090

// Settings prefixes (autopush's config crate: prefix, then "__").
const (
	AutoconnectPrefix  = "AUTOCONNECT__"
	AutoendpointPrefix = "AUTOEND__"
)

// cryptoKeysField is the crypto key secret's JSON key; its value is the
// bracketed list form both programs parse ("[key]").
const cryptoKeysField = "keys"

// newNLB creates the internet-facing network load balancer in the public
// subnets, with its own group open on the listener port only.
func newNLB(ctx *pulumi.Context, name string, args *Args, parent pulumi.ResourceOption) (*lb.LoadBalancer, *network.SecurityGroup, int, error) {
	net := args.Cluster.Network
	port := 80
	if tlsListener(args) {
		port = 443
	}
	sg, err := network.NewSecurityGroup(ctx, name+"-nlb", &network.SecurityGroupArgs{
		VpcID:          net.VpcID,
		Description:    "Push clients WebSocket load balancer: the listener port from anywhere",
		InternetFacing: true,
	}, parent)
	if err != nil {
		return nil, nil, 0, err
	}
	if err := sg.AllowFromInternet(ctx, port, fmt.Sprintf("Push clients to the WebSocket listener on %d", port)); err != nil {
		return nil, nil, 0, err
	}
	nlbArgs := &lb.LoadBalancerArgs{
		LoadBalancerType: pulumi.String("network"),
		Internal:         pulumi.Bool(false),
		Subnets:          net.PublicSubnetIDs,
		// Security groups can only be given when an NLB is created.
		SecurityGroups:               pulumi.StringArray{sg.ID},
		EnableCrossZoneLoadBalancing: pulumi.Bool(true),
		EnableDeletionProtection:     pulumi.Bool(args.Protect),
		Tags:                         pulumi.StringMap{"Name": pulumi.String(name + "-nlb")},
		// Access logs on from the start: an NLB writes them only for TLS
		// listeners (ELB user guide, "Access logs for your Network Load
		// Balancer"), so they begin when it terminates TLS (a certificate,
		// or the domain with tlsTermination nlb) with no change here; with
		// tlsTermination task it passes TCP and logs nothing. AWS checks
		// the bucket policy when logging is turned on.
		AccessLogs: &lb.LoadBalancerAccessLogsArgs{
			Bucket: args.Stores.Buckets.Logs.Name, Prefix: pulumi.String(datastores.LogPrefixNLB), Enabled: pulumi.Bool(true),
		},
	}
	nlb, err := lb.NewLoadBalancer(ctx, name+"-nlb", nlbArgs, parent, pulumi.DependsOn([]pulumi.Resource{args.Stores.Buckets.Logs.Policy()}))
	if err != nil {
		return nil, nil, 0, fmt.Errorf("create nlb: %w", err)
	}
	return nlb, sg, port, nil
}
