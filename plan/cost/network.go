package cost

import (
	"fmt"

	"github.com/pushplatform/pushplatform/plan"
)

const hoursNote = "730 h"

func priceEIP(b *builder, r *plan.Resource) {
	b.add(r, "Public IPv4 address (Elastic IP "+r.Name+")", plan.HoursPerMonth, PricePublicIPv4Hour, hoursNote)
}

func priceNATGateway(b *builder, r *plan.Resource) {
	b.add(r, "NAT gateway "+r.Name, plan.HoursPerMonth, PriceNATGatewayHour, hoursNote)
	b.onTop("NAT gateway data processed", PriceNATGatewayGB)
}

// priceInstance prices an EC2 instance (the NAT instance): its type, from
// the instance or its launch template, and its root volume.
func priceInstance(b *builder, r *plan.Resource) {
	typ := r.InputString("instanceType")
	lt := dependency(b.res, r, "launchTemplate")
	if typ == "" && lt != nil {
		typ = lt.InputString("instanceType")
	}
	if p, ok := PriceInstanceHour(typ); ok {
		b.add(r, fmt.Sprintf("EC2 instance %s (%s)", r.Name, typ), plan.HoursPerMonth, p, hoursNote)
	} else {
		b.addTo(componentOf(b.res, r), r.Type, fmt.Sprintf("EC2 instance %s (%s): NO PRICE in the table", r.Name, typ), 0, Price{Unit: "$/instance-hour", Status: Unverified}, "add the type to plan.PriceInstanceHour")
	}
	gb, note := b.usage.RootVolumeGB, "root volume: the AMI's default size (assumed)"
	for _, src := range []*plan.Resource{r, lt} {
		if src == nil {
			continue
		}
		if size := rootVolumeGB(src); size > 0 {
			gb, note = size, "root volume size from "+src.Type
			break
		}
	}
	b.add(r, fmt.Sprintf("EBS gp3 root volume of %s", r.Name), gb, PriceEBSgp3GB, note)
	b.onTop("EC2 data transfer out to the internet (NAT instance traffic)", Price{Unit: "$/GB, not in the table", Source: "EC2 data transfer pricing; a NAT instance has no processing charge", Status: Unverified})
}

// rootVolumeGB reads rootBlockDevice.volumeSize (instance) or the first
// blockDeviceMappings[].ebs.volumeSize (launch template).
func rootVolumeGB(r *plan.Resource) float64 {
	if m, ok := r.Input("rootBlockDevice").(map[string]any); ok {
		if v, ok := m["volumeSize"].(float64); ok {
			return v
		}
	}
	l, _ := r.Input("blockDeviceMappings").([]any)
	for _, e := range l {
		m, _ := e.(map[string]any)
		ebs, _ := m["ebs"].(map[string]any)
		if v, ok := ebs["volumeSize"].(float64); ok {
			return v
		}
	}
	return 0
}

// priceEndpoint prices an interface endpoint per AZ it sits in (one subnet
// per AZ); gateway endpoints are free.
func priceEndpoint(b *builder, r *plan.Resource) {
	if r.InputString("vpcEndpointType") != "Interface" {
		return
	}
	azs := count(r, "subnetIds")
	b.add(r, fmt.Sprintf("Interface endpoint %s (%d AZs)", r.Name, azs), float64(azs*plan.HoursPerMonth), PriceEndpointAZHour, fmt.Sprintf("%d AZ x 730 h", azs))
	b.onTop("Interface endpoint data processed", PriceEndpointGB)
}

// priceLoadBalancer prices the hour, and for an internet-facing load
// balancer one public IPv4 address per subnet (AZ). Capacity units are 0 at
// idle and come on top with traffic.
func priceLoadBalancer(b *builder, r *plan.Resource) {
	kind := r.InputString("loadBalancerType")
	switch kind {
	case "network":
		b.add(r, "Network Load Balancer "+r.Name, plan.HoursPerMonth, PriceNLBHour, hoursNote+"; NLCU 0 at idle")
		b.onTop("NLB capacity units (NLCU)", PriceNLCUHour)
	case "", "application":
		b.add(r, "Application Load Balancer "+r.Name, plan.HoursPerMonth, PriceALBHour, hoursNote+"; LCU 0 at idle")
		b.onTop("ALB capacity units (LCU)", PriceLCUHour)
	default:
		b.addTo(componentOf(b.res, r), r.Type, fmt.Sprintf("%s load balancer %s: NO PRICE in the table", kind, r.Name), 0, Price{Status: Unverified}, "")
	}
	if internal, _ := r.Input("internal").(bool); internal {
		return
	}
	ips := max(count(r, "subnets"), count(r, "subnetMappings"))
	b.add(r, fmt.Sprintf("Public IPv4 addresses of %s (%d AZs)", r.Name, ips), float64(ips*plan.HoursPerMonth), PricePublicIPv4Hour, "internet-facing: one address per AZ")
}

// priceExpansions prices what awsx creates at deploy time (NAT gateways and
// their Elastic IPs), under the component that owns the VPC.
func priceExpansions(b *builder) {
	for _, e := range b.res.Expansions() {
		vpc := b.res.Named("awsx:ec2:Vpc", e.Component)
		component := "network"
		if vpc != nil {
			component = componentOf(b.res, vpc)
		}
		for _, typ := range sortedKeys(e.Counts) {
			n := e.Counts[typ]
			p, ok := expansionPrices[typ]
			if !ok || n == 0 {
				continue
			}
			b.addTo(component, typ, fmt.Sprintf("%s (%d, created by awsx %s)", p.item, n, e.Component), float64(n*plan.HoursPerMonth), p.price, fmt.Sprintf("%d x 730 h", n))
			if typ == "aws:ec2/natGateway:NatGateway" {
				b.onTop("NAT gateway data processed", PriceNATGatewayGB)
			}
		}
	}
}

// expansionPrices are the billable kinds among awsx's children.
var expansionPrices = map[string]struct {
	item  string
	price Price
}{
	"aws:ec2/natGateway:NatGateway": {"NAT gateways", PriceNATGatewayHour},
	"aws:ec2/eip:Eip":               {"Public IPv4 addresses of the NAT gateways", PricePublicIPv4Hour},
}

func priceFlowLog(b *builder, r *plan.Resource) {
	p, dest := PriceVendedLogsGB, "CloudWatch Logs"
	if t := r.InputString("logDestinationType"); t == "s3" || t == "kinesis-data-firehose" {
		p, dest = PriceVendedToS3GB, t
	}
	b.add(r, "VPC flow log delivery to "+dest, b.usage.FlowLogGB, p, fmt.Sprintf("%.2g GB a month (assumed)", b.usage.FlowLogGB))
}
