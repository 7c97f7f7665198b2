package chaos

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/fis"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// The FIS action IDs and the resource types they act on, as the FIS user
// guide's "Actions reference" and "Targets" pages list them. Each action
// takes one target, named by the action's target key (the provider's
// ExperimentTemplateActionTarget: Tasks, DBInstances, ReplicationGroups,
// Subnets).
const (
	ActionStopTask         = "aws:ecs:stop-task"
	ActionRebootDB         = "aws:rds:reboot-db-instances"
	ActionCacheAZPower     = "aws:elasticache:replicationgroup-interrupt-az-power"
	ActionDisruptNetwork   = "aws:network:disrupt-connectivity"
	TargetECSTask          = "aws:ecs:task"
	TargetRDSInstance      = "aws:rds:db"
	TargetReplicationGroup = "aws:elasticache:replicationgroup"
	TargetSubnet           = "aws:ec2:subnet"
)

// The experiments, by the key that names their resources and outputs.
const (
	StopTasks     = "stop-tasks"
	MySQLFailover = "mysql-failover"
	CacheAZPower  = "cache-az-power"
	AZCut         = "az-cut"
)

// Keys lists the experiments in the order they are created.
var Keys = []string{StopTasks, MySQLFailover, CacheAZPower, AZCut}

// experiment is one template's action, its one target, and the
// permissions the action needs (FIS actions reference, "Permissions").
type experiment struct {
	Key         string
	Description string
	Action      *fis.ExperimentTemplateActionArgs
	Target      *fis.ExperimentTemplateTargetArgs
	Statements  []policy.Statement
}

// scope is what the experiments need to name the stack's resources.
type scope struct {
	partition, account pulumi.StringOutput
	region             string
	clusterName        pulumi.StringOutput
	clusterArn         pulumi.StringOutput
	vpcID              pulumi.StringOutput
	privateSubnets     pulumi.StringArrayOutput
	s3PrefixList       pulumi.StringOutput
	dynamoPrefixList   pulumi.StringOutput
	zone, cacheZone    string
	stack              string
}

func newScope(ctx *pulumi.Context, args *Args) *scope {
	net := args.Cluster.Network
	return &scope{
		partition: net.Partition, account: net.AccountID, region: args.Cluster.Region,
		clusterName: args.Cluster.Name, clusterArn: args.Cluster.Arn,
		vpcID: net.VpcID, privateSubnets: net.PrivateSubnetIDs,
		s3PrefixList: net.S3PrefixList, dynamoPrefixList: net.DynamoDBPrefixList,
		zone: args.Config.Zone(net.AvailabilityZones),
		// The replication group places its primary in the first AZ
		// (datastores: "one node per AZ with the primary in the first").
		cacheZone: net.AvailabilityZones[0],
		stack:     ctx.Stack(),
	}
}

// arn builds an ARN of this account and region.
func (s *scope) arn(service, resource string, args ...any) pulumi.StringOutput {
	return pulumi.Sprintf("arn:%s:%s:%s:%s:%s", s.partition, service, s.region, s.account, pulumi.Sprintf(resource, args...))
}

// subnetArns are the ARNs of the private subnets, the AZ cut's targets.
func (s *scope) subnetArns() pulumi.StringArrayOutput {
	return pulumi.All(s.partition, s.account, s.privateSubnets).ApplyT(func(v []any) []string {
		var out []string
		for _, id := range v[2].([]string) {
			out = append(out, fmt.Sprintf("arn:%s:ec2:%s:%s:subnet/%s", v[0], s.region, v[1], id))
		}
		return out
	}).(pulumi.StringArrayOutput)
}

// duration is an ISO 8601 duration of whole minutes, as FIS takes it.
func duration(minutes int) string { return fmt.Sprintf("PT%dM", minutes) }

func param(k, v string) *fis.ExperimentTemplateActionParameterArgs {
	return &fis.ExperimentTemplateActionParameterArgs{Key: pulumi.String(k), Value: pulumi.String(v)}
}

func action(id, name, description, targetKey, target string, params ...*fis.ExperimentTemplateActionParameterArgs) *fis.ExperimentTemplateActionArgs {
	ps := fis.ExperimentTemplateActionParameterArray{}
	for _, p := range params {
		ps = append(ps, p)
	}
	a := &fis.ExperimentTemplateActionArgs{
		ActionId: pulumi.String(id), Name: pulumi.String(name), Description: pulumi.String(description),
		Target: &fis.ExperimentTemplateActionTargetArgs{Key: pulumi.String(targetKey), Value: pulumi.String(target)},
	}
	if len(ps) > 0 {
		a.Parameters = ps
	}
	return a
}

var star = pulumi.StringArray{pulumi.String("*")}

// tagResolution: the actions that find targets by tag or parameter ask
// the Resource Groups Tagging API, which has no resource-level permission.
var tagResolution = policy.Statement{Sid: "ResolveTargets", Actions: []string{"tag:GetResources"}, Resources: star}

// experiments are the four templates for this stack.
func experiments(args *Args, s *scope) []experiment {
	minutes := args.Config.DurationMinutes
	return []experiment{
		{
			Key:         StopTasks,
			Description: fmt.Sprintf("Stop every %s task in %s; ECS starts replacements and the other AZs keep serving", args.Service.App, s.zone),
			// Tasks by the cluster and service parameters (FIS "Targets":
			// aws:ecs:task takes cluster and service), narrowed to one AZ by
			// the DescribeTasks attribute AvailabilityZone.
			Target: &fis.ExperimentTemplateTargetArgs{
				Name: pulumi.String("tasks"), ResourceType: pulumi.String(TargetECSTask), SelectionMode: pulumi.String("ALL"),
				Parameters: pulumi.StringMap{"cluster": s.clusterName, "service": args.Service.Name},
				Filters: fis.ExperimentTemplateTargetFilterArray{&fis.ExperimentTemplateTargetFilterArgs{
					Path: pulumi.String("AvailabilityZone"), Values: pulumi.StringArray{pulumi.String(s.zone)},
				}},
			},
			Action: action(ActionStopTask, "stop-tasks", "ECS StopTask on the target tasks", "Tasks", "tasks"),
			Statements: []policy.Statement{
				{Sid: "StopTasks", Actions: []string{"ecs:DescribeTasks", "ecs:StopTask"},
					Resources: pulumi.StringArray{s.arn("ecs", "task/%s/*", s.clusterName)}},
				// ListTasks authorizes against container instances, narrowed
				// by the cluster (Service Authorization Reference, ECS).
				{Sid: "ListTasks", Actions: []string{"ecs:ListTasks"},
					Resources:  pulumi.StringArray{s.arn("ecs", "container-instance/%s/*", s.clusterName)},
					Conditions: []policy.Condition{{Test: "ArnEquals", Variable: "ecs:cluster", Values: pulumi.StringArray{s.clusterArn}}}},
				tagResolution,
			},
		},
		{
			Key:         MySQLFailover,
			Description: "Reboot the MySQL instance with forced failover: the Multi-AZ standby becomes the writer",
			Target: &fis.ExperimentTemplateTargetArgs{
				Name: pulumi.String("mysql"), ResourceType: pulumi.String(TargetRDSInstance), SelectionMode: pulumi.String("ALL"),
				ResourceArns: pulumi.StringArray{args.MySQLArn},
			},
			Action: action(ActionRebootDB, "reboot-with-failover", "RDS RebootDBInstance with ForceFailover", "DBInstances", "mysql",
				param("forceFailover", "true")),
			Statements: []policy.Statement{
				{Sid: "RebootMySQL", Actions: []string{"rds:DescribeDBInstances", "rds:RebootDBInstance"},
					Resources: pulumi.StringArray{args.MySQLArn}},
				tagResolution,
			},
		},
		{
			Key:         CacheAZPower,
			Description: fmt.Sprintf("Interrupt the power of the cache nodes in %s (the primary's AZ) for %d min; the replica with the least lag is promoted", s.cacheZone, minutes),
			// By tags: FIS resolves replication groups by tag (the AWS FIS
			// template library targets them so), with the AZ as the
			// target's required availabilityZoneIdentifier.
			Target: &fis.ExperimentTemplateTargetArgs{
				Name: pulumi.String("cache"), ResourceType: pulumi.String(TargetReplicationGroup), SelectionMode: pulumi.String("ALL"),
				ResourceTags: resourceTags(args.CacheTags),
				Parameters:   pulumi.StringMap{"availabilityZoneIdentifier": pulumi.String(s.cacheZone)},
			},
			Action: action(ActionCacheAZPower, "interrupt-az-power", "Power interruption of one AZ's nodes", "ReplicationGroups", "cache",
				param("duration", duration(minutes))),
			Statements: []policy.Statement{
				{Sid: "InterruptCacheAZ", Actions: []string{"elasticache:InterruptClusterAzPower"},
					Resources: pulumi.StringArray{s.arn("elasticache", "replicationgroup:%s", args.CacheGroupID)}},
				{Sid: "DescribeCache", Actions: []string{"elasticache:DescribeReplicationGroups"},
					Resources: pulumi.StringArray{s.arn("elasticache", "replicationgroup:%s", args.CacheGroupID)}},
				tagResolution,
			},
		},
		{
			Key:         AZCut,
			Description: fmt.Sprintf("Deny all traffic in and out of the private subnet in %s for %d min; the services keep serving from the other AZs", s.zone, minutes),
			// The VPC's subnets in that AZ (the subnet target's parameters),
			// narrowed to the private ones by their IDs.
			Target: &fis.ExperimentTemplateTargetArgs{
				Name: pulumi.String("private-subnets"), ResourceType: pulumi.String(TargetSubnet), SelectionMode: pulumi.String("ALL"),
				Parameters: pulumi.StringMap{"availabilityZoneIdentifier": pulumi.String(s.zone), "vpc": s.vpcID},
				Filters: fis.ExperimentTemplateTargetFilterArray{&fis.ExperimentTemplateTargetFilterArgs{
					Path: pulumi.String("SubnetId"), Values: s.privateSubnets,
				}},
			},
			Action: action(ActionDisruptNetwork, "disrupt-connectivity", "A cloned network ACL that denies all traffic", "Subnets", "private-subnets",
				param("scope", "all"), param("duration", duration(minutes))),
			Statements: networkStatements(s),
		},
	}
}

// networkStatements: FIS clones the subnet's network ACL into one tagged
// managedByFIS=true, adds deny entries, swaps the association, and undoes
// it all at the end. The statements follow the FIS actions reference and
// the AWS managed policy AWSFaultInjectionSimulatorNetworkAccess, held to
// this account, region and VPC: an ACL is created only with the tag (and
// tagged only as it is created), entries are added to and ACLs deleted
// only where the tag is; the association swap names the target subnets
// and this VPC's ACLs (the clone, and the original, untagged one it
// restores).
func networkStatements(s *scope) []policy.Statement {
	acls := s.arn("ec2", "network-acl/*")
	vpc := s.arn("ec2", "vpc/%s", s.vpcID)
	fisTag := func(key string) policy.Condition {
		return policy.Condition{Test: "StringEquals", Variable: key + "/managedByFIS", Values: pulumi.StringArray{pulumi.String("true")}}
	}
	return []policy.Statement{
		{Sid: "CreateACL", Actions: []string{"ec2:CreateNetworkAcl"}, Resources: pulumi.StringArray{acls}, Conditions: []policy.Condition{fisTag("aws:RequestTag")}},
		// The VPC the clone is created in carries no request tag.
		{Sid: "CreateACLInVPC", Actions: []string{"ec2:CreateNetworkAcl"}, Resources: pulumi.StringArray{vpc}},
		{Sid: "TagACL", Actions: []string{"ec2:CreateTags"}, Resources: pulumi.StringArray{acls}, Conditions: []policy.Condition{
			{Test: "StringEquals", Variable: "ec2:CreateAction", Values: pulumi.StringArray{pulumi.String("CreateNetworkAcl")}},
			fisTag("aws:RequestTag"),
		}},
		{Sid: "ChangeFISACL", Actions: []string{"ec2:CreateNetworkAclEntry", "ec2:DeleteNetworkAcl"},
			Resources: pulumi.StringArray{acls}, Conditions: []policy.Condition{fisTag("aws:ResourceTag")}},
		{Sid: "SwapACL", Actions: []string{"ec2:ReplaceNetworkAclAssociation"}, Resources: pulumi.StringArray{acls},
			Conditions: []policy.Condition{{Test: "ArnEquals", Variable: "ec2:Vpc", Values: pulumi.StringArray{vpc}}}},
		{Sid: "SwapACLOfSubnet", Actions: []string{"ec2:ReplaceNetworkAclAssociation"}, Resources: s.subnetArns()},
		// Read only for the prefix-list scopes; this experiment's scope
		// (all) reads none, so only the region's S3 and DynamoDB lists,
		// which AWS owns.
		{Sid: "PrefixListEntries", Actions: []string{"ec2:GetManagedPrefixListEntries"}, Resources: pulumi.StringArray{
			pulumi.Sprintf("arn:%s:ec2:%s:aws:prefix-list/%s", s.partition, s.region, s.s3PrefixList),
			pulumi.Sprintf("arn:%s:ec2:%s:aws:prefix-list/%s", s.partition, s.region, s.dynamoPrefixList),
		}},
		// EC2's Describe calls have no resource-level permission.
		{Sid: "Describe", Actions: []string{"ec2:DescribeManagedPrefixLists", "ec2:DescribeNetworkAcls", "ec2:DescribeSubnets", "ec2:DescribeVpcs"}, Resources: star},
	}
}

func resourceTags(tags map[string]string) fis.ExperimentTemplateTargetResourceTagArray {
	out := fis.ExperimentTemplateTargetResourceTagArray{}
	for _, k := range sortedKeys(tags) {
		out = append(out, &fis.ExperimentTemplateTargetResourceTagArgs{Key: pulumi.String(k), Value: pulumi.String(tags[k])})
	}
	return out
}
