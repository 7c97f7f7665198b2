package config

// profile is everything the highAvailability switch implies. It is the only
// place these defaults live: each value can still be overridden by its own
// key, and Pulumi.yaml and README.md describe them.
type profile struct {
	AZCount     int
	NATGateways NATStrategy
	// InterfaceEndpoints: prod reaches AWS APIs privately; dev through its
	// NAT, where endpoints (billed per AZ-hour) would cost more.
	InterfaceEndpoints   []string
	FlowLogRetentionDays int
	Service              Service
	Database             Database
	Cache                Cache
	Tables               Tables
	Buckets              Buckets
	Cluster              Cluster
	Frontend             Frontend
	// Apps overrides Service for single apps (autoconnect's memory holds
	// its connections).
	Apps map[string]Service
	Push Push
	Logs Logs
	// ProtectData sets Pulumi's protect and retainOnDelete on every stateful
	// resource: a destroy or a replacement then needs a deliberate step.
	ProtectData bool
}

// profileFor returns the defaults of the dev profile (the cheapest working
// copy) or of the high-availability profile (prod).
func profileFor(highAvailability bool) profile {
	if highAvailability {
		return profile{
			AZCount: 3, // survive the loss of one AZ with quorum-style spreading
			// No NAT: the workloads reach AWS APIs through interface
			// endpoints and need nothing else outside the VPC.
			NATGateways:        NATNone,
			InterfaceEndpoints: DefaultInterfaceEndpoints,
			// A year of flow logs, as Security Hub's CloudWatch.16 expects.
			FlowLogRetentionDays: 365,
			// Two tasks minimum so one AZ (or one task) can fail.
			Service: Service{CPU: 512, MemoryMiB: 1024, DesiredCount: 2, MinCount: 2, MaxCount: 6},
			Database: Database{
				InstanceClass:       "db.t4g.medium", // the smallest Graviton class with Performance Insights
				AllocatedStorageGiB: 50, MaxAllocatedStorageGiB: 500,
				MultiAZ:             true, // synchronous standby in another AZ
				BackupRetentionDays: 14, DeletionProtection: true,
				MonitoringIntervalSeconds: 60, LogRetentionDays: 90,
			},
			// A primary and a replica in each other AZ, with automatic
			// failover. Two replicas, because the producer answers 201 only
			// once a replica holds the entry (WAIT 1): after a failover the
			// new primary still has one, instead of none until ElastiCache
			// replaces the lost node.
			Cache:   Cache{NodeType: "cache.t4g.small", Nodes: 3, SnapshotRetentionDays: 7, LogRetentionDays: 90},
			Tables:  Tables{PointInTimeRecovery: true, DeletionProtection: true},
			Buckets: Buckets{LogRetentionDays: 365, PushMessagesRetentionDays: 90, NoncurrentVersionDays: 90},
			Cluster: Cluster{ContainerInsights: "enhanced", LogRetentionDays: 90, DeletionProtection: true},
			// Every edge location: users everywhere get a nearby one.
			Frontend: Frontend{PriceClass: "PriceClass_All"},
			Apps: map[string]Service{
				"autoconnect": {CPU: 1024, MemoryMiB: 2048, DesiredCount: 2, MinCount: 2, MaxCount: 50},
			},
			Push: Push{ExpectedConnections: 50000},
			// Fewer, larger objects; room for bursts.
			Logs:        Logs{BufferSeconds: 300, ProcessorConcurrency: 10},
			ProtectData: true,
		}
	}
	return profile{
		AZCount:     2,           // the minimum an RDS subnet group and an ALB accept
		NATGateways: NATInstance, // a t4g.nano, not a NAT gateway's ~$38 a month

		FlowLogRetentionDays: 7,
		Service:              Service{CPU: 256, MemoryMiB: 512, DesiredCount: 1, MinCount: 1, MaxCount: 2},
		Database: Database{
			InstanceClass:       "db.t4g.micro", // the smallest Graviton class
			AllocatedStorageGiB: 20, MaxAllocatedStorageGiB: 100,
			BackupRetentionDays: 1, LogRetentionDays: 7,
			// Enhanced monitoring works on every class; Performance Insights
			// does not on micro (config derives that from the class).
			MonitoringIntervalSeconds: 60,
		},
		Cache:   Cache{NodeType: "cache.t4g.micro", Nodes: 1, LogRetentionDays: 7},
		Buckets: Buckets{LogRetentionDays: 30, PushMessagesRetentionDays: 7, NoncurrentVersionDays: 7},
		// Spot saves up to 70 % on dev tasks that may be stopped at any time.
		Cluster: Cluster{ContainerInsights: "enabled", Spot: true, LogRetentionDays: 7},
		// North America and Europe only, the cheapest price class.
		Frontend: Frontend{PriceClass: "PriceClass_100"},
		Push:     Push{ExpectedConnections: 1000},
		Logs:     Logs{BufferSeconds: 60, ProcessorConcurrency: 2},
		// dev is destroyable: no protection, no deletion protection, no final snapshot.
	}
}

// Defaults that do not depend on the profile.
const (
	defaultCIDR               = "10.0.0.0/16"
	defaultPublicSubnetMask   = 24 // 256 addresses per AZ: load balancer nodes and NAT gateways
	defaultPrivateSubnetMask  = 20 // 4,096 per AZ: every Fargate task and Lambda ENI takes one
	defaultIsolatedSubnetMask = 24 // 256 per AZ: database and cache nodes
)
