package frontend_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/components/frontend"
	"github.com/pushplatform/pushplatform/internal/webedge"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

const (
	tDist     = "aws:cloudfront/distribution:Distribution"
	tBucket   = "aws:s3/bucketV2:BucketV2"
	tPolicy   = "aws:s3/bucketPolicy:BucketPolicy"
	tLB       = "aws:lb/loadBalancer:LoadBalancer"
	tListener = "aws:lb/listener:Listener"
)

func distribution(t *testing.T, res *plan.Result) (*plan.Resource, map[string]map[string]any) {
	t.Helper()
	d := plantest.One(t, res, tDist, "frontend")
	origins := map[string]map[string]any{}
	for _, o := range d.Input("origins").([]any) {
		om := o.(map[string]any)
		origins[om["originId"].(string)] = om
	}
	return d, origins
}

// behaviours returns the default behaviour under "default" and the
// ordered ones by path pattern.
func behaviours(d *plan.Resource) map[string]map[string]any {
	out := map[string]map[string]any{"default": d.Input("defaultCacheBehavior").(map[string]any)}
	for _, b := range d.Input("orderedCacheBehaviors").([]any) {
		bm := b.(map[string]any)
		out[bm["pathPattern"].(string)] = bm
	}
	return out
}

// TestS3OriginsUseOAC: both buckets are origins through Origin Access
// Control (no legacy identity, no website endpoint), and each bucket's
// policy lets CloudFront read for this distribution only, with nothing
// public.
func TestS3OriginsUseOAC(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		d, origins := distribution(t, res)
		if len(origins) != 3 {
			t.Fatalf("%s: origins %v, want site, assets and api", stack, origins)
		}
		oac := plantest.One(t, res, "aws:cloudfront/originAccessControl:OriginAccessControl", "frontend-s3")
		if oac.InputString("originAccessControlOriginType") != "s3" || oac.InputString("signingBehavior") != "always" || oac.InputString("signingProtocol") != "sigv4" {
			t.Errorf("%s OAC = %v", stack, oac.PlainInputs())
		}
		if n := len(res.OfType("aws:cloudfront/originAccessIdentity:OriginAccessIdentity")); n != 0 {
			t.Errorf("%s: %d legacy origin access identities", stack, n)
		}
		for id, bucket := range map[string]string{frontend.OriginSite: "datastores-frontend", frontend.OriginAssets: "datastores-assets"} {
			o := origins[id]
			b := plantest.One(t, res, tBucket, bucket)
			if o["originAccessControlId"] != oac.ID || o["domainName"] != b.Outputs["bucketRegionalDomainName"].StringValue() {
				t.Errorf("%s origin %s = %v, want bucket %s's REST endpoint through OAC %s", stack, id, o, bucket, oac.ID)
			}
			if o["s3OriginConfig"] != nil || o["customOriginConfig"] != nil || strings.Contains(o["domainName"].(string), "website") {
				t.Errorf("%s origin %s is not a plain OAC S3 origin: %v", stack, id, o)
			}
			if res.PublicBucketPolicy(bucket) {
				t.Errorf("%s: bucket %s has a public policy", stack, bucket)
			}
			pol := plantest.Policy(t, plantest.One(t, res, tPolicy, bucket), "policy")
			var found bool
			for _, st := range pol.Statement {
				if st.Sid != "CloudFrontReadsThroughOAC" {
					continue
				}
				found = true
				arn := d.Outputs["arn"].StringValue()
				if !slices.Equal(st.Action, []string{"s3:GetObject"}) || !slices.Equal(st.Principal["Service"], []string{"cloudfront.amazonaws.com"}) ||
					!slices.Equal(st.Condition["StringEquals"]["AWS:SourceArn"], []string{arn}) || !slices.Equal(st.Resource, []string{b.Outputs["arn"].StringValue() + "/*"}) {
					t.Errorf("%s %s OAC statement = %+v, want GetObject for distribution %s only", stack, bucket, st, arn)
				}
			}
			if !found {
				t.Errorf("%s: bucket %s does not let the distribution read", stack, bucket)
			}
			block := plantest.One(t, res, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", bucket)
			for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				if block.Input(k) != true {
					t.Errorf("%s: %s %s is off", stack, bucket, k)
				}
			}
		}
		// The documents bucket stays out of CloudFront: links only.
		if res.PublicBucketPolicy("datastores-documents") || strings.Contains(plantest.One(t, res, tPolicy, "datastores-documents").InputString("policy"), "cloudfront") {
			t.Errorf("%s: the documents bucket is readable other than by presigned links", stack)
		}
	}
}

// TestBehaviours: the API is never cached and gets every viewer header,
// cookie and query string; the site and assets are cached and compressed;
// no behaviour serves plain HTTP; every one sends the security headers.
func TestBehaviours(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		d, _ := distribution(t, res)
		headers := plantest.One(t, res, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "frontend-headers")
		spa := plantest.One(t, res, "aws:cloudfront/function:Function", "frontend-spa")
		bs := behaviours(d)
		// default, /api/*, autoendpoint's /wpush/* /m/* /v1/*, the Push
		// Messages API's /keys /keys/* /messages/*, /assets/*
		if len(bs) != 9 {
			t.Fatalf("%s behaviours %v", stack, bs)
		}
		for path, b := range bs {
			if v := b["viewerProtocolPolicy"]; v != "redirect-to-https" && v != "https-only" {
				t.Errorf("%s %s: viewer protocol %v serves plain HTTP", stack, path, v)
			}
			if b["responseHeadersPolicyId"] != headers.ID || b["compress"] != true || b["forwardedValues"] != nil {
				t.Errorf("%s %s: headers policy %v compress %v forwardedValues %v", stack, path, b["responseHeadersPolicyId"], b["compress"], b["forwardedValues"])
			}
		}
		api := bs[frontend.PathAPI]
		if api["targetOriginId"] != frontend.OriginAPI || api["cachePolicyId"] != "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" ||
			api["originRequestPolicyId"] != "216adef6-5c7f-47e4-b989-5492eafa07d3" || api["viewerProtocolPolicy"] != "https-only" ||
			len(api["allowedMethods"].([]any)) != 7 || api["functionAssociations"] != nil {
			t.Errorf("%s /api/*: %v; want the api origin, CachingDisabled, AllViewer, https-only, all 7 methods, no SPA rewrite", stack, api)
		}
		assets := bs[frontend.PathAssets]
		if assets["targetOriginId"] != frontend.OriginAssets || assets["cachePolicyId"] != "658327ea-f89d-4fab-a63d-7e88639e58f6" || len(assets["allowedMethods"].([]any)) != 2 {
			t.Errorf("%s /assets/*: %v", stack, assets)
		}
		def := bs["default"]
		fn := def["functionAssociations"].([]any)[0].(map[string]any)
		if def["targetOriginId"] != frontend.OriginSite || def["cachePolicyId"] != "658327ea-f89d-4fab-a63d-7e88639e58f6" ||
			def["viewerProtocolPolicy"] != "redirect-to-https" || fn["eventType"] != "viewer-request" || fn["functionArn"] != spa.Outputs["arn"].StringValue() {
			t.Errorf("%s default behaviour: %v", stack, def)
		}
		if spa.InputString("runtime") != "cloudfront-js-2.0" || spa.InputString("code") != webedge.SPARewriteJS || spa.Input("publish") != true {
			t.Errorf("%s SPA function = %v", stack, spa.PlainInputs())
		}
		// A distribution-wide error page would turn the API's 403/404 into
		// the app's HTML.
		if d.Input("customErrorResponses") != nil {
			t.Errorf("%s: custom error responses %v", stack, d.Input("customErrorResponses"))
		}
		if d.InputString("defaultRootObject") != "index.html" || d.Input("enabled") != true {
			t.Errorf("%s: root object %q", stack, d.InputString("defaultRootObject"))
		}
		want := map[string]string{"dev": "PriceClass_100", "prod": "PriceClass_All"}[stack]
		if d.InputString("priceClass") != want {
			t.Errorf("%s price class %s, want %s", stack, d.InputString("priceClass"), want)
		}
		cert := d.Input("viewerCertificate").(map[string]any)
		if cert["cloudfrontDefaultCertificate"] != true || cert["minimumProtocolVersion"] != nil {
			t.Errorf("%s viewer certificate %v, want the default one", stack, cert)
		}
	}
}

// TestSecurityHeaders: HSTS, nosniff, DENY, the referrer policy and the
// CSP the browser test runs the app under, all overriding the origin.
func TestSecurityHeaders(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		p := plantest.One(t, res, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "frontend-headers")
		sh := p.Input("securityHeadersConfig").(map[string]any)
		hsts := sh["strictTransportSecurity"].(map[string]any)
		csp := sh["contentSecurityPolicy"].(map[string]any)
		if hsts["accessControlMaxAgeSec"] != float64(63072000) || hsts["override"] != true ||
			sh["contentTypeOptions"].(map[string]any)["override"] != true ||
			sh["frameOptions"].(map[string]any)["frameOption"] != "DENY" ||
			sh["referrerPolicy"].(map[string]any)["referrerPolicy"] != "strict-origin-when-cross-origin" ||
			csp["contentSecurityPolicy"] != webedge.ContentSecurityPolicy || csp["override"] != true {
			t.Errorf("%s security headers = %v", stack, sh)
		}
		for _, directive := range []string{"default-src 'none'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp["contentSecurityPolicy"].(string), directive) {
				t.Errorf("%s CSP lacks %s", stack, directive)
			}
		}
		if strings.Contains(csp["contentSecurityPolicy"].(string), "unsafe-") {
			t.Errorf("%s CSP allows unsafe sources", stack)
		}
	}
}

// TestNoSideDoor: the load balancer has no public address and sits in the
// private subnets; its one group admits only CloudFront's origin-facing
// prefix list, on the one listener, which the VPC origin uses; no group
// of the stack admits a CIDR; no listener reachable from the internet
// speaks plain HTTP.
func TestNoSideDoor(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		alb := plantest.One(t, res, tLB, "cluster-alb")
		if alb.Input("internal") != true || !plantest.AllPrefixed(plantest.Strings(alb.Input("subnets")), "subnet-private-") {
			t.Errorf("%s ALB internal=%v subnets=%v, want internal in the private subnets", stack, alb.Input("internal"), alb.Input("subnets"))
		}
		groups := plantest.Strings(alb.Input("securityGroups"))
		sg := plantest.One(t, res, "aws:ec2/securityGroup:SecurityGroup", "network-alb")
		if !slices.Equal(groups, []string{sg.ID}) {
			t.Errorf("%s ALB groups %v, want only network-alb", stack, groups)
		}
		var in []plan.Rule
		for _, r := range res.SecurityMatrix() {
			if r.Direction == "ingress" && r.PeerIsCIDR && r.Group != "push-nlb" {
				t.Errorf("%s: %s admits the CIDR %s", stack, r.Group, r.Peer)
			}
			if r.Group == "network-alb" && r.Direction == "ingress" {
				in = append(in, r)
			}
		}
		if len(in) != 1 || in[0].Peer != "cloudfront (prefix list pl-a3a144ca)" || in[0].Ports != "80" {
			t.Errorf("%s: the ALB admits %+v, want CloudFront's origin-facing list on 80 only", stack, in)
		}
		var listeners []*plan.Resource
		for _, l := range res.OfType(tListener) {
			if l.InputString("loadBalancerArn") == alb.Outputs["arn"].StringValue() {
				listeners = append(listeners, l)
			} else if p := l.InputString("protocol"); p == "HTTP" || p == "HTTPS" {
				t.Errorf("%s: a listener speaks %s outside the internal ALB", stack, p)
			}
		}
		if len(listeners) != 1 || listeners[0].InputString("protocol") != "HTTP" || listeners[0].Input("port") != float64(80) {
			t.Errorf("%s ALB listeners %v, want one HTTP:80", stack, listeners)
		}
		vo := plantest.One(t, res, "aws:cloudfront/vpcOrigin:VpcOrigin", "frontend-alb")
		ep := vo.Input("vpcOriginEndpointConfig").(map[string]any)
		if ep["arn"] != alb.Outputs["arn"].StringValue() || ep["originProtocolPolicy"] != "http-only" || ep["httpPort"] != float64(80) {
			t.Errorf("%s VPC origin = %v, want http-only to the ALB on 80", stack, ep)
		}
		_, origins := distribution(t, res)
		api := origins[frontend.OriginAPI]
		if api["vpcOriginConfig"].(map[string]any)["vpcOriginId"] != vo.ID || api["customOriginConfig"] != nil || api["domainName"] != alb.Outputs["dnsName"].StringValue() {
			t.Errorf("%s api origin = %v, want the VPC origin %s", stack, api, vo.ID)
		}
		// The only load balancer on the internet is the push clients'
		// NLB, which speaks TCP or TLS (WebSockets CloudFront's VPC origin
		// cannot carry), never HTTP.
		for _, lb := range res.OfType(tLB) {
			if lb.Input("internal") != true && (lb.Name != "push-nlb" || lb.InputString("loadBalancerType") != "network") {
				t.Errorf("%s: load balancer %s is internet-facing", stack, lb.Name)
			}
		}
	}
}

// TestCustomDomain: a us-east-1 certificate gives SNI and TLS 1.2+, the
// aliases answer, the stack URL is the first alias, and the producer
// admits both origins.
func TestCustomDomain(t *testing.T) {
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100"
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:frontend"] = `{"certificateArn":"` + cert + `","aliases":["app.example.com","www.example.com"],"priceClass":"PriceClass_200"}`
	})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := distribution(t, res)
	vc := d.Input("viewerCertificate").(map[string]any)
	if vc["acmCertificateArn"] != cert || vc["sslSupportMethod"] != "sni-only" || vc["minimumProtocolVersion"] != "TLSv1.2_2021" || vc["cloudfrontDefaultCertificate"] != nil {
		t.Errorf("viewer certificate = %v", vc)
	}
	if !slices.Equal(plantest.Strings(d.Input("aliases")), []string{"app.example.com", "www.example.com"}) || d.InputString("priceClass") != "PriceClass_200" {
		t.Errorf("aliases %v price class %s", d.Input("aliases"), d.InputString("priceClass"))
	}
	if res.Outputs["url"] != "https://app.example.com/" {
		t.Errorf("url = %v", res.Outputs["url"])
	}
	env := plantest.ContainerValues(plantest.TaskContainer(t, res, "app-producer"))
	if want := "https://" + d.Outputs["domainName"].StringValue() + ",https://app.example.com,https://www.example.com"; env["CORS_ALLOW_ORIGIN"] != want {
		t.Errorf("CORS_ALLOW_ORIGIN = %q, want %q", env["CORS_ALLOW_ORIGIN"], want)
	}
}

// TestSiteUpload: every built file is an object of the frontend bucket
// with its content type; hashed files are cached for a year, the rest
// revalidated.
func TestSiteUpload(t *testing.T) {
	res := plantest.Run(t, "dev")
	bucket := plantest.One(t, res, tBucket, "datastores-frontend").Outputs["bucket"].StringValue()
	want := map[string][2]string{
		"index.html":              {"text/html; charset=utf-8", webedge.CacheRevalidate},
		"favicon.svg":             {"image/svg+xml", webedge.CacheRevalidate},
		"static/index-fixture.js": {"text/javascript; charset=utf-8", webedge.CacheImmutable},
	}
	objects := res.OfType("aws:s3/bucketObjectv2:BucketObjectv2")
	if len(objects) != len(want) {
		t.Fatalf("%d objects, want %d", len(objects), len(want))
	}
	for _, o := range objects {
		w, ok := want[o.InputString("key")]
		if !ok || o.InputString("bucket") != bucket || o.InputString("contentType") != w[0] || o.InputString("cacheControl") != w[1] {
			t.Errorf("object %s: bucket %s type %q cache %q, want %v", o.InputString("key"), o.InputString("bucket"), o.InputString("contentType"), o.InputString("cacheControl"), w)
		}
	}
}

// TestAccessLogs: standard logging (v2) from us-east-1 into the logs
// bucket's cloudfront/ prefix, which the bucket policy opens to this
// account's delivery sources only.
func TestAccessLogs(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		d, _ := distribution(t, res)
		src := plantest.One(t, res, "aws:cloudwatch/logDeliverySource:LogDeliverySource", "frontend-access-logs")
		dst := plantest.One(t, res, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "frontend-access-logs")
		del := plantest.One(t, res, "aws:cloudwatch/logDelivery:LogDelivery", "frontend-access-logs")
		logs := plantest.One(t, res, tBucket, "datastores-logs").Outputs["arn"].StringValue()
		cfg := dst.Input("deliveryDestinationConfiguration").(map[string]any)
		if src.InputString("resourceArn") != d.Outputs["arn"].StringValue() || src.InputString("logType") != "ACCESS_LOGS" || cfg["destinationResourceArn"] != logs+"/cloudfront" ||
			del.InputString("deliverySourceName") != src.InputString("name") || del.InputString("deliveryDestinationArn") != dst.Outputs["arn"].StringValue() {
			t.Errorf("%s log delivery: source %v destination %v delivery %v", stack, src.PlainInputs(), dst.PlainInputs(), del.PlainInputs())
		}
		provider := plantest.One(t, res, "pulumi:providers:aws", "frontend-us-east-1")
		for _, r := range []*plan.Resource{src, dst, del} {
			if !strings.Contains(r.Provider, provider.URN) {
				t.Errorf("%s: %s uses provider %q, want the us-east-1 one", stack, r.Type, r.Provider)
			}
		}
		if provider.InputString("region") != "us-east-1" {
			t.Errorf("%s: provider region %s", stack, provider.InputString("region"))
		}
		if tags, _ := provider.Input("defaultTags").(map[string]any)["tags"].(map[string]any); tags["Stack"] != stack {
			t.Errorf("%s: the us-east-1 provider does not carry the stack's default tags: %v", stack, provider.Input("defaultTags"))
		}
		pol := plantest.Policy(t, plantest.One(t, res, tPolicy, "datastores-logs"), "policy")
		var ok bool
		for _, st := range pol.Statement {
			if st.Sid == "CloudFrontAccessLogs" {
				ok = slices.Equal(st.Principal["Service"], []string{"delivery.logs.amazonaws.com"}) && slices.Equal(st.Resource, []string{logs + "/cloudfront/*"}) &&
					slices.Equal(st.Condition["ArnLike"]["aws:SourceArn"], []string{"arn:aws:logs:us-east-1:" + plan.FakeAccount + ":delivery-source:*"}) &&
					len(st.Condition["StringEquals"]["aws:SourceAccount"]) == 1
			}
		}
		if !ok {
			t.Errorf("%s: logs bucket policy does not admit CloudFront's log delivery as documented: %+v", stack, pol)
		}
	}
}
