package domain_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/components/domain"
	"github.com/pushplatform/pushplatform/components/internal/provider"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/cost"
	"github.com/pushplatform/pushplatform/plan/plantest"
	"github.com/pushplatform/pushplatform/plan/policy"
)

const (
	tCert       = "aws:acm/certificate:Certificate"
	tValidation = "aws:acm/certificateValidation:CertificateValidation"
	tRecord     = "aws:route53/record:Record"
	tProvider   = "pulumi:providers:aws"
	tDist       = "aws:cloudfront/distribution:Distribution"
	tListener   = "aws:lb/listener:Listener"
	tLB         = "aws:lb/loadBalancer:LoadBalancer"
	zone        = "Z0123456789ABCDEFGHIJ"
)

func withDomain(t *testing.T, stack, value string) *plan.Result {
	t.Helper()
	res, err := plantest.RunWith(t, stack, func(v map[string]string) { v["pushplatform:domain"] = value })
	if err != nil {
		t.Fatalf("%s with domain %s: %v", stack, value, err)
	}
	return res
}

// providerRegion is the region input of the explicit provider a resource
// uses ("" for the default provider).
func providerRegion(t *testing.T, res *plan.Result, r *plan.Resource) string {
	t.Helper()
	if r.Provider == "" {
		return ""
	}
	p := res.ByURN(r.Provider[:strings.LastIndex(r.Provider, "::")])
	if p == nil {
		t.Fatalf("%s: provider %s not recorded", r.Name, r.Provider)
	}
	if strings.HasPrefix(p.Name, "default") {
		return ""
	}
	return p.InputString("region")
}

// TestNoDomain: without domain.name the stacks have no certificate, no
// validation and no record, and serve on AWS's names.
func TestNoDomain(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		for _, typ := range []string{tCert, tValidation, tRecord} {
			if n := len(res.OfType(typ)); n != 0 {
				t.Errorf("%s: %d %s without a domain", stack, n, typ)
			}
		}
		d := plantest.One(t, res, tDist, "frontend")
		if vc := d.Input("viewerCertificate").(map[string]any); vc["cloudfrontDefaultCertificate"] != true || len(plantest.Strings(d.Input("aliases"))) != 0 {
			t.Errorf("%s: distribution %v aliases %v", stack, vc, d.Input("aliases"))
		}
		if u := res.Outputs["pushUrl"].(string); !strings.HasSuffix(u, ".elb.amazonaws.com:80") {
			t.Errorf("%s: pushUrl %s", stack, u)
		}
	}
}

// TestCertificates: the distribution's certificate (site and API hosts) is
// requested and validated in us-east-1, the push host's in the stack's
// region, each by DNS with one validation record per name.
func TestCertificates(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := withDomain(t, stack, `{"name":"example.com","hostedZoneId":"`+zone+`"}`)
		if n := len(res.OfType(tCert)); n != 2 {
			t.Fatalf("%s: %d certificates, want 2", stack, n)
		}
		for _, c := range []struct {
			name, region string
			hosts        []string
		}{
			{"domain-cloudfront", provider.GlobalRegion, []string{"example.com", "api.example.com"}},
			{"domain-push", "", []string{"push.example.com"}},
		} {
			cert := plantest.One(t, res, tCert, c.name)
			if cert.InputString("domainName") != c.hosts[0] || !slices.Equal(plantest.Strings(cert.Input("subjectAlternativeNames")), c.hosts[1:]) ||
				cert.InputString("validationMethod") != "DNS" || cert.InputString("keyAlgorithm") != "RSA_2048" {
				t.Errorf("%s: certificate %s %v", stack, c.name, cert.PlainInputs())
			}
			v := plantest.One(t, res, tValidation, c.name)
			if got := providerRegion(t, res, cert); got != c.region {
				t.Errorf("%s: certificate %s in provider region %q, want %q", stack, c.name, got, c.region)
			}
			if got := providerRegion(t, res, v); got != c.region {
				t.Errorf("%s: validation %s in provider region %q, want %q", stack, c.name, got, c.region)
			}
			if !slices.Contains(v.PropertyDependencies["certificateArn"], cert.URN) {
				t.Errorf("%s: validation %s does not take the certificate's ARN", stack, c.name)
			}
			for _, host := range c.hosts {
				r := plantest.One(t, res, tRecord, c.name+"-validation-"+host)
				if r.InputString("zoneId") != zone || r.InputString("type") != "CNAME" || r.Input("allowOverwrite") != true || r.Input("ttl") != float64(domain.ValidationTTL) {
					t.Errorf("%s: validation record %s %v", stack, host, r.PlainInputs())
				}
				if !slices.Contains(r.PropertyDependencies["name"], cert.URN) || !slices.Contains(r.PropertyDependencies["records"], cert.URN) {
					t.Errorf("%s: validation record %s is not built from the certificate's options: %v", stack, host, r.PropertyDependencies)
				}
				if !slices.Contains(v.PropertyDependencies["validationRecordFqdns"], r.URN) {
					t.Errorf("%s: validation %s does not wait for record %s", stack, c.name, host)
				}
			}
		}
		if n := len(res.OfType(tValidation)); n != 2 {
			t.Errorf("%s: %d validations, want 2", stack, n)
		}
	}
}

// TestAliasRecords: site and API hosts to the distribution (A and AAAA,
// CloudFront's zone), the push host to the NLB (A, the NLB's zone), and no
// other record than these and the validation ones.
func TestAliasRecords(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := withDomain(t, stack, `{"name":"example.com","hostedZoneId":"`+zone+`"}`)
		dist := plantest.One(t, res, tDist, "frontend")
		nlb := plantest.One(t, res, tLB, "push-nlb")
		want := map[string]*plan.Resource{
			"domain-example.com-A": dist, "domain-example.com-AAAA": dist,
			"domain-api.example.com-A": dist, "domain-api.example.com-AAAA": dist,
			"domain-push.example.com-A": nlb,
		}
		if n := len(res.OfType(tRecord)); n != len(want)+3 {
			t.Errorf("%s: %d records, want %d alias + 3 validation", stack, n, len(want))
		}
		for name, target := range want {
			r := plantest.One(t, res, tRecord, name)
			host, typ, _ := strings.Cut(strings.TrimPrefix(name, "domain-"), "-")
			aliases := r.Input("aliases").([]any)
			a := aliases[0].(map[string]any)
			if len(aliases) != 1 || r.InputString("name") != host || r.InputString("type") != typ || r.InputString("zoneId") != zone ||
				r.Input("allowOverwrite") != false || a["evaluateTargetHealth"] != false {
				t.Errorf("%s: record %s %v", stack, name, r.PlainInputs())
			}
			if !slices.Contains(r.PropertyDependencies["aliases"], target.URN) {
				t.Errorf("%s: record %s does not point at %s", stack, name, target.Name)
			}
			if target == dist && (a["name"] != dist.Outputs["domainName"].StringValue() || a["zoneId"] != "Z2FDTNDATAQYW2") {
				t.Errorf("%s: record %s alias %v, want the distribution in %s", stack, name, a, domain.CloudFrontZoneID)
			}
			if target == nlb && a["name"] != nlb.Outputs["dnsName"].StringValue() {
				t.Errorf("%s: record %s alias %v, want the NLB", stack, name, a)
			}
		}
	}
}

// TestDomainUsers: the distribution serves the hosts with the validated
// us-east-1 certificate, the NLB terminates TLS on 443 with the regional
// one, and the stack's URLs are the domain's.
func TestDomainUsers(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := withDomain(t, stack, `{"name":"example.com","hostedZoneId":"`+zone+`"}`)
		cfCert := plantest.One(t, res, tCert, "domain-cloudfront")
		cfValidation := plantest.One(t, res, tValidation, "domain-cloudfront")
		d := plantest.One(t, res, tDist, "frontend")
		vc := d.Input("viewerCertificate").(map[string]any)
		if vc["acmCertificateArn"] != cfCert.Outputs["arn"].StringValue() || vc["sslSupportMethod"] != "sni-only" ||
			vc["minimumProtocolVersion"] != "TLSv1.2_2021" || vc["cloudfrontDefaultCertificate"] != nil {
			t.Errorf("%s: viewer certificate %v", stack, vc)
		}
		if !slices.Contains(d.PropertyDependencies["viewerCertificate"], cfValidation.URN) {
			t.Errorf("%s: the distribution does not wait for its certificate's validation", stack)
		}
		if got := plantest.Strings(d.Input("aliases")); !slices.Equal(got, []string{"example.com", "api.example.com"}) {
			t.Errorf("%s: aliases %v", stack, got)
		}
		pushCert := plantest.One(t, res, tCert, "domain-push")
		l := plantest.One(t, res, tListener, "push-autoconnect-nlb")
		if l.InputString("protocol") != "TLS" || l.Input("port") != float64(443) || l.InputString("certificateArn") != pushCert.Outputs["arn"].StringValue() ||
			l.InputString("sslPolicy") != "ELBSecurityPolicy-TLS13-1-2-2021-06" {
			t.Errorf("%s: listener %v", stack, l.PlainInputs())
		}
		if !slices.Contains(l.PropertyDependencies["certificateArn"], plantest.One(t, res, tValidation, "domain-push").URN) {
			t.Errorf("%s: the listener does not wait for its certificate's validation", stack)
		}
		for k, want := range map[string]string{
			"url": "https://example.com/", "pushUrl": "wss://push.example.com", "pushEndpointUrl": "https://api.example.com",
			"producerUrl": "https://example.com/api/count",
		} {
			if res.Outputs[k] != want {
				t.Errorf("%s: output %s = %v, want %s", stack, k, res.Outputs[k], want)
			}
		}
		ac := plantest.ContainerValues(plantest.TaskContainer(t, res, "push-autoconnect"))
		ae := plantest.ContainerValues(plantest.TaskContainer(t, res, "push-autoendpoint"))
		if ac["AUTOCONNECT__ENDPOINT_HOSTNAME"] != "api.example.com" || ae["AUTOEND__ENDPOINT_URL"] != "https://api.example.com" {
			t.Errorf("%s: endpoint settings %q %q", stack, ac["AUTOCONNECT__ENDPOINT_HOSTNAME"], ae["AUTOEND__ENDPOINT_URL"])
		}
	}
}

// TestHostOverrides: one host for site and API gives one alias and one
// name on the certificate.
func TestHostOverrides(t *testing.T) {
	res := withDomain(t, "dev", `{"name":"example.com","hostedZoneId":"`+zone+`","siteHost":"app.example.com","apiHost":"app.example.com","pushHost":"ws.example.com"}`)
	cert := plantest.One(t, res, tCert, "domain-cloudfront")
	if cert.InputString("domainName") != "app.example.com" || len(plantest.Strings(cert.Input("subjectAlternativeNames"))) != 0 {
		t.Errorf("certificate %v", cert.PlainInputs())
	}
	if got := plantest.Strings(plantest.One(t, res, tDist, "frontend").Input("aliases")); !slices.Equal(got, []string{"app.example.com"}) {
		t.Errorf("aliases %v", got)
	}
	if res.Outputs["pushUrl"] != "wss://ws.example.com" || res.Outputs["pushEndpointUrl"] != "https://app.example.com" {
		t.Errorf("outputs %v %v", res.Outputs["pushUrl"], res.Outputs["pushEndpointUrl"])
	}
}

// TestTaskTermination: with TLS in the tasks the stack requests no push
// certificate; the NLB passes TCP on 443 and the push host still points
// at it.
func TestTaskTermination(t *testing.T) {
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:domain"] = `{"name":"example.com","hostedZoneId":"` + zone + `"}`
		v["pushplatform:push"] = `{"tlsTermination":"task","tlsSecretArn":"arn:aws:secretsmanager:eu-central-1:123456789012:secret:push-tls-AbCdEf"}`
	})
	if err != nil {
		t.Fatal(err)
	}
	if certs := res.OfType(tCert); len(certs) != 1 || certs[0].Name != "domain-cloudfront" {
		t.Errorf("certificates %d, want only domain-cloudfront", len(certs))
	}
	l := plantest.One(t, res, tListener, "push-autoconnect-nlb")
	if l.InputString("protocol") != "TCP" || l.Input("port") != float64(443) || l.InputString("certificateArn") != "" {
		t.Errorf("listener %v", l.PlainInputs())
	}
	plantest.One(t, res, tRecord, "domain-push.example.com-A")
	if res.Outputs["pushUrl"] != "wss://push.example.com" {
		t.Errorf("pushUrl %v", res.Outputs["pushUrl"])
	}
}

// TestOneSourceOfCertificates: a domain refuses certificate ARNs and
// aliases, naming the key.
func TestOneSourceOfCertificates(t *testing.T) {
	dom := `{"name":"example.com","hostedZoneId":"` + zone + `"}`
	for key, edit := range map[string]func(map[string]string){
		"frontend.certificateArn": func(v map[string]string) {
			v["pushplatform:frontend"] = `{"certificateArn":"arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100","aliases":["app.example.com"]}`
		},
		"push.certificateArn": func(v map[string]string) {
			v["pushplatform:push"] = `{"certificateArn":"arn:aws:acm:eu-central-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"}`
		},
	} {
		_, err := plantest.RunWith(t, "prod", func(v map[string]string) {
			v["pushplatform:domain"] = dom
			edit(v)
		})
		if err == nil || !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), "domain") {
			t.Errorf("domain with %s: err = %v", key, err)
		}
	}
}

// TestPolicyAndCost: with a domain, the distribution's and the NLB
// listener's findings about AWS's own certificate (CloudFront.7, ELB.18)
// are gone, the ACM rules pass, and every new type is priced or free.
func TestPolicyAndCost(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := withDomain(t, stack, `{"name":"example.com","hostedZoneId":"`+zone+`"}`)
		s := &policy.Stack{Res: res}
		for _, id := range []string{"CloudFront.7", "ACM.1", "ACM.2"} {
			if f := policy.Find(id).Run(s); len(f) != 0 {
				t.Errorf("%s: %s findings %v", stack, id, f)
			}
		}
		for _, f := range policy.Find("ELB.18").Run(s) {
			if f.Resource == "push-autoconnect-nlb" {
				t.Errorf("%s: ELB.18 on the push listener: %s", stack, f.Problem)
			}
		}
		for _, typ := range cost.Unpriced(res) {
			if slices.Contains([]string{tCert, tValidation, tRecord, tProvider}, typ) {
				t.Errorf("%s: %s is neither priced nor free", stack, typ)
			}
		}
	}
}
