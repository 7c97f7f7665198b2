package config

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
)

// LogRetentionDays are the retention periods CloudWatch Logs accepts (the
// pulumi-aws cloudwatch.LogGroup doc), without 0 ("never expire"): every log
// group of the platform expires.
var LogRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var regionPattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)

// DefaultNATInstanceType is the smallest Graviton instance.
const DefaultNATInstanceType = "t4g.nano"

// natInstanceType matches Graviton families (a "g" after the generation:
// t4g, c7g, m7gd, c6gn).
var natInstanceType = regexp.MustCompile(`^[a-z]+[0-9]+g[a-z]*\.[a-z0-9]+$`)

// resolveNetwork applies the profile to the network input and validates it.
func resolveNetwork(in NetworkInput, region string, ha bool, p profile, errs *Errors) Network {
	n := Network{
		CIDR:                       deref(in.CIDR, defaultCIDR),
		NATGateways:                NATStrategy(deref(in.NATGateways, string(p.NATGateways))),
		FlowLogRetentionDays:       deref(in.FlowLogRetentionDays, p.FlowLogRetentionDays),
		AllowTwoAZHighAvailability: deref(in.AllowTwoAZHighAvailability, false),
		InterfaceEndpoints:         resolveInterfaceEndpoints(in.InterfaceEndpoints, p.InterfaceEndpoints, errs),
		NATInstanceType:            deref(in.NATInstanceType, DefaultNATInstanceType),
		CloudFrontPrefixListID:     resolveCloudFrontPrefixList(in.CloudFrontPrefixListID, region, errs),
	}
	azCount := deref(in.AZCount, p.AZCount)

	vpc, cidrOK := checkVPCCIDR(n.CIDR, errs)

	switch n.NATGateways {
	case NATSingle, NATOnePerAZ, NATInstance:
	case NATNone:
		// With no NAT, interface endpoints are the only way to AWS APIs.
		if len(n.InterfaceEndpoints) == 0 {
			errs.add("network.natGateways", quote(string(n.NATGateways)),
				"with network.interfaceEndpoints empty leaves the tasks and functions no path to the AWS APIs they call (image pulls, logs, secrets, metrics); list the endpoints (e.g. %s) or choose a NAT: %s, %s or %s",
				strings.Join(DefaultInterfaceEndpoints, ", "), NATInstance, NATSingle, NATOnePerAZ)
		} else if missing := missingEndpoints(n.InterfaceEndpoints); len(missing) > 0 {
			errs.add("network.interfaceEndpoints", quote(strings.Join(n.InterfaceEndpoints, ",")),
				"lacks %s, which the workloads call; with network.natGateways None nothing else reaches them: add them or choose a NAT", strings.Join(missing, ", "))
		}
	default:
		errs.add("network.natGateways", quote(string(n.NATGateways)),
			"allowed: %s (one NAT gateway per AZ), %s (one NAT gateway in the first AZ), %s (a NAT instance, the cheapest) or %s (no internet route)", NATOnePerAZ, NATSingle, NATInstance, NATNone)
	}
	if n.NATGateways == NATInstance && !natInstanceType.MatchString(n.NATInstanceType) {
		errs.add("network.natInstanceType", quote(n.NATInstanceType),
			"must be a Graviton (arm64) instance type such as t4g.nano or c7g.medium: the NAT instance runs the arm64 Amazon Linux 2023 image")
	}

	if !slices.Contains(LogRetentionDays, n.FlowLogRetentionDays) {
		errs.add("network.flowLogRetentionDays", quote(n.FlowLogRetentionDays),
			"allowed CloudWatch Logs retention days: %s", joinInts(LogRetentionDays))
	}

	azCountOK := true
	if azCount < 2 || azCount > azSlots {
		errs.add("network.azCount", quote(azCount),
			"allowed 2 to %d: RDS subnet groups and load balancers need two AZs, and the CIDR layout has %d AZ blocks", azSlots, azSlots)
		azCountOK = false
	} else if ha && azCount < 3 && !n.AllowTwoAZHighAvailability {
		errs.add("network.azCount", quote(azCount),
			"highAvailability means 3 AZs, so losing one still leaves two; set network.allowTwoAzHighAvailability true to accept 2 on purpose (regions with only two AZs)")
	}
	n.AvailabilityZones = checkAZs(in.AvailabilityZones, region, azCount, azCountOK, errs)

	masks := map[Tier]int{
		TierPublic:   deref(in.PublicSubnetMask, defaultPublicSubnetMask),
		TierPrivate:  deref(in.PrivateSubnetMask, defaultPrivateSubnetMask),
		TierIsolated: deref(in.IsolatedSubnetMask, defaultIsolatedSubnetMask),
	}
	masksOK := true
	for _, t := range tierOrder {
		if m := masks[t]; m < minSubnetMask || m > maxSubnetMask {
			errs.add("network."+strings.ToLower(string(t))+"SubnetMask", quote(m),
				"allowed prefix lengths /%d to /%d (AWS subnet limits)", minSubnetMask, maxSubnetMask)
			masksOK = false
		}
	}

	if cidrOK && masksOK && azCountOK {
		tiers, err := planSubnets(vpc, azCount, masks)
		if err != nil {
			key, value := misfitKey(in, n.CIDR, masks)
			errs.add(key, value, "%v", err)
		}
		n.Tiers = tiers
	}
	return n
}

// misfitKey names the key to blame when the subnets do not fit: the
// largest subnet the user sized (an oversized mask is its own key's
// fault), or network.cidr when every mask is the default.
func misfitKey(in NetworkInput, cidr string, masks map[Tier]int) (key, value string) {
	set := map[Tier]*int{TierPublic: in.PublicSubnetMask, TierPrivate: in.PrivateSubnetMask, TierIsolated: in.IsolatedSubnetMask}
	best := Tier("")
	for _, t := range tierOrder {
		if set[t] != nil && (best == "" || masks[t] < masks[best]) {
			best = t
		}
	}
	if best == "" {
		return "network.cidr", quote(cidr)
	}
	return "network." + strings.ToLower(string(best)) + "SubnetMask", quote(masks[best])
}

func checkVPCCIDR(cidr string, errs *Errors) (netip.Prefix, bool) {
	p, err := netip.ParsePrefix(cidr)
	switch {
	case err != nil || !p.Addr().Is4():
		errs.add("network.cidr", quote(cidr), "must be an IPv4 CIDR such as %s", defaultCIDR)
	case p.Masked() != p:
		errs.add("network.cidr", quote(cidr), "host bits are set; did you mean %s?", p.Masked())
	case p.Bits() < minVPCMask || p.Bits() > maxVPCMask:
		errs.add("network.cidr", quote(cidr),
			"prefix /%d has %d addresses; allowed /%d to /%d (AWS allows /16 at most, and three subnet tiers in %d AZ blocks need at least a /%d)",
			p.Bits(), uint64(1)<<(32-p.Bits()), minVPCMask, maxVPCMask, azSlots, maxVPCMask)
	case !slices.ContainsFunc(rfc1918, func(r netip.Prefix) bool { return r.Contains(p.Addr()) }):
		errs.add("network.cidr", quote(cidr), "must lie in a private range: 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16")
	default:
		return p, true
	}
	return netip.Prefix{}, false
}

// checkAZs validates the configured AZ names and returns the ones in use.
func checkAZs(azs []string, region string, azCount int, azCountOK bool, errs *Errors) []string {
	example := fmt.Sprintf("[%sa, %sb, %sc]", region, region, region)
	if len(azs) == 0 {
		errs.add("network.availabilityZones", "",
			"not set; list the AZ names of region %s to use, e.g. %s (they are config, so a preview never asks AWS)", region, example)
		return nil
	}
	ok := true
	seen := map[string]bool{}
	pattern := regexp.MustCompile("^" + regexp.QuoteMeta(region) + "[a-z]$")
	for i, az := range azs {
		key := fmt.Sprintf("network.availabilityZones[%d]", i)
		switch {
		case region != "" && !pattern.MatchString(az):
			errs.add(key, quote(az), "is not an AZ of region %s (aws:region); allowed names look like %sa", region, region)
			ok = false
		case seen[az]:
			errs.add(key, quote(az), "is listed twice; each AZ may appear once")
			ok = false
		}
		seen[az] = true
	}
	if azCountOK && len(azs) < azCount {
		errs.add("network.availabilityZones", quote(strings.Join(azs, ",")),
			"lists %d AZs but %d are needed (network.azCount, or the profile's default); add more, e.g. %s", len(azs), azCount, example)
		ok = false
	}
	if !ok || !azCountOK {
		return nil
	}
	return slices.Clone(azs[:azCount])
}

func deref[T any](p *T, fallback T) T {
	if p == nil {
		return fallback
	}
	return *p
}

func joinInts(xs []int) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ", ")
}
