package domain

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ValidationTTL is the validation records' TTL in seconds. The records
// stay: ACM re-checks them to renew the certificates by itself.
const ValidationTTL = 300

// validationRecords writes the CNAME ACM asks for, one per requested host.
// ACM gives one validation option per domain name of the certificate, so
// the hosts (plain config values) decide how many records exist; each
// record reads its name and value from the option for its host.
//
// allowOverwrite: ACM asks for the same record for a domain name in every
// certificate of the account that covers it (a replacement certificate, or
// one made outside this stack), so the record may exist already with the
// very value it would get; taking it over is the documented Terraform
// pattern (aws_acm_certificate_validation example, allow_overwrite).
func validationRecords(ctx *pulumi.Context, name, zoneID string, hosts []string, cert *acm.Certificate, parent pulumi.ResourceOption) (pulumi.StringArray, error) {
	var fqdns pulumi.StringArray
	for _, host := range hosts {
		rec, err := route53.NewRecord(ctx, name+"-validation-"+host, &route53.RecordArgs{
			ZoneId:         pulumi.String(zoneID),
			Name:           option(cert, host, func(o acm.CertificateDomainValidationOption) *string { return o.ResourceRecordName }),
			Type:           pulumi.String("CNAME"),
			Records:        pulumi.StringArray{option(cert, host, func(o acm.CertificateDomainValidationOption) *string { return o.ResourceRecordValue })},
			Ttl:            pulumi.Int(ValidationTTL),
			AllowOverwrite: pulumi.Bool(true),
		}, parent)
		if err != nil {
			return nil, fmt.Errorf("validation record %s: %w", host, err)
		}
		fqdns = append(fqdns, rec.Fqdn)
	}
	return fqdns, nil
}

// option reads one field of the certificate's validation option for host.
// A certificate that reports no option at all yields an empty value (the
// offline plan's mock engine invents none; a real DNS-validated
// certificate has one per name once created, and Route 53 refuses an
// empty record); options without host are an error.
func option(cert *acm.Certificate, host string, field func(acm.CertificateDomainValidationOption) *string) pulumi.StringOutput {
	return cert.DomainValidationOptions.ApplyT(func(opts []acm.CertificateDomainValidationOption) (string, error) {
		if len(opts) == 0 {
			return "", nil
		}
		for _, o := range opts {
			if o.DomainName != nil && *o.DomainName == host {
				if v := field(o); v != nil {
					return *v, nil
				}
				return "", nil
			}
		}
		return "", fmt.Errorf("certificate has no DNS validation option for %s", host)
	}).(pulumi.StringOutput)
}
