package config

// The raw shape of the project's stack config, as written in Pulumi.<stack>.yaml.
// Pointers mean "not set": a nil field takes its value from the profile
// (profile.go), so every profile-implied value can still be overridden by its
// own key. Only config.Load reads these; components see the resolved Config.

// NetworkInput is the `network` object.
type NetworkInput struct {
	CIDR                 *string  `json:"cidr"`
	AvailabilityZones    []string `json:"availabilityZones"`
	AZCount              *int     `json:"azCount"`
	NATGateways          *string  `json:"natGateways"`
	FlowLogRetentionDays *int     `json:"flowLogRetentionDays"`
	PublicSubnetMask     *int     `json:"publicSubnetMask"`
	PrivateSubnetMask    *int     `json:"privateSubnetMask"`
	IsolatedSubnetMask   *int     `json:"isolatedSubnetMask"`
	// NATInstanceType is the NAT instance's type (natGateways Instance).
	NATInstanceType *string `json:"natInstanceType"`
	// CloudFrontPrefixListID is the region's CloudFront origin-facing
	// managed prefix list (default from CloudFrontPrefixLists).
	CloudFrontPrefixListID *string `json:"cloudFrontPrefixListId"`
	// InterfaceEndpoints are the AWS services reached through interface
	// endpoints in the private subnets (InterfaceServices).
	InterfaceEndpoints []string `json:"interfaceEndpoints"`
	// AllowTwoAZHighAvailability accepts azCount 2 with highAvailability.
	AllowTwoAZHighAvailability *bool `json:"allowTwoAzHighAvailability"`
}

// ServiceInput (one value of the `services` object, keyed by app name) sizes and scales one Fargate service.
type ServiceInput struct {
	CPU          *int `json:"cpu"`
	MemoryMiB    *int `json:"memoryMiB"`
	DesiredCount *int `json:"desiredCount"`
	MinCount     *int `json:"minCount"`
	MaxCount     *int `json:"maxCount"`
}

// DatabaseInput is the `database` object: the RDS MySQL instance.
type DatabaseInput struct {
	Identifier                *string `json:"identifier"`
	InstanceClass             *string `json:"instanceClass"`
	EngineVersion             *string `json:"engineVersion"`
	AllocatedStorageGiB       *int    `json:"allocatedStorageGiB"`
	MaxAllocatedStorageGiB    *int    `json:"maxAllocatedStorageGiB"`
	MultiAZ                   *bool   `json:"multiAz"`
	BackupRetentionDays       *int    `json:"backupRetentionDays"`
	DeletionProtection        *bool   `json:"deletionProtection"`
	PerformanceInsights       *bool   `json:"performanceInsights"`
	MonitoringIntervalSeconds *int    `json:"monitoringIntervalSeconds"`
	LogRetentionDays          *int    `json:"logRetentionDays"`
	ReadReplicas              *int    `json:"readReplicas"`
	Protect                   *bool   `json:"protect"`
}

// CacheInput is the `cache` object: the ElastiCache replication group.
type CacheInput struct {
	Engine                *string `json:"engine"`
	EngineVersion         *string `json:"engineVersion"`
	NodeType              *string `json:"nodeType"`
	Nodes                 *int    `json:"nodes"`
	SnapshotRetentionDays *int    `json:"snapshotRetentionDays"`
	LogRetentionDays      *int    `json:"logRetentionDays"`
	Protect               *bool   `json:"protect"`
}

// TablesInput is the `tables` object: the DynamoDB tables.
type TablesInput struct {
	RouterTable         *string `json:"routerTable"`
	MessageTable        *string `json:"messageTable"`
	PushMessagesTable   *string `json:"pushMessagesTable"`
	PointInTimeRecovery *bool   `json:"pointInTimeRecovery"`
	DeletionProtection  *bool   `json:"deletionProtection"`
	Protect             *bool   `json:"protect"`
}

// BucketsInput is the `buckets` object: the S3 buckets.
type BucketsInput struct {
	LogRetentionDays          *int  `json:"logRetentionDays"`
	PushMessagesRetentionDays *int  `json:"pushMessagesRetentionDays"`
	NoncurrentVersionDays     *int  `json:"noncurrentVersionDays"`
	Protect                   *bool `json:"protect"`
}

// ClusterInput is the `cluster` object: the ECS cluster and its load balancer.
type ClusterInput struct {
	ContainerInsights     *string `json:"containerInsights"`
	Spot                  *bool   `json:"spot"`
	Namespace             *string `json:"namespace"`
	ALBIdleTimeoutSeconds *int    `json:"albIdleTimeoutSeconds"`
	CertificateArn        *string `json:"certificateArn"`
	LogRetentionDays      *int    `json:"logRetentionDays"`
}

// PushInput is the `push` object: the autopush tier.
type PushInput struct {
	LoadBalancer        *string `json:"loadBalancer"`
	TLSTermination      *string `json:"tlsTermination"`
	CertificateArn      *string `json:"certificateArn"`
	TLSSecretArn        *string `json:"tlsSecretArn"`
	ExpectedConnections *int    `json:"expectedConnections"`
	ConnectionsPerTask  *int    `json:"connectionsPerTask"`
	IdleTimeoutSeconds  *int    `json:"idleTimeoutSeconds"`
	DrainSeconds        *int    `json:"drainSeconds"`
}

// LogsInput is the `logs` object: push-message records and their processing.
type LogsInput struct {
	Enabled                 *bool `json:"enabled"`
	Processing              *bool `json:"processing"`
	BufferSeconds           *int  `json:"bufferSeconds"`
	BufferMiB               *int  `json:"bufferMiB"`
	ProcessorMemoryMiB      *int  `json:"processorMemoryMiB"`
	ProcessorTimeoutSeconds *int  `json:"processorTimeoutSeconds"`
	ProcessorConcurrency    *int  `json:"processorConcurrency"`
	MessagesPerKey          *int  `json:"messagesPerKey"`
	RetentionDays           *int  `json:"retentionDays"`
}

// FrontendInput is the `frontend` object: the CloudFront distribution.
type FrontendInput struct {
	PriceClass     *string  `json:"priceClass"`
	CertificateArn *string  `json:"certificateArn"`
	Aliases        []string `json:"aliases"`
}

// ArtifactsInput is the `artifacts` object: where images and function
// packages come from. Images and Packages are keyed by app name.
type ArtifactsInput struct {
	Mode     *string           `json:"mode"`
	Images   map[string]string `json:"images"`
	Packages map[string]string `json:"packages"`
	Sites    map[string]string `json:"sites"`
	Protect  *bool             `json:"protect"`
}
