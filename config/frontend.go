package config

import (
	"regexp"
	"slices"
	"strings"
)

// Frontend is the resolved CloudFront configuration.
type Frontend struct {
	// PriceClass picks the edge locations CloudFront serves from.
	PriceClass string `json:"priceClass"`
	// CertificateArn is an ACM certificate in us-east-1 for Aliases; empty
	// serves on the distribution's *.cloudfront.net name.
	CertificateArn string `json:"certificateArn,omitempty"`
	// Aliases are the custom domain names the distribution answers for.
	Aliases []string `json:"aliases,omitempty"`
}

// PriceClasses are CloudFront's price classes (pulumi-aws Distribution
// priceClass), cheapest first.
var PriceClasses = []string{"PriceClass_100", "PriceClass_200", "PriceClass_All"}

var (
	usEast1Certificate = regexp.MustCompile(`^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]{36}$`)
	domainName         = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

func resolveFrontend(in FrontendInput, p profile, errs *Errors) Frontend {
	f := Frontend{
		PriceClass:     deref(in.PriceClass, p.Frontend.PriceClass),
		CertificateArn: deref(in.CertificateArn, ""),
		Aliases:        in.Aliases,
	}
	if !slices.Contains(PriceClasses, f.PriceClass) {
		errs.add("frontend.priceClass", quote(f.PriceClass), "allowed: %s (North America and Europe only, the cheapest), %s or %s (every edge location)", PriceClasses[0], PriceClasses[1], PriceClasses[2])
	}
	for _, a := range f.Aliases {
		if len(a) > 253 || !domainName.MatchString(a) {
			errs.add("frontend.aliases", quote(a), "must be a lowercase domain name such as app.example.com (or *.example.com)")
		}
	}
	switch {
	case f.CertificateArn != "" && !usEast1Certificate.MatchString(f.CertificateArn):
		errs.add("frontend.certificateArn", quote(f.CertificateArn),
			"must be an ACM certificate in us-east-1 (arn:aws:acm:us-east-1:<account>:certificate/<uuid>): CloudFront takes certificates from that region only")
	case f.CertificateArn != "" && len(f.Aliases) == 0:
		errs.add("frontend.certificateArn", quote(f.CertificateArn), "needs frontend.aliases, the domain names the certificate covers that the distribution answers for")
	case f.CertificateArn == "" && len(f.Aliases) > 0:
		errs.add("frontend.aliases", quote(strings.Join(f.Aliases, ",")), "needs frontend.certificateArn: CloudFront serves a custom domain only with a certificate covering it")
	}
	return f
}
