package domain

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/frontend"
	"github.com/pushplatform/pushplatform/components/pushtier"
)

// CloudFrontZoneID is the hosted zone of every CloudFront distribution as
// an alias target (Route 53 API reference, AliasTarget: "Specify
// Z2FDTNDATAQYW2. This is always the hosted zone ID when you create an
// alias record that routes traffic to a CloudFront distribution"; the
// pulumi-aws Distribution's hostedZoneId output is this constant).
const CloudFrontZoneID = "Z2FDTNDATAQYW2"

// ForDistribution is the distribution's certificate and host names; nil
// without a domain.
func (d *Domain) ForDistribution() *frontend.Certificate {
	if d == nil {
		return nil
	}
	return &frontend.Certificate{Arn: d.DistributionCertificateArn, Hosts: d.Config.DistributionHosts()}
}

// ForPush is the push host and its certificate for the NLB's TLS
// listener (no certificate with task termination); nil without a domain.
func (d *Domain) ForPush() *pushtier.TLS {
	if d == nil {
		return nil
	}
	return &pushtier.TLS{Host: d.Config.PushHost, CertificateArn: d.PushCertificateArn}
}

// APIHost is the host application servers and browsers reach the API on:
// the domain's API host, or fallback (the distribution's own name).
func (d *Domain) APIHost(fallback pulumi.StringOutput) pulumi.StringOutput {
	if d == nil {
		return fallback
	}
	return pulumi.String(d.Config.APIHost).ToStringOutput()
}

// Route points the hosts at their targets with alias records: the site and
// API hosts at the distribution (A and AAAA: the distribution serves
// IPv6), the push host at the NLB (A only: the NLB is IPv4). A nil Domain
// does nothing. Existing records are not taken over (allowOverwrite
// false): a name already in use fails the deployment instead of being
// moved silently.
func (d *Domain) Route(ctx *pulumi.Context, web *frontend.Frontend, push *pushtier.PushTier) error {
	if d == nil {
		return nil
	}
	child := pulumi.Parent(d)
	alias := func(host, typ string, target, zone pulumi.StringInput) error {
		if _, err := route53.NewRecord(ctx, fmt.Sprintf("%s-%s-%s", d.resourceName, host, typ), &route53.RecordArgs{
			ZoneId: pulumi.String(d.Config.HostedZoneID),
			Name:   pulumi.String(host),
			Type:   pulumi.String(typ),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name: target, ZoneId: zone,
				// One record per name: nothing to fail over to. CloudFront
				// targets must be false (Route 53 developer guide,
				// "Evaluate target health").
				EvaluateTargetHealth: pulumi.Bool(false),
			}},
			AllowOverwrite: pulumi.Bool(false),
		}, child); err != nil {
			return fmt.Errorf("alias record %s %s: %w", host, typ, err)
		}
		return nil
	}
	for _, host := range d.Config.DistributionHosts() {
		for _, typ := range []string{"A", "AAAA"} {
			if err := alias(host, typ, web.DomainName, pulumi.String(CloudFrontZoneID)); err != nil {
				return err
			}
		}
	}
	return alias(d.Config.PushHost, "A", push.NLB.DnsName, push.NLB.ZoneId)
}
