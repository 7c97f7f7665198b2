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
}

// ServicesInput is the `services` object: one entry per container service.
type ServicesInput struct {
	Producer *ServiceInput `json:"producer"`
	Consumer *ServiceInput `json:"consumer"`
}

// ServiceInput sizes and scales one Fargate service.
type ServiceInput struct {
	CPU          *int `json:"cpu"`
	MemoryMiB    *int `json:"memoryMiB"`
	DesiredCount *int `json:"desiredCount"`
	MinCount     *int `json:"minCount"`
	MaxCount     *int `json:"maxCount"`
}
