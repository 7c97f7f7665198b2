// Package domain is the stack's custom domain: ACM certificates validated
// by DNS in the stack's Route 53 hosted zone, and alias records that send
// the site and API hosts to the CloudFront distribution and the push host
// to the WebSocket load balancer. CloudFront takes certificates from
// us-east-1 only, so the distribution's certificate and its validation go
// through an explicit us-east-1 provider; the push host's certificate is
// in the stack's region, beside the NLB. The hosted zone is given by ID
// (domain.hostedZoneId): nothing is looked up at preview.
package domain

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/provider"
	"github.com/pushplatform/pushplatform/config"
)

// Domain holds the validated certificates; Route adds the alias records
// once the distribution and the load balancer exist.
type Domain struct {
	pulumi.ResourceState

	Config config.Domain
	// resourceName prefixes the records Route adds.
	resourceName string
	// DistributionCertificateArn is the us-east-1 certificate for the
	// site and API hosts, known only once ACM has issued it.
	DistributionCertificateArn pulumi.StringOutput
	// PushCertificateArn is the regional certificate for the push host,
	// known only once ACM has issued it; nil without Args.PushCertificate.
	PushCertificateArn pulumi.StringInput
}

// Args configure the domain.
type Args struct {
	Config config.Domain
	// PushCertificate requests the push host's certificate for the NLB's
	// TLS listener (push.tlsTermination nlb); with task termination the
	// tasks present their own.
	PushCertificate bool
}

// KeyAlgorithm is the certificates' key: RSA 2048, ACM's default, which
// both CloudFront and NLB TLS listeners take (ACM user guide, "Key
// algorithms"; Security Hub ACM.2 asks for at least 2,048 bits).
const KeyAlgorithm = "RSA_2048"

// New requests both certificates and validates them by DNS. The caller
// creates it only when config.Domain.Enabled().
func New(ctx *pulumi.Context, name string, args *Args, opts ...pulumi.ResourceOption) (*Domain, error) {
	c := args.Config
	if !c.Enabled() {
		return nil, fmt.Errorf("domain %s: no domain.name configured", name)
	}
	d := &Domain{Config: c, resourceName: name}
	if err := ctx.RegisterComponentResource("pushplatform:domain:Domain", name, d, opts...); err != nil {
		return nil, err
	}
	child := pulumi.Parent(d)
	usEast1, err := provider.InRegion(ctx, name+"-"+provider.GlobalRegion, provider.GlobalRegion, child)
	if err != nil {
		return nil, err
	}
	d.DistributionCertificateArn, err = validated(ctx, name+"-cloudfront", c.HostedZoneID, c.DistributionHosts(), child, pulumi.Provider(usEast1))
	if err != nil {
		return nil, err
	}
	outputs := pulumi.Map{"distributionCertificateArn": d.DistributionCertificateArn}
	if args.PushCertificate {
		arn, err := validated(ctx, name+"-push", c.HostedZoneID, []string{c.PushHost}, child)
		if err != nil {
			return nil, err
		}
		d.PushCertificateArn, outputs["pushCertificateArn"] = arn, arn
	}
	if err := ctx.RegisterResourceOutputs(d, outputs); err != nil {
		return nil, err
	}
	return d, nil
}

// validated requests one certificate for hosts (the first is its domain
// name, the others its alternative names), writes one validation record
// per host and waits for ACM to issue it. certOpts place the certificate
// and its validation (the us-east-1 provider for CloudFront's); the
// records go to Route 53, which is global, through the default provider.
// The returned ARN comes from the validation, so whatever uses it waits
// for the certificate to be issued.
func validated(ctx *pulumi.Context, name, zoneID string, hosts []string, parent pulumi.ResourceOption, certOpts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	opts := append([]pulumi.ResourceOption{parent}, certOpts...)
	cert, err := acm.NewCertificate(ctx, name, &acm.CertificateArgs{
		DomainName:              pulumi.String(hosts[0]),
		SubjectAlternativeNames: pulumi.ToStringArray(hosts[1:]),
		ValidationMethod:        pulumi.String("DNS"),
		KeyAlgorithm:            pulumi.String(KeyAlgorithm),
		Tags:                    pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("certificate %s: %w", name, err)
	}
	fqdns, err := validationRecords(ctx, name, zoneID, hosts, cert, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	v, err := acm.NewCertificateValidation(ctx, name, &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: fqdns,
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("certificate validation %s: %w", name, err)
	}
	return v.CertificateArn, nil
}
