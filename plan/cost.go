package plan

import (
	"fmt"
	"math"
)

// HoursPerMonth is the month AWS prices by.
const HoursPerMonth = 730

// UnitPrice is one eu-central-1 on-demand price (USD) with where it comes
// from. Prices change: the plan prints PricesAsOf with them.
type UnitPrice struct {
	USD    float64
	Unit   string
	Source string
}

// PricesAsOf dates the unit prices below.
const PricesAsOf = "2025-11-04 (AWS pricing data files); estimates marked"

// Network unit prices, eu-central-1 (Frankfurt).
var (
	PriceNATGatewayHour = UnitPrice{0.052, "$/gateway-hour", "AWS pricing data natgateway.json, EU (Frankfurt), \"Hourly charge for NAT Gateways\""}
	PriceNATGatewayGB   = UnitPrice{0.052, "$/GB processed", "AWS pricing data natgateway.json, EU (Frankfurt), per GB processed"}
	PricePublicIPv4Hour = UnitPrice{0.005, "$/IP-hour", "AWS pricing data vpc.json; charged in use or idle since 2024-02-01"}
	PriceEndpointAZHour = UnitPrice{0.012, "$/endpoint-AZ-hour", "AWS pricing data vpc.json, interface endpoint per AZ-hour"}
	PriceEndpointGB     = UnitPrice{0.01, "$/GB processed", "AWS pricing data vpc.json, first PB"}
	// PriceInstanceHour holds the NAT instance types priced here.
	PriceInstanceHour = map[string]UnitPrice{
		"t4g.nano": {0.0048, "$/instance-hour", "estimate: us-east-1 $0.0042 (fck-nat docs) x 1.15, the Frankfurt/us-east-1 ratio of AWS's NAT and Fargate prices"},
	}
)

// CostLine is one line of the monthly estimate.
type CostLine struct {
	Item       string  `json:"item"`
	Quantity   float64 `json:"quantity"`
	Unit       string  `json:"unit"`
	UnitUSD    float64 `json:"unitUsd"`
	MonthlyUSD float64 `json:"monthlyUsd"`
	Source     string  `json:"source"`
}

// Cost is a monthly estimate: fixed charges per month, and the per-GB
// prices that come on top with traffic.
type Cost struct {
	Lines      []CostLine `json:"lines"`
	TotalUSD   float64    `json:"totalUsd"`
	PerGB      []CostLine `json:"perGb"`
	PricesAsOf string     `json:"pricesAsOf"`
	Unpriced   []string   `json:"unpriced,omitempty"`
}

// NetworkCost estimates the network's fixed monthly cost from what the run
// registers (and what awsx creates from it): NAT gateways and their
// addresses, a NAT instance and its address, and interface endpoints in
// every AZ.
func (r *Result) NetworkCost() Cost {
	c := Cost{PricesAsOf: PricesAsOf}
	add := func(item string, qty float64, p UnitPrice, hours float64) {
		monthly := round2(qty * p.USD * hours)
		c.Lines = append(c.Lines, CostLine{Item: item, Quantity: qty, Unit: p.Unit, UnitUSD: p.USD, MonthlyUSD: monthly, Source: p.Source})
		c.TotalUSD = round2(c.TotalUSD + monthly)
	}
	var natGateways, eips, azs int
	for _, e := range r.Expansions() {
		natGateways += e.Counts["aws:ec2/natGateway:NatGateway"]
		eips += e.Counts["aws:ec2/eip:Eip"]
	}
	for _, vpc := range r.OfType("awsx:ec2:Vpc") {
		zones, _ := vpc.Input("availabilityZoneNames").([]any)
		azs += len(zones)
	}
	eips += len(r.OfType("aws:ec2/eip:Eip"))
	if natGateways > 0 {
		add("NAT gateways", float64(natGateways), PriceNATGatewayHour, HoursPerMonth)
		c.PerGB = append(c.PerGB, CostLine{Item: "NAT gateway data processed", Unit: PriceNATGatewayGB.Unit, UnitUSD: PriceNATGatewayGB.USD, Source: PriceNATGatewayGB.Source})
	}
	for _, lt := range r.OfType("aws:ec2/launchTemplate:LaunchTemplate") {
		typ := lt.InputString("instanceType")
		p, ok := PriceInstanceHour[typ]
		if !ok {
			c.Unpriced = append(c.Unpriced, fmt.Sprintf("%s instance %s: no price for %s in the table", lt.Name, typ, typ))
			continue
		}
		add("NAT instance "+typ, 1, p, HoursPerMonth)
		c.PerGB = append(c.PerGB, CostLine{Item: "NAT instance traffic", Unit: "no processing charge", Source: "EC2 data transfer out to the internet applies, as for any instance (not in the table)"})
	}
	if eips > 0 {
		add("Public IPv4 addresses (NAT)", float64(eips), PricePublicIPv4Hour, HoursPerMonth)
	}
	var endpoints int
	for _, ep := range r.OfType("aws:ec2/vpcEndpoint:VpcEndpoint") {
		if ep.InputString("vpcEndpointType") == "Interface" {
			endpoints++
		}
	}
	if endpoints > 0 {
		add(fmt.Sprintf("Interface endpoints (%d services x %d AZs)", endpoints, azs), float64(endpoints*azs), PriceEndpointAZHour, HoursPerMonth)
		c.PerGB = append(c.PerGB, CostLine{Item: "Interface endpoint data processed", Unit: PriceEndpointGB.Unit, UnitUSD: PriceEndpointGB.USD, Source: PriceEndpointGB.Source})
	}
	c.PerGB = append(c.PerGB, CostLine{Item: "S3 and DynamoDB gateway endpoints", Unit: "free", Source: "gateway endpoints carry no charge"})
	return c
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
