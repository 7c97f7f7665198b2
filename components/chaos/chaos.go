// Package chaos builds the AWS Fault Injection Service experiment
// templates that exercise what the HA profile promises: the tasks of one
// service lost in one AZ, a forced Multi-AZ failover of MySQL, the power
// of the cache primary's AZ cut, and one AZ's private subnets cut off the
// network. A template is free until someone starts an experiment from it
// (FIS bills action-minutes); nothing here runs one.
//
// Every template stops on the alarms that mean users are being failed
// (Args.StopAlarms), runs with a role of its own that holds exactly the
// permissions the FIS actions reference lists for its action, and logs
// to one CloudWatch log group.
package chaos

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/fis"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/config"
)

// MaxStopAlarms is FIS's quota of stop conditions per experiment template
// (Service Quotas L-872EC72B, 5, not adjustable).
const MaxStopAlarms = 5

// LogSchemaVersion is the current FIS experiment log schema (FIS user
// guide, "Experiment logging": "The current schema version is 2").
const LogSchemaVersion = 2

// Chaos holds the experiment templates.
type Chaos struct {
	pulumi.ResourceState

	// TemplateIDs maps each experiment (Keys) to its template
	// ID, what `aws fis start-experiment --experiment-template-id` takes.
	TemplateIDs map[string]pulumi.StringOutput
	// LogGroupName is where every experiment logs.
	LogGroupName pulumi.StringOutput
}

// Target is the service whose tasks the task experiment stops.
type Target struct {
	App  string // the app's name, as config names it
	Name pulumi.StringInput
}

// Args wires the experiments to what they break.
type Args struct {
	Config config.Chaos
	// Cluster holds the services, its network the subnets and AZs.
	Cluster  *cluster.Cluster
	Service  Target
	Database config.Database
	// MySQLArn is the instance the failover experiment reboots.
	MySQLArn pulumi.StringInput
	Cache    config.Cache
	// CacheGroupID is the replication group's ID; CacheTags identify it
	// to FIS, which selects aws:elasticache:replicationgroup targets by
	// tags only.
	CacheGroupID pulumi.StringInput
	CacheTags    map[string]string
	// StopAlarms are the alarms (name to ARN) that say users are being
	// failed; any of them in ALARM stops an experiment. Not the alarms an
	// experiment trips by design (a task count below desired, a failover).
	StopAlarms map[string]pulumi.StringInput
}

// check refuses, before anything is registered, what would make a
// template that cannot run or cannot be stopped.
func (a *Args) check() error {
	var errs []string
	if len(a.StopAlarms) == 0 {
		errs = append(errs, "chaos.enabled needs the alarms: every experiment stops on the alarms that say users are being failed; set alarms.enabled true or chaos.enabled false")
	}
	if len(a.StopAlarms) > MaxStopAlarms {
		errs = append(errs, fmt.Sprintf("%d stop alarms: FIS takes at most %d stop conditions per template", len(a.StopAlarms), MaxStopAlarms))
	}
	if !a.Database.MultiAZ {
		errs = append(errs, "chaos.enabled needs database.multiAz true: the MySQL experiment forces a failover to the standby")
	}
	if a.Cache.Nodes < 2 {
		errs = append(errs, fmt.Sprintf("chaos.enabled needs cache.nodes 2 or more (is %d): the cache experiment cuts the primary's AZ, which needs a replica elsewhere to promote", a.Cache.Nodes))
	}
	azs := a.Cluster.Network.AvailabilityZones
	if zone := a.Config.Zone(azs); !slices.Contains(azs, zone) {
		errs = append(errs, fmt.Sprintf("chaos.availabilityZone %q is none of network.availabilityZones (%s)", zone, strings.Join(azs, ", ")))
	}
	if len(a.CacheTags) == 0 || a.CacheGroupID == nil || a.MySQLArn == nil || a.Service.Name == nil {
		errs = append(errs, "chaos: the MySQL ARN, the cache's ID and tags and the target service are required")
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// New creates the log group, and per experiment a role and a template.
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Chaos, error) {
	if err := args.check(); err != nil {
		return nil, err
	}
	c := &Chaos{TemplateIDs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource("pushplatform:chaos:Chaos", name, c, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(c)
	logs, err := cloudwatch.NewLogGroup(ctx, name+"-experiments", &cloudwatch.LogGroupArgs{
		NamePrefix:      pulumi.String(fmt.Sprintf("/pushplatform/%s/fis-", ctx.Stack())),
		RetentionInDays: pulumi.Int(args.Cluster.LogRetentionDays),
		Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-experiments")},
	}, child)
	if err != nil {
		return nil, fmt.Errorf("experiment log group: %w", err)
	}
	c.LogGroupName = logs.Name

	env := newScope(ctx, args)
	stops := stopConditions(args.StopAlarms)
	exported := pulumi.Map{}
	for _, e := range experiments(args, env) {
		role, grants, err := c.newRole(ctx, name+"-"+e.Key, e, env, child)
		if err != nil {
			return nil, err
		}
		t, err := fis.NewExperimentTemplate(ctx, name+"-"+e.Key, &fis.ExperimentTemplateArgs{
			Description:    pulumi.String(e.Description),
			RoleArn:        role.Arn,
			StopConditions: stops,
			Targets:        fis.ExperimentTemplateTargetArray{e.Target},
			Actions:        fis.ExperimentTemplateActionArray{e.Action},
			// An experiment whose target is gone (no task of the service
			// in that AZ) fails instead of passing without doing anything.
			ExperimentOptions: &fis.ExperimentTemplateExperimentOptionsArgs{
				AccountTargeting:          pulumi.String("single-account"),
				EmptyTargetResolutionMode: pulumi.String("fail"),
			},
			LogConfiguration: &fis.ExperimentTemplateLogConfigurationArgs{
				LogSchemaVersion: pulumi.Int(LogSchemaVersion),
				// The ":*" form, as the FIS examples write a log group's
				// ARN (the provider's LogGroup.arn omits it).
				CloudwatchLogsConfiguration: &fis.ExperimentTemplateLogConfigurationCloudwatchLogsConfigurationArgs{
					LogGroupArn: pulumi.Sprintf("%s:*", logs.Arn),
				},
			},
			Tags: pulumi.StringMap{"Name": pulumi.String(name + "-" + e.Key)},
		}, child, pulumi.DependsOn([]pulumi.Resource{grants}))
		if err != nil {
			return nil, fmt.Errorf("experiment template %s: %w", e.Key, err)
		}
		c.TemplateIDs[e.Key] = t.ID().ToStringOutput()
		exported[e.Key] = t.ID()
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{"templates": exported, "logGroup": logs.Name}); err != nil {
		return nil, err
	}
	return c, nil
}

// stopConditions: one per alarm, in name order so the template never
// changes for map order.
func stopConditions(alarms map[string]pulumi.StringInput) fis.ExperimentTemplateStopConditionArray {
	out := fis.ExperimentTemplateStopConditionArray{}
	for _, name := range slices.Sorted(maps.Keys(alarms)) {
		out = append(out, &fis.ExperimentTemplateStopConditionArgs{
			Source: pulumi.String("aws:cloudwatch:alarm"),
			Value:  alarms[name],
		})
	}
	return out
}

// ChooseStopAlarms picks, from the alarms fit to stop an experiment, the
// MaxStopAlarms that FIS takes: the 5xx alarms first (users see those
// errors at once: the load balancer's own, then each target group's),
// then the queue backlog (accepted work not processed), then the rest in
// the order given. It returns the chosen keys and those left out, which
// the runbook says to watch by hand during an experiment.
func ChooseStopAlarms(keys []string) (chosen, left []string) {
	rank := func(k string) int {
		switch {
		case k == "alb-5xx":
			return 0
		case strings.HasSuffix(k, "-5xx"):
			return 1
		case k == "queue-backlog":
			return 2
		}
		return 3
	}
	ordered := slices.Clone(keys)
	slices.SortStableFunc(ordered, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		if rank(a) == 1 {
			return strings.Compare(a, b)
		}
		return 0
	})
	if len(ordered) <= MaxStopAlarms {
		return ordered, nil
	}
	return ordered[:MaxStopAlarms], ordered[MaxStopAlarms:]
}
