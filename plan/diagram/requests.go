package diagram

import (
	"fmt"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// Viewers is the actor in front of every CloudFront distribution: the
// site's browsers and the app servers that call the APIs behind it.
const Viewers = "Browsers and app servers"

// cloudFront links the viewers to each distribution, and each
// distribution to its origins, labelled with the path patterns of the
// cache behaviours that use them.
func (b *builder) cloudFront() {
	for _, d := range b.ofType("aws:cloudfront/distribution:Distribution") {
		dist := b.nodeOf[d]
		b.link(b.actor(Viewers), dist, EdgeRequest, viewerLabel(d), "distribution "+d.Name)

		paths := map[string][]string{} // origin ID -> path patterns
		if def := mapOf(d.Input("defaultCacheBehavior")); def != nil {
			paths[str(def["targetOriginId"])] = append(paths[str(def["targetOriginId"])], "default *")
		}
		for _, c := range listOf(d.Input("orderedCacheBehaviors")) {
			cb := mapOf(c)
			paths[str(cb["targetOriginId"])] = append(paths[str(cb["targetOriginId"])], str(cb["pathPattern"]))
		}
		for _, o := range listOf(d.Input("origins")) {
			om := mapOf(o)
			id := str(om["originId"])
			target, via := b.origin(om)
			if target == "" {
				continue
			}
			label := strings.Join(paths[id], ", ")
			if label == "" {
				label = "origin " + id + " (no behaviour)"
			}
			b.link(dist, target, EdgeRequest, label, "distribution "+d.Name+" origin "+id+via)
		}
		if bucket, via := b.distributionLogs(d); bucket != "" {
			b.link(dist, bucket, EdgeLogs, "access logs", via)
		}
	}
}

// viewerLabel says how viewers reach the distribution.
func viewerLabel(d *plan.Resource) string {
	policies := []any{mapOf(d.Input("defaultCacheBehavior"))["viewerProtocolPolicy"]}
	for _, c := range listOf(d.Input("orderedCacheBehaviors")) {
		policies = append(policies, mapOf(c)["viewerProtocolPolicy"])
	}
	proto := "HTTPS"
	for _, p := range policies {
		if p == "allow-all" {
			proto = "HTTP and HTTPS"
		}
	}
	if aliases := strs(d.Input("aliases")); len(aliases) > 0 {
		return proto + " " + strings.Join(aliases, ", ")
	}
	return proto
}

// origin resolves a distribution origin to its node: an S3 origin by the
// bucket's regional domain name, a VPC origin through the VpcOrigin
// resource to the load balancer whose ARN it names.
func (b *builder) origin(o map[string]any) (node, via string) {
	if vo := mapOf(o["vpcOriginConfig"]); vo != nil {
		v := b.res.ByID(str(vo["vpcOriginId"]))
		if v == nil || v.Type != "aws:cloudfront/vpcOrigin:VpcOrigin" {
			return "", ""
		}
		arn := str(mapOf(v.Input("vpcOriginEndpointConfig"))["arn"])
		if lb := b.byARN("", arn); lb != nil {
			return b.nodeOf[lb], ", VPC origin " + v.Name
		}
		return "", ""
	}
	for _, bucket := range b.byOutput("aws:s3/bucketV2:BucketV2", "bucketRegionalDomainName", str(o["domainName"])) {
		return b.nodeOf[bucket], ""
	}
	return "", ""
}

// distributionLogs follows the distribution's CloudWatch log delivery
// (source -> delivery -> destination) to the bucket it writes to.
func (b *builder) distributionLogs(d *plan.Resource) (node, via string) {
	arn, ok := d.Outputs["arn"]
	if !ok || !arn.IsString() {
		return "", ""
	}
	for _, src := range b.ofType("aws:cloudwatch/logDeliverySource:LogDeliverySource") {
		if src.InputString("resourceArn") != arn.StringValue() {
			continue
		}
		for _, del := range b.ofType("aws:cloudwatch/logDelivery:LogDelivery") {
			if del.InputString("deliverySourceName") != src.InputString("name") {
				continue
			}
			dst := b.byARN("aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", del.InputString("deliveryDestinationArn"))
			if dst == nil {
				continue
			}
			target := str(mapOf(dst.Input("deliveryDestinationConfiguration"))["destinationResourceArn"])
			if bucket := b.arnPrefix(target); bucket != nil {
				return b.nodeOf[bucket], "log delivery " + del.Name
			}
		}
	}
	return "", ""
}

// loadBalancers links each load balancer through its listeners (default
// forward actions, then listener rules) and target groups to the ECS
// services registered in them.
func (b *builder) loadBalancers() {
	for _, lb := range b.ofType("aws:lb/loadBalancer:LoadBalancer") {
		arn, ok := lb.Outputs["arn"]
		if !ok || !arn.IsString() {
			continue
		}
		from := b.nodeOf[lb]
		for _, l := range b.byInput("aws:lb/listener:Listener", "loadBalancerArn", arn.StringValue()) {
			listener := fmt.Sprintf("%s:%v", l.InputString("protocol"), l.Input("port"))
			for _, tg := range targetGroups(l.Input("defaultActions")) {
				b.forward(from, tg, listener, "listener "+l.Name)
			}
			larn, ok := l.Outputs["arn"]
			if !ok || !larn.IsString() {
				continue
			}
			for _, rule := range b.byInput("aws:lb/listenerRule:ListenerRule", "listenerArn", larn.StringValue()) {
				for _, tg := range targetGroups(rule.Input("actions")) {
					b.forward(from, tg, conditions(rule), "listener "+l.Name+" rule "+rule.Name)
				}
			}
		}
		if logs := mapOf(lb.Input("accessLogs")); logs != nil && logs["enabled"] != false {
			if bucket := b.bucket(str(logs["bucket"])); bucket != nil {
				b.link(from, b.nodeOf[bucket], EdgeLogs, "access logs", "load balancer "+lb.Name)
			}
		}
	}
}

// forward links a load balancer to the services registered in a target
// group (service loadBalancers[].targetGroupArn).
func (b *builder) forward(from, tgARN, label, via string) {
	tg := b.byARN("aws:lb/targetGroup:TargetGroup", tgARN)
	if tg == nil {
		return
	}
	for _, svc := range b.ofType("aws:ecs/service:Service") {
		for _, l := range listOf(svc.Input("loadBalancers")) {
			if str(mapOf(l)["targetGroupArn"]) == tgARN {
				b.link(from, b.nodeOf[svc], EdgeRequest, fmt.Sprintf("%s to %s:%v", label, tg.InputString("protocol"), tg.Input("port")), via+", target group "+tg.Name)
			}
		}
	}
}

// targetGroups lists the target groups forward actions send to.
func targetGroups(actions any) []string {
	var out []string
	for _, a := range listOf(actions) {
		am := mapOf(a)
		if str(am["type"]) != "forward" {
			continue
		}
		if arn := str(am["targetGroupArn"]); arn != "" {
			out = append(out, arn)
		}
		for _, tg := range listOf(mapOf(am["forward"])["targetGroups"]) {
			if arn := str(mapOf(tg)["arn"]); arn != "" {
				out = append(out, arn)
			}
		}
	}
	return out
}

// conditions renders a listener rule's path and host conditions.
func conditions(rule *plan.Resource) string {
	var parts []string
	for _, c := range listOf(rule.Input("conditions")) {
		cm := mapOf(c)
		parts = append(parts, strs(mapOf(cm["pathPattern"])["values"])...)
		parts = append(parts, strs(mapOf(cm["hostHeader"])["values"])...)
	}
	if len(parts) == 0 {
		return fmt.Sprintf("rule %v", rule.Input("priority"))
	}
	return strings.Join(parts, ", ")
}

// byInput lists the resources of a type whose string input key is value.
func (b *builder) byInput(typ, key, value string) []*plan.Resource {
	var out []*plan.Resource
	for _, r := range b.resources {
		if r.Type == typ && value != "" && r.InputString(key) == value {
			out = append(out, r)
		}
	}
	return out
}

// arnPrefix finds the node resource whose ARN is arn or the start of it
// (an object or index under a bucket or table ARN).
func (b *builder) arnPrefix(arn string) *plan.Resource {
	for _, r := range b.resources {
		if _, ok := b.nodeOf[r]; !ok {
			continue
		}
		a, ok := r.Outputs["arn"]
		if !ok || !a.IsString() || a.StringValue() == "" {
			continue
		}
		if s := a.StringValue(); arn == s || strings.HasPrefix(arn, s+"/") {
			return r
		}
	}
	return nil
}
