package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

const testZone = "Z0123456789ABCDEFGHIJ"

func TestDomainDefaults(t *testing.T) {
	if d := resolve(t, base()).Domain; d.Enabled() || d != (Domain{}) || d.DistributionHosts() != nil {
		t.Errorf("no domain configured, got %+v", d)
	}
	v := base()
	v["pushplatform:domain"] = `{"name":"example.com","hostedZoneId":"` + testZone + `"}`
	d := resolve(t, v).Domain
	want := Domain{Name: "example.com", HostedZoneID: testZone, SiteHost: "example.com", APIHost: "api.example.com", PushHost: "push.example.com"}
	if d != want {
		t.Errorf("domain = %+v, want %+v", d, want)
	}
	if !slices.Equal(d.DistributionHosts(), []string{"example.com", "api.example.com"}) {
		t.Errorf("distribution hosts %v", d.DistributionHosts())
	}
	v["pushplatform:domain"] = `{"name":"example.com","hostedZoneId":"` + testZone + `","siteHost":"www.example.com","apiHost":"www.example.com","pushHost":"ws.example.com"}`
	d = resolve(t, v).Domain
	if !slices.Equal(d.DistributionHosts(), []string{"www.example.com"}) || d.PushHost != "ws.example.com" {
		t.Errorf("overridden hosts %+v", d)
	}
}

func TestDomainBadValues(t *testing.T) {
	for value, key := range map[string]string{
		`{"name":"example.com"}`: "domain.hostedZoneId",
		`{"name":"example.com","hostedZoneId":"/hostedzone/` + testZone + `"}`:                  "domain.hostedZoneId",
		`{"name":"example.com","hostedZoneId":"z0123"}`:                                         "domain.hostedZoneId",
		`{"hostedZoneId":"` + testZone + `"}`:                                                   "domain.hostedZoneId",
		`{"siteHost":"example.com"}`:                                                            "domain.siteHost",
		`{"name":"Example.com","hostedZoneId":"` + testZone + `"}`:                              "domain.name",
		`{"name":"example.com.","hostedZoneId":"` + testZone + `"}`:                             "domain.name",
		`{"name":"*.example.com","hostedZoneId":"` + testZone + `"}`:                            "domain.name",
		`{"name":"example.com","hostedZoneId":"` + testZone + `","apiHost":"api.example.org"}`:  "domain.apiHost",
		`{"name":"example.com","hostedZoneId":"` + testZone + `","siteHost":"badexample.com"}`:  "domain.siteHost",
		`{"name":"example.com","hostedZoneId":"` + testZone + `","pushHost":"*.example.com"}`:   "domain.pushHost",
		`{"name":"example.com","hostedZoneId":"` + testZone + `","pushHost":"example.com"}`:     "domain.pushHost",
		`{"name":"example.com","hostedZoneId":"` + testZone + `","pushHost":"api.example.com"}`: "domain.pushHost",
		`{"name":"example.com","hostedZoneId":"` + testZone + `","zone":"x"}`:                   "domain.zone",
	} {
		v := base()
		v["pushplatform:domain"] = value
		_, err := Resolve("pushplatform", "test", v)
		var errs Errors
		if !errors.As(err, &errs) || !slices.Contains(errs.Keys(), key) {
			t.Errorf("%s: want a problem with %s, got %v", value, key, err)
		}
	}
}

func TestCheckDomainSources(t *testing.T) {
	d := Domain{Name: "example.com", HostedZoneID: testZone, SiteHost: "example.com", APIHost: "api.example.com", PushHost: "push.example.com"}
	clean := Push{TLSTermination: "nlb"}
	if err := CheckDomainSources(d, Frontend{}, clean); err != nil {
		t.Errorf("domain alone: %v", err)
	}
	if err := CheckDomainSources(Domain{}, Frontend{CertificateArn: "arn", Aliases: []string{"a.example.com"}}, Push{CertificateArn: "arn", TLSTermination: "task"}); err != nil {
		t.Errorf("no domain: %v", err)
	}
	err := CheckDomainSources(d, Frontend{CertificateArn: "arn", Aliases: []string{"a.example.com"}}, Push{CertificateArn: "arn", TLSTermination: "task"})
	var errs Errors
	if !errors.As(err, &errs) || !slices.Equal(errs.Keys(), []string{"frontend.aliases", "frontend.certificateArn", "push.certificateArn"}) {
		t.Fatalf("all sources: %v", err)
	}
	if !strings.Contains(err.Error(), "one source of certificates") {
		t.Errorf("message does not say why: %v", err)
	}
}
