// Package config turns the stack's configuration into one typed, validated
// value before any resource exists. Every key is read, checked and resolved
// against the profile (dev or high availability) here, so components receive
// plain Go values and never read config themselves.
package config

// NATStrategy is how many NAT gateways the VPC gets (awsx's strategy names).
type NATStrategy string

const (
	// NATSingle puts one NAT gateway in the first AZ: cheap, but the private
	// subnets of every AZ lose egress when that AZ fails.
	NATSingle NATStrategy = "Single"
	// NATOnePerAZ gives each AZ its own NAT gateway, so an AZ outage only
	// affects that AZ.
	NATOnePerAZ NATStrategy = "OnePerAz"
	// NATInstance is one small arm64 EC2 instance doing NAT (dev): a few
	// dollars a month instead of a NAT gateway's ~$38 plus data.
	NATInstance NATStrategy = "Instance"
	// NATNone leaves the private subnets without a route to the internet.
	NATNone NATStrategy = "None"
)

// Config is the resolved configuration of one stack.
type Config struct {
	Project          string   `json:"project"`
	Stack            string   `json:"stack"`
	Region           string   `json:"region"`           // aws:region
	HighAvailability bool     `json:"highAvailability"` // the profile switch; see profile.go for what it implies
	Network          Network  `json:"network"`
	Services         Services `json:"services"`
	Database         Database `json:"database"`
	Cache            Cache    `json:"cache"`
	Tables           Tables   `json:"tables"`
	Buckets          Buckets  `json:"buckets"`
	Cluster          Cluster  `json:"cluster"`
	Frontend         Frontend `json:"frontend"`
	Push             Push     `json:"push"`
	Logs             Logs     `json:"logs"`
	// PushCryptoKey is the Fernet key given as the secret pushCryptoKey;
	// empty: the program generates one. Never printed.
	PushCryptoKey string    `json:"-"`
	Artifacts     Artifacts `json:"artifacts"`
	// Policy holds the stack's waivers of the plan's policy rules.
	Policy Policy `json:"policy"`
	// Alarms, Backups, Domain and Chaos are day two: CloudWatch alarms and
	// the dashboard, AWS Backup, the custom domain with its certificates,
	// and the FIS experiment templates.
	Alarms  Alarms  `json:"alarms"`
	Backups Backups `json:"backups"`
	Domain  Domain  `json:"domain"`
	Chaos   Chaos   `json:"chaos"`
}

// Network is the resolved network layout.
type Network struct {
	CIDR string `json:"cidr"`
	// AvailabilityZones are the AZs in use: the first azCount of the
	// configured list, in order.
	AvailabilityZones    []string    `json:"availabilityZones"`
	NATGateways          NATStrategy `json:"natGateways"`
	FlowLogRetentionDays int         `json:"flowLogRetentionDays"`
	// NATInstanceType sizes the NAT instance (natGateways Instance).
	NATInstanceType string `json:"natInstanceType"`
	// CloudFrontPrefixListID is the region's CloudFront origin-facing
	// prefix list: the only source the load balancer's group admits.
	CloudFrontPrefixListID string `json:"cloudFrontPrefixListId"`
	// InterfaceEndpoints are the AWS services with an interface endpoint
	// in the private subnets, sorted; empty means AWS APIs through NAT.
	InterfaceEndpoints []string `json:"interfaceEndpoints"`
	// AllowTwoAZHighAvailability accepts two AZs with highAvailability.
	AllowTwoAZHighAvailability bool `json:"allowTwoAzHighAvailability"`
	// Tiers is the subnet plan, one entry per tier with one CIDR per AZ.
	Tiers []TierPlan `json:"tiers"`
}

// Tier names a subnet tier with awsx's subnet type names.
type Tier string

const (
	TierPublic   Tier = "Public"   // load balancers and NAT gateways; routes to the internet gateway
	TierPrivate  Tier = "Private"  // tasks and functions; egress through NAT
	TierIsolated Tier = "Isolated" // data stores; no route out of the VPC
)

// TierPlan is one subnet tier: its prefix length and one CIDR per AZ.
type TierPlan struct {
	Tier  Tier     `json:"tier"`
	Mask  int      `json:"mask"`
	CIDRs []string `json:"cidrs"` // CIDRs[i] lies in AvailabilityZones[i]
}

// Tier returns the plan of one tier.
func (n Network) Tier(t Tier) TierPlan {
	for _, p := range n.Tiers {
		if p.Tier == t {
			return p
		}
	}
	return TierPlan{Tier: t}
}

// Services sizes every container service, keyed by app name: exactly the
// declared service apps (Apps), each resolved against the profile.
type Services map[string]Service

// Named lists the services in the order Apps declares them.
func (s Services) Named() []NamedService {
	out := make([]NamedService, 0, len(s))
	for _, name := range AppNames(ServiceApp) {
		if svc, ok := s[name]; ok {
			out = append(out, NamedService{name, svc})
		}
	}
	return out
}

// NamedService pairs a service's config name with its settings.
type NamedService struct {
	Name string
	Service
}

// Service sizes and scales one Fargate service.
type Service struct {
	CPU          int `json:"cpu"` // Fargate CPU units (1024 = 1 vCPU)
	MemoryMiB    int `json:"memoryMiB"`
	DesiredCount int `json:"desiredCount"` // tasks at first deploy; autoscaling owns the count afterwards
	MinCount     int `json:"minCount"`
	MaxCount     int `json:"maxCount"`
}
