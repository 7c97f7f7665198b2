package plan

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/components/frontend"
)

// EdgeView is one CloudFront distribution as the plan lists it: its
// origins, its behaviours and how the load balancer behind it is closed
// to everything else, read from the recorded resources.
type EdgeView struct {
	Name         string   `json:"name"`
	Properties   []string `json:"properties"`
	Origins      []string `json:"origins"`
	Behaviours   []string `json:"behaviours"`
	LoadBalancer []string `json:"loadBalancer"`
}

// managedPolicies names CloudFront's managed policies by ID.
var managedPolicies = map[string]string{
	frontend.CachingOptimized: "CachingOptimized",
	frontend.CachingDisabled:  "CachingDisabled",
	frontend.AllViewer:        "AllViewer",
}

// Edge lists the distributions.
func (r *Result) Edge() []EdgeView {
	var out []EdgeView
	for _, d := range r.OfType("aws:cloudfront/distribution:Distribution") {
		e := EdgeView{Name: d.Name}
		cert, _ := d.Input("viewerCertificate").(map[string]any)
		tls := "the *.cloudfront.net certificate"
		if arn, _ := cert["acmCertificateArn"].(string); arn != "" {
			tls = fmt.Sprintf("ACM certificate for %v, %v, %v", d.Input("aliases"), cert["sslSupportMethod"], cert["minimumProtocolVersion"])
		}
		logs := "NO access logs"
		if src := r.logDeliveryFor(d); src != "" {
			logs = src
		}
		e.Properties = []string{
			fmt.Sprint(d.Input("priceClass")), fmt.Sprint(d.Input("httpVersion")), onOff(d.Input("isIpv6Enabled"), "IPv6", "IPv4 only"),
			tls, "root object " + d.InputString("defaultRootObject"), logs,
		}
		origins, _ := d.Input("origins").([]any)
		for _, o := range origins {
			om, _ := o.(map[string]any)
			e.Origins = append(e.Origins, r.describeOrigin(om))
		}
		if def, ok := d.Input("defaultCacheBehavior").(map[string]any); ok {
			e.Behaviours = append(e.Behaviours, r.describeBehaviour("default", def))
		}
		ordered, _ := d.Input("orderedCacheBehaviors").([]any)
		for _, b := range ordered {
			bm, _ := b.(map[string]any)
			e.Behaviours = append(e.Behaviours, r.describeBehaviour(fmt.Sprint(bm["pathPattern"]), bm))
		}
		for _, lb := range r.OfType("aws:lb/loadBalancer:LoadBalancer") {
			if r.behindVPCOrigin(lb) {
				e.LoadBalancer = append(e.LoadBalancer, r.describeLoadBalancer(lb))
			}
		}
		out = append(out, e)
	}
	return out
}

func (r *Result) describeOrigin(o map[string]any) string {
	id, domain := fmt.Sprint(o["originId"]), fmt.Sprint(o["domainName"])
	if oac, _ := o["originAccessControlId"].(string); oac != "" {
		what, public := "S3 bucket", "bucket policy unknown"
		for _, b := range r.OfType("aws:s3/bucketV2:BucketV2") {
			if out, ok := b.Outputs["bucketRegionalDomainName"]; ok && out.IsString() && out.StringValue() == domain {
				what, public = "bucket "+b.Name, "no public bucket policy"
				if r.PublicBucketPolicy(b.Name) {
					public = "PUBLIC BUCKET POLICY"
				}
			}
		}
		signing := "Origin Access Control"
		if c := r.ByID(oac); c != nil {
			signing = fmt.Sprintf("Origin Access Control %s (%s, signing %s)", c.Name, c.InputString("signingProtocol"), c.InputString("signingBehavior"))
		}
		return fmt.Sprintf("%s: %s through %s; %s", id, what, signing, public)
	}
	if vo, ok := o["vpcOriginConfig"].(map[string]any); ok {
		desc := "VPC origin"
		if v := r.ByID(fmt.Sprint(vo["vpcOriginId"])); v != nil {
			ep, _ := v.Input("vpcOriginEndpointConfig").(map[string]any)
			target := "?"
			for _, lb := range r.OfType("aws:lb/loadBalancer:LoadBalancer") {
				if arn, ok := lb.Outputs["arn"]; ok && arn.IsString() && arn.StringValue() == fmt.Sprint(ep["arn"]) {
					target = "load balancer " + lb.Name
				}
			}
			desc = fmt.Sprintf("VPC origin %s to %s, %v on port %v", v.Name, target, ep["originProtocolPolicy"], ep["httpPort"])
		}
		return fmt.Sprintf("%s: %s (read timeout %vs)", id, desc, vo["originReadTimeout"])
	}
	return fmt.Sprintf("%s: custom origin %s", id, domain)
}

func (r *Result) describeBehaviour(path string, b map[string]any) string {
	policy := func(key string) string {
		id, _ := b[key].(string)
		if name, ok := managedPolicies[id]; ok {
			return name
		}
		if res := r.ByID(id); res != nil {
			return res.Name
		}
		return "none"
	}
	methods, _ := b["allowedMethods"].([]any)
	var fns []string
	assoc, _ := b["functionAssociations"].([]any)
	for _, a := range assoc {
		am, _ := a.(map[string]any)
		name := fmt.Sprint(am["functionArn"])
		for _, f := range r.OfType("aws:cloudfront/function:Function") {
			if arn, ok := f.Outputs["arn"]; ok && arn.IsString() && arn.StringValue() == name {
				name = f.Name
			}
		}
		fns = append(fns, fmt.Sprintf("%v %s", am["eventType"], name))
	}
	parts := []string{
		fmt.Sprintf("%s -> %v", path, b["targetOriginId"]), fmt.Sprint(b["viewerProtocolPolicy"]),
		fmt.Sprintf("%d methods", len(methods)), "cache " + policy("cachePolicyId"),
		"origin request " + policy("originRequestPolicyId"), "headers " + policy("responseHeadersPolicyId"),
		onOff(b["compress"], "compressed", "uncompressed"),
	}
	if len(fns) > 0 {
		parts = append(parts, "function "+strings.Join(fns, ", "))
	}
	return strings.Join(parts, "; ")
}

// describeLoadBalancer says whether a load balancer is a side door: its
// scheme, where it sits, and which sources its groups admit.
func (r *Result) describeLoadBalancer(lb *Resource) string {
	scheme := "INTERNET-FACING"
	if lb.Input("internal") == true {
		scheme = "internal (no public address)"
	}
	if r.inTier(lb.Input("subnets"), "privateSubnetIds") {
		scheme += " in the private subnets"
	}
	var sources []string
	groups, _ := lb.Input("securityGroups").([]any)
	for _, g := range groups {
		group := r.groupName(fmt.Sprint(g))
		for _, f := range r.SecurityMatrix() {
			if f.Group == group && f.Direction == "ingress" {
				sources = append(sources, fmt.Sprintf("%s on %s/%s", f.Peer, f.Protocol, f.Ports))
			}
		}
	}
	var listeners []string
	for _, l := range r.OfType("aws:lb/listener:Listener") {
		if arn, ok := lb.Outputs["arn"]; ok && arn.IsString() && l.InputString("loadBalancerArn") == arn.StringValue() {
			listeners = append(listeners, fmt.Sprintf("%s:%v", l.InputString("protocol"), l.Input("port")))
		}
	}
	return fmt.Sprintf("%s: %s; listeners %s; admits only %s", lb.Name, scheme, strings.Join(listeners, ", "), strings.Join(sources, ", "))
}

// behindVPCOrigin reports whether a VPC origin targets the load balancer.
func (r *Result) behindVPCOrigin(lb *Resource) bool {
	arn, ok := lb.Outputs["arn"]
	if !ok || !arn.IsString() {
		return false
	}
	for _, vo := range r.OfType("aws:cloudfront/vpcOrigin:VpcOrigin") {
		if ep, _ := vo.Input("vpcOriginEndpointConfig").(map[string]any); ep["arn"] == arn.StringValue() {
			return true
		}
	}
	return false
}

// inTier reports whether every subnet of a list is one of the VPC's
// subnets of a tier (an awsx VPC output such as privateSubnetIds).
func (r *Result) inTier(subnets any, tier string) bool {
	ids, _ := subnets.([]any)
	if len(ids) == 0 {
		return false
	}
	known := map[string]bool{}
	for _, vpc := range r.OfType("awsx:ec2:Vpc") {
		if out, ok := vpc.Outputs[resource.PropertyKey(tier)]; ok && out.IsArray() {
			for _, v := range out.ArrayValue() {
				if v.IsString() {
					known[v.StringValue()] = true
				}
			}
		}
	}
	for _, id := range ids {
		if !known[fmt.Sprint(id)] {
			return false
		}
	}
	return true
}

// PublicBucketPolicy reports whether a bucket's policy allows anyone
// (Principal "*" or AWS "*") anything.
func (r *Result) PublicBucketPolicy(bucket string) bool {
	pol := r.Named("aws:s3/bucketPolicy:BucketPolicy", bucket)
	if pol == nil {
		return false
	}
	var doc PolicyDocument
	if err := json.Unmarshal([]byte(pol.InputString("policy")), &doc); err != nil {
		return true // unreadable: say so rather than vouch for it
	}
	for _, s := range doc.Statement {
		if s.Effect != "Allow" {
			continue
		}
		for _, ids := range s.Principal {
			if slices.Contains(ids, "*") {
				return true
			}
		}
	}
	return false
}

// logDeliveryFor names where the distribution's access logs go.
func (r *Result) logDeliveryFor(d *Resource) string {
	arn, ok := d.Outputs["arn"]
	if !ok || !arn.IsString() {
		return ""
	}
	for _, src := range r.OfType("aws:cloudwatch/logDeliverySource:LogDeliverySource") {
		if src.InputString("resourceArn") != arn.StringValue() {
			continue
		}
		for _, del := range r.OfType("aws:cloudwatch/logDelivery:LogDelivery") {
			if del.InputString("deliverySourceName") != src.InputString("name") {
				continue
			}
			for _, dst := range r.OfType("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination") {
				if a, ok := dst.Outputs["arn"]; ok && a.IsString() && a.StringValue() == del.InputString("deliveryDestinationArn") {
					cfg, _ := dst.Input("deliveryDestinationConfiguration").(map[string]any)
					return fmt.Sprintf("access logs (%s) to %s", dst.InputString("outputFormat"), r.bucketPath(fmt.Sprint(cfg["destinationResourceArn"])))
				}
			}
		}
	}
	return ""
}

// bucketPath names a bucket ARN (with a prefix) by the bucket's logical name.
func (r *Result) bucketPath(arn string) string {
	for _, b := range r.OfType("aws:s3/bucketV2:BucketV2") {
		if a, ok := b.Outputs["arn"]; ok && a.IsString() && strings.HasPrefix(arn, a.StringValue()) {
			return b.Name + strings.TrimPrefix(arn, a.StringValue())
		}
	}
	return arn
}
