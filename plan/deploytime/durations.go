package deploytime

import (
	"fmt"
	"strings"
	"time"

	"github.com/pushplatform/pushplatform/plan"
)

// Basis is how long one resource takes to create and why we think so.
type Basis struct {
	Duration time.Duration
	// Source cites where the figure comes from. Where a source gives a
	// range ("5-10 minutes", "up to 15 minutes") the upper end is used, so
	// the estimate leans long. Terraform-provider-aws
	// default create timeouts are upper bounds (how long the provider
	// waits before it gives up), never typical values: sources that only
	// have one say so. Figures nobody could confirm read "estimate
	// (unverified)".
	Source string
}

// Upper bounds: terraform-provider-aws default create timeouts, which
// pulumi-aws inherits (it bridges that provider).
const (
	tfRDS        = "upper bound: terraform-provider-aws aws_db_instance default create timeout 40m (internal/service/rds/instance.go)"
	tfCache      = "upper bound: terraform-provider-aws replication group default create timeout 60m (internal/service/elasticache; raised from 50m in hashicorp/terraform-provider-aws#4093 after acceptance tests timed out)"
	tfCloudFront = "upper bound: terraform-provider-aws waits up to 90m for Deployed (internal/service/cloudfront waitDistributionDeployed)"
	tfNAT        = "upper bound: terraform-provider-aws natGatewayCreatedTimeout 10m (internal/service/ec2)"
	tfLB         = "upper bound: terraform-provider-aws aws_lb default create timeout 10m (hashicorp/terraform-provider-aws#8054: \"last state: 'provisioning', timeout: 10m0s\")"
)

// Measured building blocks of the awsx VPC expansion, from Terraform apply
// logs quoted in public pull requests ("Creation complete after ...").
var (
	vpcCreate = Basis{20 * time.Second, "measured: aws_vpc 11-39 s, aws_subnet 3-9 s in Terraform apply logs (turbot/steampipe-plugin-aws#130, #184, #246, #454)"}
	subnet    = Basis{8 * time.Second, vpcCreate.Source}
	// Route tables, routes, associations and the internet gateway
	// completed in about 1 s each (DevopsArtFactory/terraform-provisioning#4).
	routing = Basis{2 * time.Second, "measured: aws_route_table and aws_internet_gateway about 1 s (DevopsArtFactory/terraform-provisioning#4)"}
	natGW   = Basis{2 * time.Minute, "estimate (unverified): kubernetes/kops#944 and #995 say a NAT gateway takes \"up to 5 min\" / \"up to 10 min\" to become available; " + tfNAT}
)

// defaultBasis covers every kind not listed: most control-plane creates
// (security groups, rules, roles, buckets, log groups) return in seconds.
var defaultBasis = Basis{5 * time.Second, "estimate (unverified): control-plane create, seconds"}

// fixed are kinds whose duration does not depend on their inputs.
var fixed = map[string]Basis{
	"aws:ec2/natGateway:NatGateway":                                natGW,
	"aws:lb/loadBalancer:LoadBalancer":                             {3 * time.Minute, "estimate from reports: an ALB/NLB stays 'provisioning' for minutes; \"on most of our ci/cd runs it takes no more than 5\" (hashicorp/terraform#24799), \"> 2 minutes ... very normal\" for ELB (kubernetes/kubernetes#44695); " + tfLB},
	"aws:cloudfront/vpcOrigin:VpcOrigin":                           {15 * time.Minute, "AWS CloudFront Developer Guide, private-content-vpc-origins: the VPC origin becomes Deployed in \"up to 15 minutes\" (the stated maximum, used here); terraform-provider-aws default create timeout 15m (internal/service/cloudfront/vpc_origin.go)"},
	"aws:elasticache/cluster:Cluster":                              {8 * time.Minute, "estimate (unverified); " + tfCache},
	"aws:iam/role:Role":                                            {10 * time.Second, "estimate (unverified): the create call returns in seconds; IAM is eventually consistent, and resources that assume the role retry until it propagates (how long the provider retries is unverified)"},
	"aws:ec2/instance:Instance":                                    {time.Minute, "estimate (unverified): the provider waits for state running"},
	"aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":    {time.Minute, "estimate (unverified): the provider waits for status ACTIVE"},
	"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": {time.Minute, "estimate (unverified): an asynchronous operation that creates a Route 53 private hosted zone; the provider waits for it"},
	"aws:dynamodb/table:Table":                                     {15 * time.Second, "estimate (unverified): the provider waits for status ACTIVE"},
	"aws:lambda/invocation:Invocation":                             {30 * time.Second, "estimate (unverified): one synchronous run of the function (cold start in the VPC plus its work)"},
	"aws:acm/certificate:Certificate":                              {10 * time.Second, "estimate (unverified): the request returns at once; validation is a separate resource"},
	"aws:acm/certificateValidation:CertificateValidation":          {5 * time.Minute, "estimate (unverified): DNS validation after the record exists"},
	"awsx:ecr:Image":                                               {3 * time.Minute, "estimate (unverified): a docker build and push; depends on the image and the machine"},
	"awsx:ecr:Repository":                                          {5 * time.Second, "estimate (unverified): one ECR repository and lifecycle policy"},
}

// Of returns how long creating r takes. res supplies the awsx expansions.
func Of(r *plan.Resource, res *plan.Result) Basis {
	switch {
	case !r.Custom && !r.Remote:
		return Basis{0, "component: registration only, nothing is created"}
	case strings.HasPrefix(r.Type, "pulumi:providers:"):
		return Basis{0, "provider: configured locally, no cloud call"}
	case strings.HasPrefix(r.Type, "random:"):
		return Basis{0, "computed locally by the random provider"}
	}
	switch r.Type {
	case "awsx:ec2:Vpc":
		return vpcExpansion(r, res)
	case "aws:rds/instance:Instance":
		return rdsInstance(r)
	case "aws:elasticache/replicationGroup:ReplicationGroup":
		return replicationGroup(r)
	case "aws:cloudfront/distribution:Distribution":
		if r.Input("waitForDeployment") == false {
			return Basis{30 * time.Second, "estimate (unverified): waitForDeployment=false, the provider returns once CloudFront accepts the distribution"}
		}
		return Basis{15 * time.Minute, "pulumi-aws v6.83.4 cloudfront.Distribution docs: distributions \"take about 15 minutes to reach a deployed state after creation\", and waitForDeployment defaults to true; \"15 to 20 minutes, roughly\" (hashicorp/terraform#8749); " + tfCloudFront}
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		if r.InputString("vpcEndpointType") == "Interface" {
			return Basis{2 * time.Minute, "estimate (unverified): interface endpoint ENIs in each subnet, the provider waits for state available"}
		}
		return Basis{10 * time.Second, "estimate (unverified): a gateway endpoint is a route-table entry"}
	case "aws:ecs/service:Service":
		if r.Input("waitForSteadyState") == true {
			return Basis{5 * time.Minute, "estimate (unverified): waitForSteadyState=true waits for tasks to start and pass health checks"}
		}
		return Basis{20 * time.Second, "estimate (unverified): pulumi-aws v6.83.4 ecs.Service waitForSteadyState defaults to false (the recorded services leave it unset), so the create returns once the service exists, before any task runs"}
	case "aws:lambda/function:Function":
		if inVPC(r) {
			return Basis{90 * time.Second, "estimate (unverified): a function in a VPC stays Pending while Lambda creates its Hyperplane ENIs for the subnet/security-group pair (AWS Compute Blog, \"Announcing improved VPC networking for AWS Lambda functions\", 2019); the provider waits for Active"}
		}
		return Basis{10 * time.Second, "estimate (unverified): upload and create, the provider waits for Active"}
	}
	if b, ok := fixed[r.Type]; ok {
		return b
	}
	if r.Remote {
		return Basis{30 * time.Second, "estimate (unverified): remote component without an expansion model"}
	}
	return defaultBasis
}

func rdsInstance(r *plan.Resource) Basis {
	if r.Input("multiAz") == true {
		return Basis{20 * time.Minute, "measured: a Multi-AZ instance is created, then converted (\"Applying modification to convert to a Multi-AZ DB Instance\"), 15-20 min in all (RDS event log in hashicorp/terraform#498); one Multi-AZ MySQL create took 36m13s (hashicorp/terraform-provider-aws#43322); " + tfRDS}
	}
	return Basis{10 * time.Minute, "measured: single-AZ \"up to 5/10 minutes\" (RDS event log in hashicorp/terraform#498); " + tfRDS}
}

// replicationGroup: one node versus a primary with replicas across AZs.
// Nobody could confirm typical figures; the acceptance tests that pushed the
// provider's timeout to 60m show the spread.
func replicationGroup(r *plan.Resource) Basis {
	nodes, _ := r.Input("numCacheClusters").(float64)
	if nodes > 1 || r.Input("multiAzEnabled") == true {
		return Basis{15 * time.Minute, fmt.Sprintf("estimate (unverified): %d nodes, Multi-AZ %v, replicas are added after the primary; TestAccAWSElasticacheReplicationGroup_multiAzInVpc ran 1653 s end to end, create and destroy together, so the create alone took less (hashicorp/terraform-provider-aws#17296); %s", int(nodes), r.Input("multiAzEnabled") == true, tfCache)}
	}
	return Basis{8 * time.Minute, "estimate (unverified): one node; " + tfCache}
}

func inVPC(r *plan.Resource) bool {
	vc, _ := r.Input("vpcConfig").(map[string]any)
	subnets, _ := vc["subnetIds"].([]any)
	return len(subnets) > 0
}

// vpcExpansion models the awsx VPC as the longest chain its provider walks:
// VPC, then subnets, then per subnet a route table and its default route;
// with NAT gateways, the private routes wait for a NAT gateway in a public
// subnet instead. Everything at one level runs in parallel.
func vpcExpansion(r *plan.Resource, res *plan.Result) Basis {
	var counts map[string]int
	for _, e := range res.Expansions() {
		if e.Component == r.Name {
			counts = e.Counts
		}
	}
	d := vpcCreate.Duration + subnet.Duration + 2*routing.Duration
	what := "VPC + subnet + route table + route; " + vpcCreate.Source + "; " + routing.Source
	if counts["aws:ec2/natGateway:NatGateway"] > 0 {
		d = vpcCreate.Duration + subnet.Duration + natGW.Duration + routing.Duration
		what = "VPC + public subnet + NAT gateway + private route; " + vpcCreate.Source + "; NAT gateway " + natGW.Source
	}
	return Basis{d, fmt.Sprintf("awsx expansion (%d subnets, %d NAT gateways): %s",
		counts["aws:ec2/subnet:Subnet"], counts["aws:ec2/natGateway:NatGateway"], what)}
}
