package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// Database is the resolved RDS MySQL configuration.
type Database struct {
	Identifier                string `json:"identifier"`
	InstanceClass             string `json:"instanceClass"`
	EngineVersion             string `json:"engineVersion"`
	ParameterGroupFamily      string `json:"parameterGroupFamily"`
	AllocatedStorageGiB       int    `json:"allocatedStorageGiB"`
	MaxAllocatedStorageGiB    int    `json:"maxAllocatedStorageGiB"`
	MultiAZ                   bool   `json:"multiAz"`
	BackupRetentionDays       int    `json:"backupRetentionDays"`
	DeletionProtection        bool   `json:"deletionProtection"`
	PerformanceInsights       bool   `json:"performanceInsights"`
	MonitoringIntervalSeconds int    `json:"monitoringIntervalSeconds"`
	LogRetentionDays          int    `json:"logRetentionDays"`
	ReadReplicas              int    `json:"readReplicas"`
	Protect                   bool   `json:"protect"`
}

// Cache is the resolved ElastiCache configuration.
type Cache struct {
	Engine                string `json:"engine"`
	EngineVersion         string `json:"engineVersion"`
	ParameterGroupFamily  string `json:"parameterGroupFamily"`
	NodeType              string `json:"nodeType"`
	Nodes                 int    `json:"nodes"` // primary plus replicas
	SnapshotRetentionDays int    `json:"snapshotRetentionDays"`
	LogRetentionDays      int    `json:"logRetentionDays"`
	Protect               bool   `json:"protect"`
}

// Tables is the resolved DynamoDB configuration.
type Tables struct {
	RouterTable         string `json:"routerTable"`
	MessageTable        string `json:"messageTable"`
	PushMessagesTable   string `json:"pushMessagesTable"`
	PointInTimeRecovery bool   `json:"pointInTimeRecovery"`
	DeletionProtection  bool   `json:"deletionProtection"`
	Protect             bool   `json:"protect"`
}

// Buckets is the resolved S3 configuration.
type Buckets struct {
	LogRetentionDays          int  `json:"logRetentionDays"`
	PushMessagesRetentionDays int  `json:"pushMessagesRetentionDays"`
	NoncurrentVersionDays     int  `json:"noncurrentVersionDays"`
	Protect                   bool `json:"protect"`
}

// noPerformanceInsights are the classes on which RDS for MySQL does not
// offer Performance Insights (RDS user guide, "Amazon RDS DB engine, Region
// and instance class support for Performance Insights").
var noPerformanceInsights = []string{"db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"}

// EnhancedMonitoringIntervals are the intervals RDS accepts (0 = off).
var EnhancedMonitoringIntervals = []int{0, 1, 5, 10, 15, 30, 60}

var (
	rdsIdentifier   = regexp.MustCompile(`^[a-z](-?[a-z0-9])*$`)
	mysql84Version  = regexp.MustCompile(`^8\.4(\.[0-9]+)?$`)
	dbInstanceClass = regexp.MustCompile(`^db\.[a-z0-9]+\.[a-z0-9]+$`)
	cacheNodeType   = regexp.MustCompile(`^cache\.[a-z0-9]+\.[a-z0-9]+$`)
	tableName       = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)
)

// cacheVersions are the engine versions the program knows the parameter
// group family of (ElastiCache "Supported engines and versions").
var cacheVersions = map[string]map[string]string{
	"valkey": {"7.2": "valkey7", "8.0": "valkey8", "8.1": "valkey8", "8.2": "valkey8"},
	"redis":  {"7.0": "redis7", "7.1": "redis7"},
}

func resolveDatabase(in DatabaseInput, project, stack string, p profile, errs *Errors) Database {
	d := Database{
		Identifier:                deref(in.Identifier, fmt.Sprintf("%s-%s-mysql", project, stack)),
		InstanceClass:             deref(in.InstanceClass, p.Database.InstanceClass),
		EngineVersion:             deref(in.EngineVersion, "8.4"),
		AllocatedStorageGiB:       deref(in.AllocatedStorageGiB, p.Database.AllocatedStorageGiB),
		MaxAllocatedStorageGiB:    deref(in.MaxAllocatedStorageGiB, p.Database.MaxAllocatedStorageGiB),
		MultiAZ:                   deref(in.MultiAZ, p.Database.MultiAZ),
		BackupRetentionDays:       deref(in.BackupRetentionDays, p.Database.BackupRetentionDays),
		DeletionProtection:        deref(in.DeletionProtection, p.Database.DeletionProtection),
		MonitoringIntervalSeconds: deref(in.MonitoringIntervalSeconds, p.Database.MonitoringIntervalSeconds),
		LogRetentionDays:          deref(in.LogRetentionDays, p.Database.LogRetentionDays),
		ReadReplicas:              deref(in.ReadReplicas, 0),
		Protect:                   deref(in.Protect, p.ProtectData),
		ParameterGroupFamily:      "mysql8.4",
	}
	piSupported := !slices.Contains(noPerformanceInsights, d.InstanceClass)
	d.PerformanceInsights = deref(in.PerformanceInsights, piSupported)

	if len(d.Identifier) > MaxDatabaseIdentifier || !rdsIdentifier.MatchString(d.Identifier) {
		errs.add("database.identifier", quote(d.Identifier),
			"must be 1-%d lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (RDS allows %d; read replicas add %q); it cannot change after creation",
			MaxDatabaseIdentifier, MaxRDSIdentifier, ReplicaIdentifier("", MaxReadReplicas))
	}
	if !dbInstanceClass.MatchString(d.InstanceClass) {
		errs.add("database.instanceClass", quote(d.InstanceClass), "must be an RDS instance class such as db.t4g.micro or db.m7g.large")
	}
	if !mysql84Version.MatchString(d.EngineVersion) {
		errs.add("database.engineVersion", quote(d.EngineVersion),
			"allowed: 8.4 (minor upgrades automatic) or an 8.4.x release; the parameter group family is mysql8.4")
	}
	if d.AllocatedStorageGiB < 20 || d.AllocatedStorageGiB > 65536 {
		errs.add("database.allocatedStorageGiB", quote(d.AllocatedStorageGiB), "allowed 20 to 65536 GiB (gp3)")
	} else if d.MaxAllocatedStorageGiB < d.AllocatedStorageGiB || d.MaxAllocatedStorageGiB > 65536 {
		errs.add("database.maxAllocatedStorageGiB", quote(d.MaxAllocatedStorageGiB),
			"must be at least allocatedStorageGiB (%d) and at most 65536: storage autoscaling grows up to it", d.AllocatedStorageGiB)
	}
	if d.BackupRetentionDays < 0 || d.BackupRetentionDays > 35 {
		errs.add("database.backupRetentionDays", quote(d.BackupRetentionDays), "allowed 0 to 35 days")
	}
	// RDS cannot create a read replica of an instance whose master password
	// it manages in Secrets Manager (RDS user guide, "Limitations for
	// Secrets Manager integration with Amazon RDS": all engines but SQL
	// Server), and this instance's is. The identifier still leaves room
	// for replica names, should that change.
	if d.ReadReplicas != 0 {
		errs.add("database.readReplicas", quote(d.ReadReplicas),
			"allowed: 0; RDS creates no read replica of an instance whose master password it manages in Secrets Manager, as this one's is")
	}
	if d.PerformanceInsights && !piSupported {
		errs.add("database.performanceInsights", "true",
			"RDS for MySQL offers Performance Insights on neither %s; use a larger class or leave it false", strings.Join(noPerformanceInsights, ", "))
	}
	if !slices.Contains(EnhancedMonitoringIntervals, d.MonitoringIntervalSeconds) {
		errs.add("database.monitoringIntervalSeconds", quote(d.MonitoringIntervalSeconds), "allowed: %s (0 turns enhanced monitoring off)", joinInts(EnhancedMonitoringIntervals))
	}
	if !slices.Contains(LogRetentionDays, d.LogRetentionDays) {
		errs.add("database.logRetentionDays", quote(d.LogRetentionDays), "allowed CloudWatch Logs retention days: %s", joinInts(LogRetentionDays))
	}
	return d
}

func resolveCache(in CacheInput, ha bool, p profile, errs *Errors) Cache {
	c := Cache{
		Engine:                deref(in.Engine, "valkey"),
		NodeType:              deref(in.NodeType, p.Cache.NodeType),
		Nodes:                 deref(in.Nodes, p.Cache.Nodes),
		SnapshotRetentionDays: deref(in.SnapshotRetentionDays, p.Cache.SnapshotRetentionDays),
		LogRetentionDays:      deref(in.LogRetentionDays, p.Cache.LogRetentionDays),
		Protect:               deref(in.Protect, p.ProtectData),
	}
	versions, ok := cacheVersions[c.Engine]
	if !ok {
		errs.add("cache.engine", quote(c.Engine), "allowed: valkey (the default: same protocol, lower price) or redis")
	} else {
		c.EngineVersion = deref(in.EngineVersion, map[string]string{"valkey": "8.1", "redis": "7.1"}[c.Engine])
		family, ok := versions[c.EngineVersion]
		if !ok {
			errs.add("cache.engineVersion", quote(c.EngineVersion), "allowed for %s: %s", c.Engine, strings.Join(slices.Sorted(maps.Keys(versions)), ", "))
		}
		c.ParameterGroupFamily = family
	}
	if !cacheNodeType.MatchString(c.NodeType) {
		errs.add("cache.nodeType", quote(c.NodeType), "must be an ElastiCache node type such as cache.t4g.micro or cache.m7g.large")
	}
	switch {
	case c.Nodes < 1 || c.Nodes > 6:
		errs.add("cache.nodes", quote(c.Nodes), "allowed 1 to 6: a primary and up to 5 replicas")
	case ha && c.Nodes < 2:
		errs.add("cache.nodes", quote(c.Nodes), "highAvailability needs a primary and at least one replica in another AZ for automatic failover: 2 or more")
	}
	if c.SnapshotRetentionDays < 0 || c.SnapshotRetentionDays > 35 {
		errs.add("cache.snapshotRetentionDays", quote(c.SnapshotRetentionDays), "allowed 0 (no snapshots) to 35 days")
	}
	if !slices.Contains(LogRetentionDays, c.LogRetentionDays) {
		errs.add("cache.logRetentionDays", quote(c.LogRetentionDays), "allowed CloudWatch Logs retention days: %s", joinInts(LogRetentionDays))
	}
	return c
}

func resolveTables(in TablesInput, project, stack string, p profile, errs *Errors) Tables {
	prefix := project + "-" + stack + "-"
	t := Tables{
		RouterTable:         deref(in.RouterTable, prefix+"router"),
		MessageTable:        deref(in.MessageTable, prefix+"message"),
		PushMessagesTable:   deref(in.PushMessagesTable, prefix+"push-messages"),
		PointInTimeRecovery: deref(in.PointInTimeRecovery, p.Tables.PointInTimeRecovery),
		DeletionProtection:  deref(in.DeletionProtection, p.Tables.DeletionProtection),
		Protect:             deref(in.Protect, p.ProtectData),
	}
	names := map[string]string{}
	for _, n := range []struct{ key, value string }{
		{"tables.routerTable", t.RouterTable}, {"tables.messageTable", t.MessageTable}, {"tables.pushMessagesTable", t.PushMessagesTable},
	} {
		if !tableName.MatchString(n.value) {
			errs.add(n.key, quote(n.value), "must be 3-255 of a-z A-Z 0-9 _ . - (DynamoDB table names)")
		} else if other, dup := names[n.value]; dup {
			errs.add(n.key, quote(n.value), "is also %s; each table needs its own name", other)
		}
		names[n.value] = n.key
	}
	return t
}

func resolveBuckets(in BucketsInput, p profile, errs *Errors) Buckets {
	b := Buckets{
		LogRetentionDays:          deref(in.LogRetentionDays, p.Buckets.LogRetentionDays),
		PushMessagesRetentionDays: deref(in.PushMessagesRetentionDays, p.Buckets.PushMessagesRetentionDays),
		NoncurrentVersionDays:     deref(in.NoncurrentVersionDays, p.Buckets.NoncurrentVersionDays),
		Protect:                   deref(in.Protect, p.ProtectData),
	}
	for _, d := range []struct {
		key   string
		value int
	}{{"buckets.logRetentionDays", b.LogRetentionDays}, {"buckets.pushMessagesRetentionDays", b.PushMessagesRetentionDays}, {"buckets.noncurrentVersionDays", b.NoncurrentVersionDays}} {
		if d.value < 1 || d.value > 3650 {
			errs.add(d.key, quote(d.value), "allowed 1 to 3650 days: objects expire after it")
		}
	}
	return b
}
