package config

import (
	"fmt"
	"net/netip"
	"sort"
)

// azSlots is how many equal blocks the VPC CIDR is cut into, one per AZ.
// Fixing it (instead of deriving it from the AZ count, as awsx's automatic
// layout does) means going from 2 to 3 AZs adds subnets without moving the
// existing ones: a moved subnet is a replaced subnet, and everything in it
// with it.
const azSlots = 4

// Limits AWS puts on VPC and subnet sizes (VPC user guide, "VPC CIDR blocks":
// /16 to /28 for both).
const (
	minVPCMask    = 16
	maxVPCMask    = 24 // ours: three tiers in four AZ blocks need at least a /24
	minSubnetMask = 16
	maxSubnetMask = 28
)

// rfc1918 are the private ranges a VPC CIDR must come from.
var rfc1918 = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// tierOrder is the order tiers are listed in (and handed to awsx).
var tierOrder = []Tier{TierPublic, TierPrivate, TierIsolated}

// planSubnets lays out one subnet per tier in each AZ. AZ i owns block i of
// the VPC CIDR (a /mask+2); inside it the tiers are packed largest first, each
// aligned to its own size, so no address is wasted on alignment.
func planSubnets(vpc netip.Prefix, azCount int, masks map[Tier]int) ([]TierPlan, error) {
	blockBits := vpc.Bits() + 2
	blockSize := uint64(1) << (32 - blockBits)
	need := uint64(0)
	for _, t := range tierOrder {
		need += uint64(1) << (32 - masks[t])
	}
	if need > blockSize {
		return nil, fmt.Errorf("the subnets of one AZ need %d addresses (public /%d + private /%d + isolated /%d) "+
			"but each AZ block of %s is a /%d with %d; use a larger VPC CIDR or smaller subnets",
			need, masks[TierPublic], masks[TierPrivate], masks[TierIsolated], vpc, blockBits, blockSize)
	}
	if azCount > azSlots {
		return nil, fmt.Errorf("at most %d AZs fit the layout, got %d", azSlots, azCount)
	}

	// Largest subnet first; ties keep the tier order.
	packing := append([]Tier(nil), tierOrder...)
	sort.SliceStable(packing, func(i, j int) bool { return masks[packing[i]] < masks[packing[j]] })

	cidrs := map[Tier][]string{}
	base := ipv4ToUint(vpc.Addr())
	for az := range azCount {
		blockStart := base + uint64(az)*blockSize
		cursor := blockStart
		for _, t := range packing {
			size := uint64(1) << (32 - masks[t])
			cursor = (cursor + size - 1) / size * size // align up
			cidrs[t] = append(cidrs[t], netip.PrefixFrom(uintToIPv4(cursor), masks[t]).String())
			cursor += size
		}
		if cursor > blockStart+blockSize {
			return nil, fmt.Errorf("the subnets of one AZ do not fit its /%d block once aligned; "+
				"use a larger VPC CIDR or smaller subnets", blockBits)
		}
	}

	plans := make([]TierPlan, 0, len(tierOrder))
	for _, t := range tierOrder {
		plans = append(plans, TierPlan{Tier: t, Mask: masks[t], CIDRs: cidrs[t]})
	}
	return plans, nil
}

func ipv4ToUint(a netip.Addr) uint64 {
	b := a.As4()
	return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
}

func uintToIPv4(v uint64) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}
