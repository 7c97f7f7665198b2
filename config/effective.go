package config

import (
	"fmt"
	"strings"
)

// Effective flattens the resolved configuration into the keys a user sets
// (network.azCount, services.producer.cpu, ...) with the values in force,
// profile defaults included. The README's config reference is checked
// against it for both committed stacks.
func (c *Config) Effective() map[string]string {
	n := c.Network
	out := map[string]string{
		"highAvailability":             fmt.Sprint(c.HighAvailability),
		"network.cidr":                 n.CIDR,
		"network.availabilityZones":    strings.Join(n.AvailabilityZones, ", "),
		"network.azCount":              fmt.Sprint(len(n.AvailabilityZones)),
		"network.natGateways":          string(n.NATGateways),
		"network.flowLogRetentionDays": fmt.Sprint(n.FlowLogRetentionDays),
	}
	for _, t := range n.Tiers {
		out["network."+strings.ToLower(string(t.Tier))+"SubnetMask"] = fmt.Sprint(t.Mask)
	}
	for _, s := range c.Services.Named() {
		prefix := "services." + s.Name + "."
		out[prefix+"cpu"] = fmt.Sprint(s.CPU)
		out[prefix+"memoryMiB"] = fmt.Sprint(s.MemoryMiB)
		out[prefix+"desiredCount"] = fmt.Sprint(s.DesiredCount)
		out[prefix+"minCount"] = fmt.Sprint(s.MinCount)
		out[prefix+"maxCount"] = fmt.Sprint(s.MaxCount)
	}
	return out
}
