package config

import (
	"regexp"
	"strings"
)

// DomainInput is pushplatform:domain as written in the stack file.
type DomainInput struct {
	Name         *string `json:"name"`
	HostedZoneID *string `json:"hostedZoneId"`
	SiteHost     *string `json:"siteHost"`
	APIHost      *string `json:"apiHost"`
	PushHost     *string `json:"pushHost"`
}

// Domain is the resolved custom domain: empty Name serves everything on
// AWS's own names (*.cloudfront.net, *.elb.amazonaws.com).
type Domain struct {
	// Name is the domain the stack's hosts live under, e.g. example.com.
	Name string `json:"name,omitempty"`
	// HostedZoneID is the Route 53 public hosted zone of Name, given
	// rather than looked up: the preview makes no AWS call.
	HostedZoneID string `json:"hostedZoneId,omitempty"`
	// SiteHost serves the app (the distribution); default Name itself.
	SiteHost string `json:"siteHost,omitempty"`
	// APIHost is where application servers send push messages and call
	// the API: another name of the same distribution (all HTTP goes
	// through CloudFront); default api.<Name>. It may equal SiteHost.
	APIHost string `json:"apiHost,omitempty"`
	// PushHost is the WebSocket clients' host, on the NLB; default
	// push.<Name>.
	PushHost string `json:"pushHost,omitempty"`
}

// Enabled says whether the stack has a custom domain.
func (d Domain) Enabled() bool { return d.Name != "" }

// DistributionHosts are the distribution's aliases: the site host, then
// the API host when it differs.
func (d Domain) DistributionHosts() []string {
	if !d.Enabled() {
		return nil
	}
	if d.APIHost == d.SiteHost {
		return []string{d.SiteHost}
	}
	return []string{d.SiteHost, d.APIHost}
}

// hostedZoneID is a Route 53 hosted zone ID as the console and API show
// it (without the /hostedzone/ prefix); 32 characters is Route 53's limit
// for an ID (API reference, HostedZone.Id).
var hostedZoneID = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)

func resolveDomain(in DomainInput, _ bool, _ profile, errs *Errors) Domain {
	d := Domain{Name: deref(in.Name, ""), HostedZoneID: deref(in.HostedZoneID, "")}
	given := map[string]*string{"domain.siteHost": in.SiteHost, "domain.apiHost": in.APIHost, "domain.pushHost": in.PushHost}
	if d.Name == "" {
		if d.HostedZoneID != "" {
			errs.add("domain.hostedZoneId", quote(d.HostedZoneID), "needs domain.name, the zone's domain (e.g. example.com)")
		}
		for _, k := range []string{"domain.siteHost", "domain.apiHost", "domain.pushHost"} {
			if given[k] != nil {
				errs.add(k, quote(*given[k]), "needs domain.name and domain.hostedZoneId")
			}
		}
		return Domain{}
	}
	if len(d.Name) > 253 || !domainName.MatchString(d.Name) || strings.HasPrefix(d.Name, "*.") {
		errs.add("domain.name", quote(d.Name), "must be a lowercase domain name without a trailing dot, such as example.com")
	}
	if !hostedZoneID.MatchString(d.HostedZoneID) {
		errs.add("domain.hostedZoneId", quote(d.HostedZoneID), "must be the Route 53 hosted zone ID of %s, such as Z0123456789ABCDEFGHIJ (Route 53 console, or `aws route53 list-hosted-zones-by-name --dns-name %s`); it is not looked up", d.Name, d.Name)
	}
	d.SiteHost = deref(in.SiteHost, d.Name)
	d.APIHost = deref(in.APIHost, "api."+d.Name)
	d.PushHost = deref(in.PushHost, "push."+d.Name)
	for _, h := range []struct{ key, host string }{{"domain.siteHost", d.SiteHost}, {"domain.apiHost", d.APIHost}, {"domain.pushHost", d.PushHost}} {
		if len(h.host) > 253 || !domainName.MatchString(h.host) || strings.HasPrefix(h.host, "*.") {
			errs.add(h.key, quote(h.host), "must be a lowercase host name such as app.%s (no wildcard)", d.Name)
		} else if h.host != d.Name && !strings.HasSuffix(h.host, "."+d.Name) {
			errs.add(h.key, quote(h.host), "must be %s or a name under it: its records go into the hosted zone of %s", d.Name, d.Name)
		}
	}
	if d.PushHost == d.SiteHost || d.PushHost == d.APIHost {
		errs.add("domain.pushHost", quote(d.PushHost), "must differ from domain.siteHost and domain.apiHost: it points at the WebSocket load balancer, they at the distribution")
	}
	return d
}

// CheckDomainSources refuses a second source of certificates next to a
// domain: with domain.name the stack requests and validates its own
// certificates, so certificate ARNs and aliases would compete with them.
// push.tlsTermination task stays allowed (it is the cheap way to hold
// many connections): the tasks then present push.tlsSecretArn's
// certificate, which must cover domain.pushHost, and the stack requests
// no push certificate.
func CheckDomainSources(d Domain, f Frontend, p Push) error {
	if !d.Enabled() {
		return nil
	}
	var errs Errors
	const why = "is refused with domain.name: the stack then requests and validates its own certificates and names (one source of certificates); remove it, or remove domain"
	if f.CertificateArn != "" {
		errs.add("frontend.certificateArn", quote(f.CertificateArn), why)
	}
	if len(f.Aliases) > 0 {
		errs.add("frontend.aliases", quote(strings.Join(f.Aliases, ",")), why+" (set domain.siteHost and domain.apiHost instead)")
	}
	if p.CertificateArn != "" {
		errs.add("push.certificateArn", quote(p.CertificateArn), why)
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}
