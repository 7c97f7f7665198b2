package main

import (
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/components"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// Type tokens the tests look for.
const (
	tVpc         = "awsx:ec2:Vpc"
	tEndpoint    = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tFlowLog     = "aws:ec2/flowLog:FlowLog"
	tLogGroup    = "aws:cloudwatch/logGroup:LogGroup"
	tRole        = "aws:iam/role:Role"
	tRolePolicy  = "aws:iam/rolePolicy:RolePolicy"
	tDefaultSG   = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
	tSG          = "aws:ec2/securityGroup:SecurityGroup"
	tIngressRule = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
)

// want describes what each committed stack must produce.
var want = map[string]struct {
	azs       []string
	nat       string // awsx's NAT gateway strategy
	natConfig string // network.natGateways
	retained  int    // flow log retention days
}{
	// dev's NAT is an instance, so awsx makes no NAT gateway.
	"dev": {azs: []string{"eu-central-1a", "eu-central-1b"}, nat: "None", natConfig: "Instance", retained: 7},
	// prod has no NAT at all: AWS APIs through interface endpoints.
	"prod": {azs: []string{"eu-central-1a", "eu-central-1b", "eu-central-1c"}, nat: "None", natConfig: "None", retained: 365},
}

func TestResourceCounts(t *testing.T) {
	common := map[string]int{
		"pushplatform:network:Network":                   1,
		"pushplatform:datastores:DataStores":             1,
		"pushplatform:cluster:Cluster":                   1,
		"pushplatform:producerconsumer:ProducerConsumer": 1,
		"pushplatform:pushtier:PushTier":                 1,
		// Log processing: the delivery stream (its log stream), the
		// processor with its failure queue, invoke config, S3 permission
		// and the bucket notification, and the Push Messages API.
		"pushplatform:logprocessing:LogProcessing":                       1,
		"aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":      1,
		"aws:cloudwatch/logStream:LogStream":                             1,
		"aws:sqs/queue:Queue":                                            1,
		"aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": 1,
		"aws:lambda/permission:Permission":                               1,
		"aws:s3/bucketNotification:BucketNotification":                   1,
		// The push tier: its NLB (and group), the crypto key (random
		// bytes, secret, version), two more services and repositories.
		"random:index/randomBytes:RandomBytes": 1,
		"pushplatform:frontend:Frontend":       1,
		// The distribution with its OAC, VPC origin, SPA function and
		// headers policy; the fixture site's three files; standard logs
		// (v2) through an explicit us-east-1 provider.
		"aws:cloudfront/distribution:Distribution":                             1,
		"aws:cloudfront/originAccessControl:OriginAccessControl":               1,
		"aws:cloudfront/vpcOrigin:VpcOrigin":                                   1,
		"aws:cloudfront/function:Function":                                     1,
		"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":           1,
		"aws:s3/bucketObjectv2:BucketObjectv2":                                 3,
		"aws:cloudwatch/logDeliverySource:LogDeliverySource":                   1,
		"aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination":         1,
		"aws:cloudwatch/logDelivery:LogDelivery":                               1,
		"pulumi:providers:aws":                                                 1,
		"pushplatform:service:Service":                                         5,
		tVpc:                                                                   1,
		tFlowLog:                                                               1,
		tDefaultSG:                                                             1,
		"aws:rds/instance:Instance":                                            1,
		"aws:rds/parameterGroup:ParameterGroup":                                1,
		"aws:rds/subnetGroup:SubnetGroup":                                      1,
		"aws:elasticache/replicationGroup:ReplicationGroup":                    1,
		"aws:elasticache/parameterGroup:ParameterGroup":                        1,
		"aws:elasticache/subnetGroup:SubnetGroup":                              1,
		"random:index/randomPassword:RandomPassword":                           3, // cache AUTH, app DB user
		"aws:secretsmanager/secret:Secret":                                     4, // and the push crypto key
		"aws:secretsmanager/secretVersion:SecretVersion":                       4,
		"aws:dynamodb/table:Table":                                             3,
		"aws:s3/bucketV2:BucketV2":                                             5,
		"aws:s3/bucketOwnershipControls:BucketOwnershipControls":               5,
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":               5,
		"aws:s3/bucketPolicy:BucketPolicy":                                     5,
		"aws:s3/bucketVersioningV2:BucketVersioningV2":                         3, // frontend, assets, documents
		"aws:s3/bucketLoggingV2:BucketLoggingV2":                               4, // every bucket but logs
		"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": 5,
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": 5,
		"aws:ecs/cluster:Cluster":                                      1,
		"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":    1,
		"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": 1,
		"aws:servicediscovery/service:Service":                         1, // producer.<namespace>
		"aws:lb/loadBalancer:LoadBalancer":                             2, // the internal ALB, the push NLB
		"aws:lb/listener:Listener":                                     2, // HTTP on the internal ALB for the VPC origin; the NLB's
		"aws:lb/listenerRule:ListenerRule":                             3, // producer, autoendpoint
		"aws:lb/targetGroup:TargetGroup":                               4, // producer, autoendpoint, autoconnect (NLB)
		"aws:ecs/taskDefinition:TaskDefinition":                        5,
		"aws:ecs/service:Service":                                      5,
		"aws:appautoscaling/target:Target":                             5,
		"aws:appautoscaling/policy:Policy":                             5,
		"aws:ecr/repository:Repository":                                5,
		"aws:ecr/lifecyclePolicy:LifecyclePolicy":                      5,
		"aws:lambda/function:Function":                                 2,
		"aws:lambda/invocation:Invocation":                             1,
	}
	perStack := map[string]map[string]int{
		// flow logs, migrate, producer and consumer execution + task roles
		// + RDS enhanced monitoring (both stacks)
		// prod adds 5 interface endpoints behind their own group, which
		// admits the producer, consumer and migration (3 rules each way),
		// and the two services' egress to S3's prefix list.
		// dev adds the NAT instance: its interface, address, launch
		// template, instance, a default route per AZ, and its group, which
		// admits the three workloads and goes out on 443.
		// Log processing adds 4 roles (firehose, processor, API execution
		// and task), the processor's VPC access attachment, 2 groups
		// (processor, API) and their rules; prod its Firehose endpoint.
		// The push tier adds 4 roles, 3 groups (two services, the NLB), 7
		// ingress rules (NLB from the internet, autoconnect from the NLB,
		// autoendpoint from the ALB, router port from both, each service
		// into the NAT or the endpoints) and their egress sides, plus
		// each service's way out (NAT, or endpoints, S3 and DynamoDB).
		// Log groups: flow logs, mysql x2, cache, migrate, producer,
		// consumer, autoconnect, autoendpoint, firehose, processor, push
		// messages API. Role policies: flow logs, migrate,
		// producer/consumer execution, producer task (documents), consumer
		// task, autoconnect/autoendpoint execution + task, firehose,
		// processor, API execution + task.
		"dev": {tRole: 15, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3, tEndpoint: 2, tSG: 12, "pushplatform:network:SecurityGroup": 12,
			tLogGroup: 12, tRolePolicy: 14,
			tIngressRule: 22, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 28,
			"aws:ec2/networkInterface:NetworkInterface": 1, "aws:ec2/eip:Eip": 1, "aws:ec2/launchTemplate:LaunchTemplate": 1,
			"aws:ec2/instance:Instance": 1, "aws:ec2/route:Route": 2},
		// prod also operates itself (dev turns these off): alarms on one
		// SNS topic with its own key, a dashboard, the backup plan and its
		// vault (own key, lock, role with two managed policies), and four
		// FIS templates, each with its role and policy, logging to one
		// more group.
		"prod": {tRole: 15 + 1 + 4, "aws:iam/rolePolicyAttachment:RolePolicyAttachment": 3 + 2, tEndpoint: 8, tSG: 12, "pushplatform:network:SecurityGroup": 12,
			tIngressRule: 22, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": 30,
			tLogGroup: 12 + 1, tRolePolicy: 14 + 4,
			"pushplatform:observability:Observability": 1, "aws:sns/topic:Topic": 1, "aws:kms/key:Key": 2,
			"aws:cloudwatch/metricAlarm:MetricAlarm": 56, "aws:cloudwatch/dashboard:Dashboard": 1,
			"pushplatform:backups:Backups": 1, "aws:backup/vault:Vault": 1, "aws:backup/vaultLockConfiguration:VaultLockConfiguration": 1,
			"aws:backup/plan:Plan": 1, "aws:backup/selection:Selection": 1,
			"pushplatform:chaos:Chaos": 1, "aws:fis/experimentTemplate:ExperimentTemplate": 4},
	}
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			wantCounts := maps.Clone(common)
			maps.Copy(wantCounts, perStack[stack])
			res := plantest.Run(t, stack)
			if got := res.Counts(); !reflect.DeepEqual(got, wantCounts) {
				for typ := range mergeKeys(got, wantCounts) {
					if got[typ] != wantCounts[typ] {
						t.Errorf("%s: %d, want %d", typ, got[typ], wantCounts[typ])
					}
				}
			}
		})
	}
}

func mergeKeys(a, b map[string]int) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

func TestVPC(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			w := want[stack]
			res := plantest.Run(t, stack)
			vpc := plantest.One(t, res, tVpc, "network-vpc")
			if got := plantest.Strings(vpc.Input("availabilityZoneNames")); !reflect.DeepEqual(got, w.azs) {
				t.Errorf("AZs = %v, want %v", got, w.azs)
			}
			nat, _ := vpc.Input("natGateways").(map[string]any)
			if nat["strategy"] != w.nat {
				t.Errorf("NAT strategy = %v, want %s", nat["strategy"], w.nat)
			}
			if vpc.InputString("subnetStrategy") != "Auto" || vpc.InputString("cidrBlock") != "10.0.0.0/16" {
				t.Errorf("subnetStrategy/cidr = %s/%s", vpc.InputString("subnetStrategy"), vpc.InputString("cidrBlock"))
			}
			if vpc.Input("enableDnsHostnames") != true || vpc.Input("enableDnsSupport") != true {
				t.Error("VPC DNS hostnames and support must both be on (Cloud Map, endpoints)")
			}
			specs, _ := vpc.Input("subnetSpecs").([]any)
			var tiers []string
			for _, s := range specs {
				spec := s.(map[string]any)
				tiers = append(tiers, spec["type"].(string))
				if blocks := plantest.Strings(spec["cidrBlocks"]); len(blocks) != len(w.azs) {
					t.Errorf("%s subnets %v: want one CIDR per AZ", spec["type"], blocks)
				}
			}
			if !reflect.DeepEqual(tiers, []string{"Public", "Private", "Isolated"}) {
				t.Errorf("subnet tiers = %v", tiers)
			}
			// What awsx builds from these inputs: one NAT per AZ in prod, one in dev.
			exp := res.Expansions()
			nats := map[string]int{"None": 0, "Single": 1, "OnePerAz": len(w.azs)}[w.nat]
			if len(exp) != 1 || exp[0].Counts["aws:ec2/natGateway:NatGateway"] != nats || exp[0].Counts["aws:ec2/subnet:Subnet"] != 3*len(w.azs) {
				t.Errorf("awsx expansion = %+v, want %d NAT gateways and %d subnets", exp, nats, 3*len(w.azs))
			}
			// With no NAT gateway awsx routes only the public subnets (to the
			// internet gateway); private ones get a default route only from
			// a NAT instance (dev), never in prod.
			if exp[0].Counts["aws:ec2/route:Route"] != len(w.azs) {
				t.Errorf("awsx routes = %d, want only the %d public ones", exp[0].Counts["aws:ec2/route:Route"], len(w.azs))
			}
			if routes := len(res.OfType("aws:ec2/route:Route")); (stack == "prod") != (routes == 0) {
				t.Errorf("%d routes added to private subnets", routes)
			}
			for _, key := range []string{"publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"} {
				if got := plantest.Strings(res.Outputs[key]); len(got) != len(w.azs) {
					t.Errorf("output %s = %v, want one per AZ", key, got)
				}
			}
		})
	}
}

func TestGatewayEndpoints(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		var services []string
		for _, ep := range res.OfType(tEndpoint) {
			if ep.InputString("vpcEndpointType") != "Gateway" {
				continue // TestInterfaceEndpoints
			}
			services = append(services, ep.InputString("serviceName"))
			if ep.InputString("vpcId") != "vpc-network-vpc" {
				t.Errorf("%s: %s is not in the VPC: %s", stack, ep.Name, ep.InputString("vpcId"))
			}
		}
		slices.Sort(services)
		if want := []string{"com.amazonaws.eu-central-1.dynamodb", "com.amazonaws.eu-central-1.s3"}; !reflect.DeepEqual(services, want) {
			t.Errorf("%s: endpoints = %v, want %v", stack, services, want)
		}
	}
}

// TestInterfaceEndpoints: prod reaches the AWS APIs its workloads call
// through interface endpoints with private DNS in the private subnets,
// behind one group that admits exactly the workloads on 443; nothing in
// prod has egress to the internet (the migration carries the RDS CA
// bundle). dev has none and goes through its NAT instance.
func TestInterfaceEndpoints(t *testing.T) {
	wantUsers := []string{"app-consumer", "app-migrate", "app-producer", "logs-api", "logs-processor", "push-autoconnect", "push-autoendpoint"}
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		var services []string
		for _, ep := range res.OfType(tEndpoint) {
			if ep.InputString("vpcEndpointType") != "Interface" {
				continue
			}
			services = append(services, strings.TrimPrefix(ep.InputString("serviceName"), "com.amazonaws.eu-central-1."))
			sgs := plantest.Strings(ep.Input("securityGroupIds"))
			if ep.Input("privateDnsEnabled") != true || !plantest.AllPrefixed(plantest.Strings(ep.Input("subnetIds")), "subnet-private-") ||
				len(sgs) != 1 || res.ByID(sgs[0]).Name != "network-endpoints" {
				t.Errorf("%s: %s = %v", stack, ep.Name, ep.PlainInputs())
			}
		}
		slices.Sort(services)
		want := map[string][]string{"dev": nil, "prod": config.DefaultInterfaceEndpoints}[stack]
		if !slices.Equal(services, want) {
			t.Errorf("%s: interface endpoints %v, want %v", stack, services, want)
		}
		var users []string
		for _, r := range res.SecurityMatrix() {
			if r.Group == "network-endpoints" {
				if r.Direction != "ingress" || r.Ports != "443" || r.PeerIsCIDR {
					t.Errorf("%s: endpoint group rule %+v", stack, r)
				}
				users = append(users, r.Peer)
			}
			if r.Direction == "egress" && r.PeerIsCIDR && stack == "prod" {
				t.Errorf("prod: %s has egress to the internet; nothing there needs it: %+v", r.Group, r)
			}
		}
		slices.Sort(users)
		if stack == "prod" && !slices.Equal(users, wantUsers) {
			t.Errorf("prod: the endpoint group admits %v, want exactly %v", users, wantUsers)
		}
		if stack == "dev" && len(users) != 0 {
			t.Errorf("dev: endpoint users %v without endpoints", users)
		}
	}
}

func TestFlowLogs(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			group := plantest.One(t, res, tLogGroup, "network-flow-logs")
			if got := group.Input("retentionInDays"); got != float64(want[stack].retained) {
				t.Errorf("retention = %v, want %d", got, want[stack].retained)
			}
			fl := plantest.One(t, res, tFlowLog, "network-flow-logs")
			if fl.InputString("trafficType") != "ALL" || fl.InputString("vpcId") != "vpc-network-vpc" {
				t.Errorf("flow log = %v", fl.PlainInputs())
			}
			groupARN := group.Outputs["arn"].StringValue()
			if fl.InputString("logDestination") != groupARN {
				t.Errorf("flow log goes to %s, want the group %s", fl.InputString("logDestination"), groupARN)
			}

			role := plantest.One(t, res, tRole, "network-flow-logs")
			trust := plantest.Policy(t, role, "assumeRolePolicy")
			st := trust.Statement[0]
			if len(trust.Statement) != 1 || !reflect.DeepEqual(st.Principal["Service"], []string{"vpc-flow-logs.amazonaws.com"}) {
				t.Errorf("trust = %+v", trust)
			}
			if got := st.Condition["StringEquals"]["aws:SourceAccount"]; !reflect.DeepEqual(got, []string{plan.FakeAccount}) {
				t.Errorf("trust is not pinned to the account: %v", st.Condition)
			}

			perms := plantest.Policy(t, plantest.One(t, res, tRolePolicy, "network-flow-logs"), "policy")
			var actions []string
			for _, s := range perms.Statement {
				actions = append(actions, s.Action...)
				for _, r := range s.Resource {
					if r == "*" {
						t.Errorf("statement %s grants on *", s.Sid)
					}
				}
			}
			slices.Sort(actions)
			wantActions := []string{"logs:CreateLogStream", "logs:DescribeLogGroups", "logs:DescribeLogStreams", "logs:PutLogEvents"}
			if !reflect.DeepEqual(actions, wantActions) {
				t.Errorf("flow log actions = %v, want %v", actions, wantActions)
			}
			if got := perms.Statement[0].Resource; !reflect.DeepEqual(got, []string{groupARN + ":*"}) {
				t.Errorf("write permissions on %v, want only %s:*", got, groupARN)
			}
		})
	}
}

func TestDefaultSecurityGroupIsEmptied(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		sg := plantest.One(t, res, tDefaultSG, "network-default-sg")
		if sg.Input("ingress") != nil || sg.Input("egress") != nil || sg.InputString("vpcId") != "vpc-network-vpc" {
			t.Errorf("%s: default SG must be adopted with no rules: %v", stack, sg.PlainInputs())
		}
	}
}

func TestSecurityMatrix(t *testing.T) {
	type rule struct{ dir, group, peer, ports, why string }
	nat := "AWS APIs and image pulls through NAT"
	natInstance := "AWS APIs and image pulls through the NAT instance"
	vpce := "AWS APIs and image pulls through interface endpoints"
	layers := "S3 through its gateway endpoint: image layers and app objects"
	wants := map[string][]rule{
		// dev: AWS APIs through NAT (no interface endpoints).
		"dev": {
			{"egress", "app-consumer", "0.0.0.0/0", "443", nat},
			{"egress", "app-consumer", "datastores-cache", "6379", "Producer/consumer queue"},
			{"egress", "app-consumer", "datastores-mysql", "3306", "Producer/consumer rows"},
			{"egress", "app-consumer", "network-nat", "443", natInstance},
			{"egress", "app-migrate", "0.0.0.0/0", "443", "Secrets Manager through NAT"},
			{"egress", "app-migrate", "datastores-mysql", "3306", "Schema migration to MySQL"},
			{"egress", "app-migrate", "network-nat", "443", "Secrets Manager through the NAT instance"},
			{"ingress", "app-producer", "network-alb", "5080", "Load balancer to app-producer"},
			{"egress", "app-producer", "0.0.0.0/0", "443", nat},
			{"egress", "app-producer", "datastores-cache", "6379", "Producer/consumer queue"},
			{"egress", "app-producer", "datastores-mysql", "3306", "Producer/consumer rows"},
			{"egress", "app-producer", "network-nat", "443", natInstance},
		},
		// prod: AWS APIs through the interface endpoints, S3 through its
		// gateway; only the migration's declared CA bundle download goes
		// out to the internet.
		"prod": {
			{"egress", "app-consumer", "datastores-cache", "6379", "Producer/consumer queue"},
			{"egress", "app-consumer", "datastores-mysql", "3306", "Producer/consumer rows"},
			{"egress", "app-consumer", "network-endpoints", "443", vpce},
			{"egress", "app-consumer", "network-s3 (prefix list)", "443", layers},
			{"egress", "app-migrate", "datastores-mysql", "3306", "Schema migration to MySQL"},
			{"egress", "app-migrate", "network-endpoints", "443", "Secrets Manager through interface endpoints"},
			{"ingress", "app-producer", "network-alb", "5080", "Load balancer to app-producer"},
			{"egress", "app-producer", "datastores-cache", "6379", "Producer/consumer queue"},
			{"egress", "app-producer", "datastores-mysql", "3306", "Producer/consumer rows"},
			{"egress", "app-producer", "network-endpoints", "443", vpce},
			{"egress", "app-producer", "network-s3 (prefix list)", "443", layers},
		},
	}
	common := []rule{
		{"ingress", "datastores-cache", "app-consumer", "6379", "Producer/consumer queue"},
		{"ingress", "datastores-cache", "app-producer", "6379", "Producer/consumer queue"},
		{"ingress", "datastores-mysql", "app-consumer", "3306", "Producer/consumer rows"},
		{"ingress", "datastores-mysql", "app-migrate", "3306", "Schema migration to MySQL"},
		{"ingress", "datastores-mysql", "app-producer", "3306", "Producer/consumer rows"},
	}
	// The internal load balancer admits CloudFront's origin-facing
	// addresses only, and reaches the producer.
	alb := []rule{
		{"ingress", "network-alb", "cloudfront (prefix list pl-a3a144ca)", "80", "CloudFront VPC origin to the internal load balancer"},
		{"egress", "network-alb", "app-producer", "5080", "Load balancer to app-producer"},
	}
	for _, stack := range plantest.Stacks {
		want := append(append(slices.Clone(wants[stack]), common...), alb...)
		if stack == "dev" {
			want = append(want, rule{"ingress", "network-nat", "app-consumer", "443", natInstance},
				rule{"ingress", "network-nat", "app-migrate", "443", "Secrets Manager through the NAT instance"},
				rule{"ingress", "network-nat", "app-producer", "443", natInstance},
				rule{"egress", "network-nat", "0.0.0.0/0", "443", "Forwarded traffic and the instance package installs"})
		}
		if stack == "prod" {
			want = append(want, []rule{
				{"ingress", "network-endpoints", "app-consumer", "443", vpce},
				{"ingress", "network-endpoints", "app-migrate", "443", "Secrets Manager through interface endpoints"},
				{"ingress", "network-endpoints", "app-producer", "443", vpce},
			}...)
		}
		res := plantest.Run(t, stack)
		var got []rule
		for _, r := range res.SecurityMatrix() {
			if r.Protocol != "tcp" {
				t.Errorf("%s: %s rule on protocol %s; only single TCP ports are opened", stack, r.Group, r.Protocol)
			}
			// The push tier's and log processing's flows are listed in
			// their own tests (components/pushtier, components/logprocessing);
			// the rules below hold for them too.
			if !strings.HasPrefix(r.Group, "push-") && !strings.HasPrefix(r.Peer, "push-") && !strings.HasPrefix(r.Group, "logs-") && !strings.HasPrefix(r.Peer, "logs-") {
				got = append(got, rule{r.Direction, r.Group, r.Peer, r.Ports, r.Description})
			}
			switch {
			case r.PeerIsCIDR && r.Direction == "ingress" && (r.Group != "push-nlb" || r.Ports != "80" && r.Ports != "443"):
				t.Errorf("%s: only the push clients' NLB takes traffic from a CIDR, on 80 or 443 (the ALB admits CloudFront's prefix list); %s does on %s", stack, r.Group, r.Ports)
			case (r.PeerIsCIDR || strings.Contains(r.Peer, "prefix list")) && r.Direction == "egress" && r.Ports != "443":
				t.Errorf("%s: %s may leave the VPC on 443 only: %+v", stack, r.Group, r)
			case strings.HasPrefix(r.Group, "datastores-") && r.Direction == "egress":
				t.Errorf("%s: data store group %s has egress: %+v", stack, r.Group, r)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s matrix:\n got %v\nwant %v", stack, got, want)
		}
		for _, sg := range res.OfType(tSG) {
			if sg.Input("ingress") != nil || sg.Input("egress") != nil {
				t.Errorf("%s: %s has inline rules; rules must be their own resources", stack, sg.Name)
			}
		}
	}
}

// Every resource hangs under a component of ours, and its logical name
// starts with its component's name: names and parents are a compatibility
// contract, and stray top-level resources would escape it.
func TestEveryResourceIsParentedAndPrefixed(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		for _, r := range res.Resources {
			if r.Parent == "" {
				if r.Custom || !strings.HasPrefix(r.Type, "pushplatform:") {
					t.Errorf("%s: %s %s sits at the top level", stack, r.Type, r.Name)
				}
				continue
			}
			parent := res.ByURN(r.Parent)
			if parent == nil {
				t.Errorf("%s: %s %s has an unknown parent %s", stack, r.Type, r.Name, r.Parent)
				continue
			}
			if !strings.HasPrefix(r.Name, parent.Name) {
				t.Errorf("%s: %s %s does not start with its parent's name %s", stack, r.Type, r.Name, parent.Name)
			}
		}
	}
}

func TestOnlyOfflineInvokes(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		if len(res.Invokes) == 0 {
			t.Fatalf("%s: no invokes recorded; the policy documents should have been rendered", stack)
		}
		for _, inv := range res.Invokes {
			if !plan.OfflineSafeInvokes[inv.Token] {
				t.Errorf("%s: %s would call AWS during preview", stack, inv.Token)
			}
		}
	}
}

func TestOutputs(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		for _, key := range []string{"region", "highAvailability", "vpcId", "vpcCidr", "availabilityZones", "natGateways", "publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds", "loadBalancerSecurityGroupId"} {
			if res.Outputs[key] == nil {
				t.Errorf("%s: output %s missing", stack, key)
			}
		}
		if res.Outputs["natGateways"] != want[stack].natConfig {
			t.Errorf("%s: natGateways output = %v", stack, res.Outputs["natGateways"])
		}
	}
}

// TestBadConfigRegistersNothing feeds bad stack configs through the whole
// program: each must fail with one error naming the key, and the program
// must not have registered a single resource.
func TestBadConfigRegistersNothing(t *testing.T) {
	const ns = "pushplatform:"
	net := func(json string) func(map[string]string) {
		return func(v map[string]string) { v[ns+"network"] = json }
	}
	svc := func(json string) func(map[string]string) {
		return func(v map[string]string) { v[ns+"services"] = json }
	}
	obj := func(key, json string) func(map[string]string) {
		return func(v map[string]string) { v[ns+key] = json }
	}
	image := "123456789012.dkr.ecr.eu-central-1.amazonaws.com/c@sha256:" + strings.Repeat("a", 64)
	cases := []struct {
		name, stack, key string
		edit             func(map[string]string)
	}{
		{"unknown profile value", "dev", "highAvailability", func(v map[string]string) { v[ns+"highAvailability"] = "maybe" }},
		{"CIDR too small", "dev", "network.cidr", net(`{"cidr":"10.0.0.0/30","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"CIDR with host bits", "dev", "network.cidr", net(`{"cidr":"10.0.0.1/16","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"public CIDR", "dev", "network.cidr", net(`{"cidr":"8.8.0.0/16","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"subnets do not fit", "dev", "network.cidr", net(`{"cidr":"10.0.0.0/22","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"missing AZs", "dev", "network.availabilityZones", net(`{}`)},
		{"foreign AZ", "dev", "network.availabilityZones[1]", net(`{"availabilityZones":["eu-central-1a","us-east-1b"]}`)},
		{"duplicate AZ", "dev", "network.availabilityZones[1]", net(`{"availabilityZones":["eu-central-1a","eu-central-1a","eu-central-1b"]}`)},
		{"fewer AZs than prod needs", "prod", "network.availabilityZones", net(`{"availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"one AZ", "dev", "network.azCount", net(`{"azCount":1,"availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"negative AZ count", "dev", "network.azCount", net(`{"azCount":-2,"availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"unknown NAT strategy", "dev", "network.natGateways", net(`{"natGateways":"Double","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"unsupported log retention", "dev", "network.flowLogRetentionDays", net(`{"flowLogRetentionDays":10,"availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"subnet mask out of range", "dev", "network.privateSubnetMask", net(`{"privateSubnetMask":30,"availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"typo in a top-level key", "dev", "highAvailabilty", func(v map[string]string) { v[ns+"highAvailabilty"] = "true" }},
		{"typo in a sub-key", "dev", "network.azcount", net(`{"azcount":2,"availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"flat key instead of --path", "dev", "network.azCount", func(v map[string]string) { v[ns+"network.azCount"] = "3" }},
		{"min greater than max", "dev", "services.producer.minCount", svc(`{"producer":{"minCount":3,"maxCount":2}}`)},
		{"negative count", "dev", "services.consumer.desiredCount", svc(`{"consumer":{"desiredCount":-1}}`)},
		{"invalid Fargate CPU", "dev", "services.producer.cpu", svc(`{"producer":{"cpu":300}}`)},
		{"memory not valid for the CPU", "dev", "services.producer.memoryMiB", svc(`{"producer":{"cpu":256,"memoryMiB":4096}}`)},
		{"single task under HA", "prod", "services.consumer.minCount", svc(`{"consumer":{"minCount":1,"desiredCount":1}}`)},
		{"unknown service", "dev", "services.pushy", svc(`{"pushy":{}}`)},
		{"count given as text", "dev", "services.producer.maxCount", svc(`{"producer":{"maxCount":"ten"}}`)},
		{"missing region", "dev", "aws:region", func(v map[string]string) { delete(v, "aws:region") }},
		{"uppercase DB identifier", "dev", "database.identifier", obj("database", `{"identifier":"Prod_DB"}`)},
		{"MySQL 8.0", "dev", "database.engineVersion", obj("database", `{"engineVersion":"8.0"}`)},
		{"storage ceiling below the floor", "dev", "database.maxAllocatedStorageGiB", obj("database", `{"allocatedStorageGiB":100,"maxAllocatedStorageGiB":50}`)},
		{"Performance Insights on a micro class", "dev", "database.performanceInsights", obj("database", `{"performanceInsights":true}`)},
		{"odd monitoring interval", "dev", "database.monitoringIntervalSeconds", obj("database", `{"monitoringIntervalSeconds":7}`)},
		{"read replicas of an RDS-managed password", "dev", "database.readReplicas", obj("database", `{"readReplicas":1}`)},
		{"memcached", "dev", "cache.engine", obj("cache", `{"engine":"memcached"}`)},
		{"unknown Valkey version", "dev", "cache.engineVersion", obj("cache", `{"engineVersion":"9.9"}`)},
		{"single cache node under HA", "prod", "cache.nodes", obj("cache", `{"nodes":1}`)},
		{"two tables with one name", "dev", "tables.messageTable", obj("tables", `{"routerTable":"shared","messageTable":"shared"}`)},
		{"zero-day log retention", "dev", "buckets.logRetentionDays", obj("buckets", `{"logRetentionDays":0}`)},
		{"Spot in prod", "prod", "cluster.spot", obj("cluster", `{"spot":true}`)},
		{"load balancer certificate (the ALB is internal)", "prod", "cluster.certificateArn", obj("cluster", `{"certificateArn":"arn:aws:acm:eu-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}`)},
		{"viewer certificate outside us-east-1", "prod", "frontend.certificateArn", obj("frontend", `{"certificateArn":"arn:aws:acm:eu-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100","aliases":["app.example.com"]}`)},
		{"viewer certificate without aliases", "prod", "frontend.certificateArn", obj("frontend", `{"certificateArn":"arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}`)},
		{"aliases without a certificate", "prod", "frontend.aliases", obj("frontend", `{"aliases":["app.example.com"]}`)},
		{"uppercase alias", "prod", "frontend.aliases", obj("frontend", `{"aliases":["App.Example.com"],"certificateArn":"arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}`)},
		{"unknown price class", "dev", "frontend.priceClass", obj("frontend", `{"priceClass":"PriceClass_50"}`)},
		{"malformed CloudFront prefix list", "dev", "network.cloudFrontPrefixListId", net(`{"cloudFrontPrefixListId":"cloudfront","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"aws key the us-east-1 provider cannot carry", "dev", "aws:endpoints", func(v map[string]string) { v["aws:endpoints"] = `[{"s3":"http://localhost:4566"}]` }},
		{"ALB idle timeout too long", "dev", "cluster.albIdleTimeoutSeconds", obj("cluster", `{"albIdleTimeoutSeconds":5000}`)},
		{"unknown artifact mode", "dev", "artifacts.mode", obj("artifacts", `{"mode":"docker"}`)},
		{"prebuilt image given by tag-less name", "dev", "artifacts.images.producer", obj("artifacts", `{"mode":"prebuilt","images":{"producer":"producer","consumer":"`+image+`","autoconnect":"`+image+`","autoendpoint":"`+image+`","pushmessages":"`+image+`"},"packages":{"migrate":"dist/migrate.zip","pushprocessor":"dist/pushprocessor.zip"},"sites":{"frontend":"frontend/dist"}}`)},
		{"prebuilt image of an undeclared app", "dev", "artifacts.images.pushgatway", obj("artifacts", `{"mode":"prebuilt","images":{"producer":"`+image+`","consumer":"`+image+`","autoconnect":"`+image+`","autoendpoint":"`+image+`","pushmessages":"`+image+`","pushgatway":"`+image+`"},"packages":{"migrate":"dist/migrate.zip","pushprocessor":"dist/pushprocessor.zip"},"sites":{"frontend":"frontend/dist"}}`)},
		{"prebuilt package missing", "dev", "artifacts.packages.migrate", obj("artifacts", `{"mode":"prebuilt","images":{"producer":"`+image+`","consumer":"`+image+`","autoconnect":"`+image+`","autoendpoint":"`+image+`","pushmessages":"`+image+`"},"packages":{"pushprocessor":"dist/pushprocessor.zip"},"sites":{"frontend":"frontend/dist"}}`)},
		{"no Firehose endpoint without NAT", "prod", "network.interfaceEndpoints", net(`{"interfaceEndpoints":["ecr.api","ecr.dkr","logs","monitoring","secretsmanager"],"availabilityZones":["eu-central-1a","eu-central-1b","eu-central-1c"]}`)},
		{"processing without records", "dev", "logs.processing", obj("logs", `{"enabled":false}`)},
		{"Firehose buffer too long", "dev", "logs.bufferSeconds", obj("logs", `{"bufferSeconds":901}`)},
		{"prebuilt site missing", "dev", "artifacts.sites.frontend", obj("artifacts", `{"mode":"prebuilt","images":{"producer":"`+image+`","consumer":"`+image+`","autoconnect":"`+image+`","autoendpoint":"`+image+`","pushmessages":"`+image+`"},"packages":{"migrate":"dist/migrate.zip","pushprocessor":"dist/pushprocessor.zip"}}`)},
		{"site of an undeclared app", "dev", "artifacts.sites.frontnd", obj("artifacts", `{"mode":"prebuilt","images":{"producer":"`+image+`","consumer":"`+image+`","autoconnect":"`+image+`","autoendpoint":"`+image+`","pushmessages":"`+image+`"},"packages":{"migrate":"dist/migrate.zip","pushprocessor":"dist/pushprocessor.zip"},"sites":{"frontend":"frontend/dist","frontnd":"x"}}`)},
		{"images given to a build", "dev", "artifacts.images", obj("artifacts", `{"mode":"build","images":{"producer":"`+image+`"}}`)},
		{"misspelled service app", "dev", "services.producr", svc(`{"producr":{"cpu":512}}`)},
		{"oversized subnet mask", "dev", "network.privateSubnetMask", net(`{"privateSubnetMask":17,"availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"two AZs under HA", "prod", "network.azCount", net(`{"azCount":2,"availabilityZones":["eu-central-1a","eu-central-1b","eu-central-1c"]}`)},
		{"misspelled project namespace", "dev", "pushplatfrom:highAvailability", func(v map[string]string) { v["pushplatfrom:highAvailability"] = "true" }},
		{"unknown aws key", "dev", "aws:regoin", func(v map[string]string) { v["aws:regoin"] = "eu-west-1" }},
		{"database identifier without room for replicas", "dev", "database.identifier", obj("database", `{"identifier":"`+strings.Repeat("d", 54)+`"}`)},
		{"Container Insights off", "dev", "cluster.containerInsights", obj("cluster", `{"containerInsights":"disabled"}`)},
		{"no NAT and no interface endpoints", "dev", "network.natGateways", net(`{"natGateways":"None","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"no NAT and no logs endpoint", "prod", "network.interfaceEndpoints", net(`{"interfaceEndpoints":["ecr.api","ecr.dkr","monitoring","secretsmanager"],"availabilityZones":["eu-central-1a","eu-central-1b","eu-central-1c"]}`)},
		{"x86 NAT instance", "dev", "network.natInstanceType", net(`{"natInstanceType":"t3.nano","availabilityZones":["eu-central-1a","eu-central-1b"]}`)},
		{"unknown interface endpoint", "prod", "network.interfaceEndpoints[5]", net(`{"interfaceEndpoints":["ecr.api","ecr.dkr","logs","monitoring","secretsmanager","firehose"],"availabilityZones":["eu-central-1a","eu-central-1b","eu-central-1c"]}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := plantest.RunWith(t, c.stack, c.edit)
			var errs config.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want config errors, got %v", err)
			}
			if len(errs) != 1 || errs[0].Key != c.key {
				t.Fatalf("want exactly one error for %s, got:\n%v", c.key, err)
			}
			if errs[0].Problem == "" {
				t.Errorf("error for %s says nothing about what is allowed", c.key)
			}
			if n := len(res.Resources); n != 0 {
				t.Fatalf("%d resources registered despite the bad config", n)
			}
		})
	}
}

// nameLimits are AWS's limits on the physical names the program sets or
// lets Pulumi autoname (logical name + "-" + 7 random characters), by type
// and name property.
var nameLimits = []struct {
	typ, prop string
	max       int
}{
	{"aws:rds/instance:Instance", "identifier", config.MaxRDSIdentifier},
	{"aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId", config.MaxReplicationGroupID},
	{"aws:elasticache/replicationGroup:ReplicationGroup", "finalSnapshotIdentifier", config.MaxReplicationGroupID},
	{"aws:lb/loadBalancer:LoadBalancer", "name", config.MaxLoadBalancerName},
	{"aws:lb/targetGroup:TargetGroup", "name", config.MaxTargetGroupName},
	{"aws:iam/role:Role", "name", config.MaxIAMRoleName},
	{"aws:lambda/function:Function", "name", 64},
	{"aws:s3/bucketV2:BucketV2", "bucket", 63},
	{"aws:ecr/repository:Repository", "name", 256},
	{"aws:ecs/taskDefinition:TaskDefinition", "family", 255},
	{"aws:secretsmanager/secret:Secret", "namePrefix", 512 - 26},
}

// TestDerivedNamesFit checks every physical name against its AWS limit, for
// the committed stacks and for the longest inputs config accepts: the
// longest stack name and the longest database identifier (which still
// leaves room for a replica's suffix).
// A name past its limit fails only at deploy, after other resources exist.
func TestDerivedNamesFit(t *testing.T) {
	worst := plantest.Config(t, "prod").Clone()
	worst.Stack = strings.Repeat("s", config.MaxStackNameLength)
	worst.Values["pushplatform:database"] = `{"identifier":"` + strings.Repeat("d", config.MaxDatabaseIdentifier) + `"}`
	if id := config.ReplicaIdentifier(strings.Repeat("d", config.MaxDatabaseIdentifier), config.MaxReadReplicas); len(id) > config.MaxRDSIdentifier {
		t.Errorf("the longest identifier leaves no room for replica %q", id)
	}
	runs := map[string]*plan.StackConfig{"dev": plantest.Config(t, "dev"), "prod": plantest.Config(t, "prod"), "longest names": worst}
	for what, sc := range runs {
		res, err := plan.Run(sc, components.Stack)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		checked := 0
		for _, l := range nameLimits {
			for _, r := range res.OfType(l.typ) {
				name, explicit := r.InputString(l.prop), true
				if name == "" {
					if l.prop == "finalSnapshotIdentifier" || l.prop == "namePrefix" || l.prop == "family" {
						continue // not set: nothing derived
					}
					name, explicit = r.Name+strings.Repeat("x", config.AutonameSuffix), false
				}
				checked++
				if len(name) > l.max {
					t.Errorf("%s: %s %s %s %q is %d characters (explicit %v), over AWS's %d", what, l.typ, r.Name, l.prop, name, len(name), explicit, l.max)
				}
			}
		}
		if checked < 20 {
			t.Errorf("%s: only %d names checked", what, checked)
		}
	}
	if len(worst.Stack) <= len("prod") {
		t.Fatal("the worst case must use a longer stack name than prod")
	}
}

// TestGeneratedSecrets: every secret the program generates (the cache AUTH
// token, the MySQL app password) comes from the one helper, so each has the
// same shape in both stacks: letters and digits only, a JSON object in its
// version, protected with a 30-day recovery window in prod and deleted at
// once (recreatable) in dev.
func TestGeneratedSecrets(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		prod := stack == "prod"
		for name, wantKeys := range map[string][]string{"datastores-cache-auth": {"authToken"}, "app-db-app": {"password", "username"}} {
			pw := plantest.One(t, res, "random:index/randomPassword:RandomPassword", name)
			if pw.Input("special") != false || pw.Input("length").(float64) < 40 {
				t.Errorf("%s %s: length %v special %v", stack, name, pw.Input("length"), pw.Input("special"))
			}
			secret := plantest.One(t, res, "aws:secretsmanager/secret:Secret", name)
			version := plantest.One(t, res, "aws:secretsmanager/secretVersion:SecretVersion", name)
			if got := secret.Input("recoveryWindowInDays"); got != map[bool]float64{true: 30, false: 0}[prod] {
				t.Errorf("%s %s recovery window %v", stack, name, got)
			}
			for _, r := range []*plan.Resource{pw, secret, version} {
				if r.Protect != prod || r.RetainOnDelete != prod {
					t.Errorf("%s %s %s: protect %v retain %v, want %v", stack, r.Type, name, r.Protect, r.RetainOnDelete, prod)
				}
			}
			if !version.Inputs["secretString"].IsSecret() {
				t.Errorf("%s %s: the version's value is not marked secret", stack, name)
			}
			var body map[string]string
			if err := json.Unmarshal([]byte(version.InputString("secretString")), &body); err != nil {
				t.Fatalf("%s %s: the version holds no JSON object: %v", stack, name, err)
			}
			if keys := slices.Sorted(maps.Keys(body)); !reflect.DeepEqual(keys, wantKeys) {
				t.Errorf("%s %s keys %v, want %v", stack, name, keys, wantKeys)
			}
		}
	}
}

// TestNATInstance: dev's egress is one arm64 NAT instance, not a NAT
// gateway. A fixed interface (source/destination check off, an Elastic IP)
// in the first public subnet; every private route table's default route
// points at it; the instance comes from a launch template whose image is
// Amazon Linux 2023's public SSM parameter (EC2 resolves it at launch:
// preview asks AWS nothing), with IMDSv2 and automatic recovery. prod has
// none of it.
func TestNATInstance(t *testing.T) {
	dev := plantest.Run(t, "dev")
	eni := plantest.One(t, dev, "aws:ec2/networkInterface:NetworkInterface", "network-nat")
	if eni.Input("sourceDestCheck") != false || eni.InputString("subnetId") != "subnet-public-eu-central-1a" {
		t.Errorf("nat interface = %v", eni.PlainInputs())
	}
	if sgs := plantest.Strings(eni.Input("securityGroups")); len(sgs) != 1 || dev.ByID(sgs[0]).Name != "network-nat" {
		t.Errorf("nat interface groups = %v", sgs)
	}
	if eip := plantest.One(t, dev, "aws:ec2/eip:Eip", "network-nat"); eip.InputString("networkInterface") != eni.ID || eip.InputString("domain") != "vpc" {
		t.Errorf("nat address = %v", eip.PlainInputs())
	}
	lt := plantest.One(t, dev, "aws:ec2/launchTemplate:LaunchTemplate", "network-nat")
	if lt.InputString("imageId") != "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64" || lt.InputString("instanceType") != "t4g.nano" {
		t.Errorf("nat launch template image %q type %q", lt.InputString("imageId"), lt.InputString("instanceType"))
	}
	meta, _ := lt.Input("metadataOptions").(map[string]any)
	maint, _ := lt.Input("maintenanceOptions").(map[string]any)
	if meta["httpTokens"] != "required" || maint["autoRecovery"] != "default" || !strings.Contains(pluckENIs(lt), eni.ID) {
		t.Errorf("nat launch template = %v", lt.PlainInputs())
	}
	if inst := plantest.One(t, dev, "aws:ec2/instance:Instance", "network-nat"); inst.Input("ami") != nil || inst.Input("launchTemplate").(map[string]any)["id"] != lt.ID {
		t.Errorf("nat instance must come from the template alone: %v", inst.PlainInputs())
	}
	routes := dev.OfType("aws:ec2/route:Route")
	if len(routes) != 2 {
		t.Fatalf("%d nat routes, want one per AZ", len(routes))
	}
	for _, r := range routes {
		if r.InputString("destinationCidrBlock") != "0.0.0.0/0" || r.InputString("networkInterfaceId") != eni.ID {
			t.Errorf("route %s = %v", r.Name, r.PlainInputs())
		}
	}
	prod := plantest.Run(t, "prod")
	for _, typ := range []string{"aws:ec2/instance:Instance", "aws:ec2/launchTemplate:LaunchTemplate", "aws:ec2/networkInterface:NetworkInterface", "aws:ec2/route:Route"} {
		if n := len(prod.OfType(typ)); n != 0 {
			t.Errorf("prod has %d %s", n, typ)
		}
	}
}

func pluckENIs(lt *plan.Resource) string { return plantest.JSON(lt.Input("networkInterfaces")) }
