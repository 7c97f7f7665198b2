package datastores

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/rds"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
	"github.com/pushplatform/pushplatform/components/internal/safety"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/config"
)

// MySQL is the RDS MySQL instance as other components see it.
type MySQL struct {
	// Address is the writer's DNS name; Port its port.
	Address pulumi.StringOutput
	Port    pulumi.IntOutput
	// MasterSecretArn is the RDS-managed secret holding the master user's
	// username and password (JSON keys username, password). Only the schema
	// migration reads it; services get their own least-privilege user.
	MasterSecretArn pulumi.StringOutput
	// ResourceID is the instance's DbiResourceId, for rds-db:connect grants.
	ResourceID pulumi.StringOutput
	// Arn is the instance's ARN, for the backup plan's selection.
	Arn pulumi.StringOutput
	// DatabaseName is the schema created with the instance.
	DatabaseName string
	// Identifier is the instance identifier: CloudWatch's
	// DBInstanceIdentifier dimension.
	Identifier string
	// SecurityGroup admits clients on MySQLPort; DataStores.AllowMySQL opens it.
	SecurityGroup *network.SecurityGroup
}

// MySQLPort is the port MySQL listens on.
const MySQLPort = 3306

// Maintenance windows, in UTC and apart from each other: RDS and
// ElastiCache reject overlapping backup and maintenance windows.
const (
	dbBackupWindow         = "01:00-02:00"
	dbMaintenanceWindow    = "sun:02:30-sun:03:30"
	cacheSnapshotWindow    = "00:00-01:00"
	cacheMaintenanceWindow = "sun:04:00-sun:05:00"
)

// mysqlLogExports are the logs RDS publishes to CloudWatch: errors, and
// queries slower than long_query_time (the parameter group turns the slow
// log on and writes it to FILE, which publishing needs).
var mysqlLogExports = []string{"error", "slowquery"}

func newMySQL(ctx *pulumi.Context, name string, c config.Database, net *network.Network, parent pulumi.Resource) (*MySQL, error) {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent)}
	m := &MySQL{DatabaseName: "pushplatform", Identifier: c.Identifier}

	sg, err := network.NewSecurityGroup(ctx, name+"-mysql", &network.SecurityGroupArgs{
		VpcID:       net.VpcID,
		Description: "RDS MySQL: closed until a client is let in; no egress",
	}, opts...)
	if err != nil {
		return nil, err
	}
	m.SecurityGroup = sg

	subnets, err := rds.NewSubnetGroup(ctx, name+"-mysql", &rds.SubnetGroupArgs{
		SubnetIds:   net.IsolatedSubnetIDs,
		Description: pulumi.String("Isolated subnets: no route out of the VPC"),
		Tags:        pulumi.StringMap{"Name": pulumi.String(name + "-mysql")},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create db subnet group: %w", err)
	}

	params, err := rds.NewParameterGroup(ctx, name+"-mysql", &rds.ParameterGroupArgs{
		Family:      pulumi.String(c.ParameterGroupFamily),
		Description: pulumi.String("TLS only, utf8mb4, slow query log"),
		Parameters: rds.ParameterGroupParameterArray{
			param("require_secure_transport", "1", "immediate"),
			param("character_set_server", "utf8mb4", "immediate"),
			param("collation_server", "utf8mb4_0900_ai_ci", "immediate"),
			param("slow_query_log", "1", "immediate"),
			param("long_query_time", "1", "immediate"),
			param("log_output", "FILE", "immediate"),
		},
		Tags: pulumi.StringMap{"Name": pulumi.String(name + "-mysql")},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create db parameter group: %w", err)
	}

	// Create the log groups RDS would otherwise create without a retention.
	var logGroups []pulumi.Resource
	for _, log := range mysqlLogExports {
		lg, err := cloudwatch.NewLogGroup(ctx, name+"-mysql-"+log, &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(fmt.Sprintf("/aws/rds/instance/%s/%s", c.Identifier, log)),
			RetentionInDays: pulumi.Int(c.LogRetentionDays),
			Tags:            pulumi.StringMap{"Name": pulumi.String(name + "-mysql-" + log)},
		}, opts...)
		if err != nil {
			return nil, fmt.Errorf("create %s log group: %w", log, err)
		}
		logGroups = append(logGroups, lg)
	}

	args := &rds.InstanceArgs{
		// An explicit identifier: the log group names and the final snapshot
		// derive from it. It must never change (that replaces the database).
		Identifier:    pulumi.String(c.Identifier),
		Engine:        pulumi.String("mysql"),
		EngineVersion: pulumi.String(c.EngineVersion), // "8.4" takes minor upgrades; the actual version is engineVersionActual
		// Standard support only: no surprise Extended Support charges when
		// 8.4 reaches the end of standard support.
		EngineLifecycleSupport:           pulumi.String("open-source-rds-extended-support-disabled"),
		InstanceClass:                    pulumi.String(c.InstanceClass),
		DbName:                           pulumi.String(m.DatabaseName),
		Username:                         pulumi.String("dbadmin"),
		ManageMasterUserPassword:         pulumi.Bool(true), // the password lives only in an RDS-managed secret
		StorageType:                      pulumi.String("gp3"),
		AllocatedStorage:                 pulumi.Int(c.AllocatedStorageGiB),
		MaxAllocatedStorage:              pulumi.Int(c.MaxAllocatedStorageGiB), // storage autoscaling headroom
		StorageEncrypted:                 pulumi.Bool(true),
		MultiAz:                          pulumi.Bool(c.MultiAZ),
		DbSubnetGroupName:                subnets.Name,
		VpcSecurityGroupIds:              pulumi.StringArray{sg.ID},
		PubliclyAccessible:               pulumi.Bool(false),
		ParameterGroupName:               params.Name,
		CaCertIdentifier:                 pulumi.String("rds-ca-rsa2048-g1"),
		IamDatabaseAuthenticationEnabled: pulumi.Bool(true),
		BackupRetentionPeriod:            pulumi.Int(c.BackupRetentionDays),
		BackupWindow:                     pulumi.String(dbBackupWindow),
		MaintenanceWindow:                pulumi.String(dbMaintenanceWindow),
		AutoMinorVersionUpgrade:          pulumi.Bool(true),
		CopyTagsToSnapshot:               pulumi.Bool(true),
		DeletionProtection:               pulumi.Bool(c.DeletionProtection),
		// Protected databases keep their automated backups after deletion and
		// leave a final snapshot; dev is destroyable in one step.
		DeleteAutomatedBackups:       pulumi.Bool(!c.Protect),
		SkipFinalSnapshot:            pulumi.Bool(!c.Protect),
		EnabledCloudwatchLogsExports: pulumi.ToStringArray(mysqlLogExports),
		PerformanceInsightsEnabled:   pulumi.Bool(c.PerformanceInsights),
		// Changes wait for the maintenance window on a protected database.
		ApplyImmediately: pulumi.Bool(!c.Protect),
		Tags:             pulumi.StringMap{"Name": pulumi.String(c.Identifier)},
	}
	if c.Protect {
		args.FinalSnapshotIdentifier = pulumi.String(c.Identifier + "-final")
	}
	if c.PerformanceInsights {
		args.PerformanceInsightsRetentionPeriod = pulumi.Int(7) // the free tier
	}
	if c.MonitoringIntervalSeconds > 0 {
		role, err := monitoringRole(ctx, name, net, opts)
		if err != nil {
			return nil, err
		}
		args.MonitoringInterval = pulumi.Int(c.MonitoringIntervalSeconds)
		args.MonitoringRoleArn = role.Arn
	}
	db, err := rds.NewInstance(ctx, name+"-mysql", args, safety.Stateful(c.Protect, append(opts,
		pulumi.DependsOn(logGroups),
		// AWS applies minor upgrades itself (autoMinorVersionUpgrade), and
		// config admits only the 8.4 line, so nothing deliberate is lost; a
		// move to the next major is a runbook step (blue/green), not a diff.
		// allocatedStorage needs no entry: with maxAllocatedStorage set the
		// provider already ignores what storage autoscaling grew.
		pulumi.IgnoreChanges([]string{"engineVersion"}),
	)...)...)
	if err != nil {
		return nil, fmt.Errorf("create mysql instance: %w", err)
	}
	m.Address = db.Address
	m.Port = db.Port
	m.ResourceID = db.ResourceId
	m.Arn = db.Arn
	m.MasterSecretArn = db.MasterUserSecrets.Index(pulumi.Int(0)).SecretArn().Elem()

	return m, nil
}

func param(name, value, apply string) rds.ParameterGroupParameterArgs {
	return rds.ParameterGroupParameterArgs{Name: pulumi.String(name), Value: pulumi.String(value), ApplyMethod: pulumi.String(apply)}
}

// monitoringRole is the role RDS enhanced monitoring publishes OS metrics with.
func monitoringRole(ctx *pulumi.Context, name string, net *network.Network, opts []pulumi.ResourceOption) (*iam.Role, error) {
	role, err := iam.NewRole(ctx, name+"-mysql-monitoring", &iam.RoleArgs{
		Description:      pulumi.String("RDS enhanced monitoring"),
		AssumeRolePolicy: policy.TrustedBy(ctx, nil, "monitoring.rds.amazonaws.com", net.AccountID),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name + "-mysql-monitoring")},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create monitoring role: %w", err)
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, name+"-mysql-monitoring", &iam.RolePolicyAttachmentArgs{
		Role:      role.Name,
		PolicyArn: pulumi.Sprintf("arn:%s:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole", net.Partition),
	}, opts...); err != nil {
		return nil, fmt.Errorf("attach monitoring policy: %w", err)
	}
	return role, nil
}
