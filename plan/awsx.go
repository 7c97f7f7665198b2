package plan

import "fmt"

// Expansion is what a remote awsx component creates at deploy time. The mock
// engine records only the component, so the plan derives its children from
// the component's inputs, following awsx v2.22.0's ec2.Vpc (awsx/ec2/vpc.ts):
// per AZ and subnet spec one subnet, route table and association; a default
// route per public subnet (to the internet gateway) and per private subnet
// (to a NAT gateway); one NAT gateway with an Elastic IP in the first AZ
// (Single) or in every AZ (OnePerAz); one internet gateway.
type Expansion struct {
	Component string         `json:"component"`
	Counts    map[string]int `json:"counts"`
	Summary   string         `json:"summary"`
}

// Expansions derives the children of every recorded awsx VPC.
func (r *Result) Expansions() []Expansion {
	var out []Expansion
	for _, vpc := range r.OfType("awsx:ec2:Vpc") {
		azs, _ := vpc.Input("availabilityZoneNames").([]any)
		specs, _ := vpc.Input("subnetSpecs").([]any)
		strategy := "OnePerAz" // awsx's default when natGateways is omitted
		if nat, ok := vpc.Input("natGateways").(map[string]any); ok {
			if s, ok := nat["strategy"].(string); ok {
				strategy = s
			}
		}
		tiers := map[string]int{}
		for _, s := range specs {
			spec, _ := s.(map[string]any)
			if t, _ := spec["type"].(string); t != "Unused" {
				tiers[t] += len(azs)
			}
		}
		subnets := tiers["Public"] + tiers["Private"] + tiers["Isolated"]
		nats := 0
		switch strategy {
		case "Single":
			nats = 1
		case "OnePerAz":
			nats = len(azs)
		}
		routes := tiers["Public"]
		if nats > 0 {
			routes += tiers["Private"]
		}
		counts := map[string]int{
			"aws:ec2/vpc:Vpc":                                     1,
			"aws:ec2/subnet:Subnet":                               subnets,
			"aws:ec2/routeTable:RouteTable":                       subnets,
			"aws:ec2/routeTableAssociation:RouteTableAssociation": subnets,
			"aws:ec2/route:Route":                                 routes,
			"aws:ec2/internetGateway:InternetGateway":             1,
			"aws:ec2/natGateway:NatGateway":                       nats,
			"aws:ec2/eip:Eip":                                     nats,
		}
		out = append(out, Expansion{
			Component: vpc.Name,
			Counts:    counts,
			Summary: fmt.Sprintf("1 VPC over %d AZs; %d subnets (%d public, %d private, %d isolated); %d NAT gateway(s) (%s) with %d Elastic IP(s); 1 internet gateway; %d route tables; %d routes",
				len(azs), subnets, tiers["Public"], tiers["Private"], tiers["Isolated"], nats, strategy, nats, subnets, routes),
		})
	}
	return out
}
