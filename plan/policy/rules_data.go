package policy

import (
	"fmt"

	"github.com/pushplatform/pushplatform/plan"
)

var rdsRules = []Rule{
	{ID: "RDS.2", Title: "RDS DB instances prohibit public access", Severity: Critical, Types: []string{tRDS},
		Fix: "set publiclyAccessible false; the database lives in the isolated subnets",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(boolean(r, "publiclyAccessible"), "publiclyAccessible is true")
		}},
	{ID: "RDS.3", Title: "RDS DB instances are encrypted at rest", Severity: Medium, Types: []string{tRDS},
		Fix: "set storageEncrypted true (a replacement: create a new encrypted instance from a snapshot)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "storageEncrypted"), "storageEncrypted is not true")
		}},
	{ID: "RDS.5", Title: "RDS DB instances are configured with multiple Availability Zones", Severity: Medium, Types: []string{tRDS},
		Fix: "set database.multiAz true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "multiAz"), "multiAz is not true: one AZ outage stops the database")
		}},
	{ID: "RDS.6", Title: "Enhanced monitoring is configured for RDS DB instances", Severity: Low, Types: []string{tRDS},
		Fix: "set database.monitoringIntervalSeconds to 1, 5, 10, 15, 30 or 60",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(num(r, "monitoringInterval") <= 0 || str(r, "monitoringRoleArn") == "", "monitoringInterval is 0 or no monitoring role")
		}},
	{ID: "RDS.8", Title: "RDS DB instances have deletion protection enabled", Severity: Low, Types: []string{tRDS},
		Fix: "set database.deletionProtection true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "deletionProtection"), "deletionProtection is not true")
		}},
	{ID: "RDS.9", Title: "RDS DB instances publish logs to CloudWatch Logs", Severity: Medium, Types: []string{tRDS},
		Fix: "add the engine's logs to enabledCloudwatchLogsExports (MySQL: audit, error, general, slowquery)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			exported := map[string]bool{}
			for _, l := range strings_(r.Input("enabledCloudwatchLogsExports")) {
				exported[l] = true
			}
			var missing []string
			for _, l := range []string{"audit", "error", "general", "slowquery"} {
				if !exported[l] {
					missing = append(missing, l)
				}
			}
			return onlyIf(len(missing) > 0, fmt.Sprintf("does not export %v", missing))
		}},
	{ID: "RDS.10", Title: "IAM authentication is configured for RDS instances", Severity: Medium, Types: []string{tRDS},
		Fix: "set iamDatabaseAuthenticationEnabled true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "iamDatabaseAuthenticationEnabled"), "iamDatabaseAuthenticationEnabled is not true")
		}},
	{ID: "RDS.11", Title: "RDS instances have automatic backups enabled (7 days or more)", Severity: Medium, Types: []string{tRDS},
		Fix: "set database.backupRetentionDays to 7 or more",
		Check: func(_ *Stack, r *plan.Resource) []string {
			days := num(r, "backupRetentionPeriod")
			return onlyIf(days < 7, fmt.Sprintf("backupRetentionPeriod is %s", plan.Days(int(days))))
		}},
	{ID: "RDS.13", Title: "RDS automatic minor version upgrades are enabled", Severity: High, Types: []string{tRDS},
		Fix: "set autoMinorVersionUpgrade true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(r.Input("autoMinorVersionUpgrade") == false, "autoMinorVersionUpgrade is false")
		}},
	{ID: "RDS.17", Title: "RDS DB instances copy tags to snapshots", Severity: Low, Types: []string{tRDS},
		Fix: "set copyTagsToSnapshot true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "copyTagsToSnapshot"), "copyTagsToSnapshot is not true")
		}},
	{ID: "RDS.18", Title: "RDS instances are deployed in a VPC", Severity: High, Types: []string{tRDS},
		Fix: "give the instance the isolated tier's DB subnet group",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "dbSubnetGroupName") == "", "no dbSubnetGroupName")
		}},
	{ID: "RDS.23", Title: "RDS instances do not use a database engine default port", Severity: Low, Types: []string{tRDS},
		Fix: "set port to a non-default value",
		Check: func(_ *Stack, r *plan.Resource) []string {
			def := defaultPorts[str(r, "engine")]
			port := num(r, "port")
			if port == 0 {
				port = def // unset: the engine's default applies
			}
			return onlyIf(def != 0 && port == def, fmt.Sprintf("uses %s's default port %g", str(r, "engine"), port))
		}},
	{ID: "RDS.25", Title: "RDS database instances use a custom administrator username", Severity: Medium, Types: []string{tRDS},
		Fix: "set username to anything but admin/root/postgres",
		Check: func(_ *Stack, r *plan.Resource) []string {
			u := str(r, "username")
			return onlyIf(u == "" || u == "admin" || u == "root" || u == "postgres", fmt.Sprintf("username is %q", u))
		}},
}

var elastiCacheRules = []Rule{
	{ID: "ElastiCache.1", Title: "ElastiCache (Redis OSS/Valkey) clusters have automatic backups scheduled", Severity: High, Types: []string{tCache},
		Fix: "set cache.snapshotRetentionDays to 1 or more",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(num(r, "snapshotRetentionLimit") < 1, "snapshotRetentionLimit is 0: no automatic backups")
		}},
	{ID: "ElastiCache.2", Title: "ElastiCache clusters have automatic minor version upgrades enabled", Severity: High, Types: []string{tCache},
		Fix: "set autoMinorVersionUpgrade true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(r.Input("autoMinorVersionUpgrade") == false, "autoMinorVersionUpgrade is false")
		}},
	{ID: "ElastiCache.3", Title: "ElastiCache replication groups have automatic failover enabled", Severity: Medium, Types: []string{tCache},
		Fix: "set cache.nodes to 2 or more (failover needs a replica)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "automaticFailoverEnabled"), "automaticFailoverEnabled is not true")
		}},
	{ID: "ElastiCache.4", Title: "ElastiCache replication groups are encrypted at rest", Severity: Medium, Types: []string{tCache},
		Fix: "set atRestEncryptionEnabled true (a replacement)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "atRestEncryptionEnabled"), "atRestEncryptionEnabled is not true")
		}},
	{ID: "ElastiCache.5", Title: "ElastiCache replication groups are encrypted in transit", Severity: Medium, Types: []string{tCache},
		Fix: "set transitEncryptionEnabled true with transitEncryptionMode required",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if !boolean(r, "transitEncryptionEnabled") {
				return []string{"transitEncryptionEnabled is not true"}
			}
			return onlyIf(str(r, "transitEncryptionMode") == "preferred", "transitEncryptionMode is preferred: clients may still connect in plaintext")
		}},
	{ID: "ElastiCache.6", Title: "ElastiCache replication groups require AUTH", Severity: Medium, Types: []string{tCache},
		Fix: "set an authToken (the program generates one) or a user group",
		Check: func(_ *Stack, r *plan.Resource) []string {
			token, ok := r.Inputs["authToken"]
			hasToken := ok && !token.IsNull() && (isSecret(token) || token.IsComputed() || r.InputString("authToken") != "")
			return onlyIf(!hasToken && len(strings_(r.Input("userGroupIds"))) == 0, "neither a non-empty authToken nor userGroupIds")
		}},
	{ID: "ElastiCache.7", Title: "ElastiCache clusters do not use the default subnet group", Severity: High, Types: []string{tCache},
		Fix: "give the replication group the isolated tier's subnet group",
		Check: func(_ *Stack, r *plan.Resource) []string {
			g := str(r, "subnetGroupName")
			return onlyIf(g == "" || g == "default", "uses the default subnet group")
		}},
}

var dynamoDBRules = []Rule{
	{ID: "DynamoDB.1", Title: "DynamoDB tables scale capacity with demand", Severity: Medium, Types: []string{tTable},
		Fix: "set billingMode PAY_PER_REQUEST (or add Application Auto Scaling targets)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "billingMode") != "PAY_PER_REQUEST", fmt.Sprintf("billingMode is %q without auto scaling", str(r, "billingMode")))
		}},
	{ID: "DynamoDB.2", Title: "DynamoDB tables have point-in-time recovery enabled", Severity: Medium, Types: []string{tTable},
		Fix: "set tables.pointInTimeRecovery true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "pointInTimeRecovery.enabled"), "pointInTimeRecovery is off")
		}},
	{ID: "DynamoDB.6", Title: "DynamoDB tables have deletion protection enabled", Severity: Medium, Types: []string{tTable},
		Fix: "set tables.deletionProtection true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(!boolean(r, "deletionProtectionEnabled"), "deletionProtectionEnabled is not true")
		}},
}

// defaultPorts are the engines' default ports (RDS user guide).
var defaultPorts = map[string]float64{"mysql": 3306, "mariadb": 3306, "postgres": 5432}
