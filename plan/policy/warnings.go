package policy

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
)

// Warning is something a reviewer must see that breaks no rule: a choice
// with a cost in safety that the stack may well mean to make.
type Warning struct {
	Kind    string `json:"kind"` // entry, backups, single-az, capacity, profile
	Subject string `json:"subject"`
	Message string `json:"message"`
}

// Warnings lists plain-text entry points, backups that are off, what runs
// in a single AZ, and every setting the stack chose against its profile.
func Warnings(s *Stack, cfg *config.Config) []Warning {
	var out []Warning
	add := func(kind, subject, format string, args ...any) {
		out = append(out, Warning{Kind: kind, Subject: subject, Message: fmt.Sprintf(format, args...)})
	}
	for _, l := range s.Res.OfType(tListener) {
		lb := lbByRef(s.Res, l.Input("loadBalancerArn"))
		if lb == nil || boolean(lb, "internal") {
			continue
		}
		if p := str(l, "protocol"); p == "HTTP" || p == "TCP" {
			add("entry", l.Name, "internet-facing %s listener on port %v of %s carries plain text (no certificate configured)", p, get(l, "port"), lb.Name)
		}
	}
	for _, d := range s.Res.OfType(tDistribution) {
		if str(d, "viewerCertificate.acmCertificateArn") == "" {
			add("entry", d.Name, "served on its *.cloudfront.net name: HTTPS, but no custom domain (frontend.certificateArn)")
		}
	}
	for _, r := range s.Res.OfType(tRDS) {
		if num(r, "backupRetentionPeriod") == 0 {
			add("backups", r.Name, "automated backups are off (backupRetentionPeriod 0)")
		}
		if !boolean(r, "multiAz") {
			add("single-az", r.Name, "single-AZ database: an AZ outage or a host failure stops writes until AWS recovers it")
		}
	}
	for _, r := range s.Res.OfType(tCache) {
		if num(r, "snapshotRetentionLimit") == 0 {
			add("backups", r.Name, "no cache snapshots: a lost node loses queued counts not yet consumed")
		}
		if num(r, "numCacheClusters") < 2 {
			add("single-az", r.Name, "one cache node: no failover, a node failure stops the queue")
		}
	}
	for _, r := range s.Res.OfType(tTable) {
		if !boolean(r, "pointInTimeRecovery.enabled") {
			add("backups", r.Name, "point-in-time recovery is off")
		}
	}
	for _, r := range s.Res.OfType(tService) {
		if num(r, "desiredCount") < 2 {
			add("single-az", r.Name, "one task: a task or AZ failure interrupts the service until ECS replaces it")
		}
		for _, c := range objects(r.Input("capacityProviderStrategies")) {
			if c["capacityProvider"] == "FARGATE_SPOT" {
				add("capacity", r.Name, "runs on Fargate Spot: AWS may stop tasks with two minutes' notice")
			}
		}
	}
	for _, vpc := range s.Res.OfType(tVPC) {
		if zones := strings_(vpc.Input("availabilityZoneNames")); len(zones) < 2 {
			add("single-az", vpc.Name, "the VPC spans %d AZ", len(zones))
		}
	}
	if lt := s.Res.OfType(tLaunchTemplate); len(lt) > 0 {
		add("single-az", "network-nat", "one NAT instance carries all egress: if it stops, tasks lose AWS APIs and the internet")
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Subject < out[j].Subject
	})
	if cfg != nil {
		out = append(out, profileDeviations(s, cfg)...)
	}
	return out
}

func lbByRef(res *plan.Result, ref any) *plan.Resource {
	for _, lb := range res.OfType(tLB) {
		if refersTo(ref, lb) {
			return lb
		}
	}
	return nil
}

// profileDeviations compares the stack's effective settings with what its
// profile alone would choose (the same stack file with only the region,
// the AZ names, the profile switch and the artifacts kept).
func profileDeviations(s *Stack, cfg *config.Config) []Warning {
	prefix := cfg.Project + ":"
	base := map[string]string{}
	for k, v := range s.Values {
		if strings.HasPrefix(k, "aws:") || k == prefix+"highAvailability" || k == prefix+"artifacts" || k == prefix+"pushCryptoKey" || k == prefix+"domain" {
			base[k] = v
		}
	}
	var net struct {
		AvailabilityZones []string `json:"availabilityZones"`
	}
	if json.Unmarshal([]byte(s.Values[prefix+"network"]), &net) == nil && len(net.AvailabilityZones) > 0 {
		b, _ := json.Marshal(net)
		base[prefix+"network"] = string(b)
	}
	def, err := config.Resolve(cfg.Project, cfg.Stack, base)
	if err != nil {
		return []Warning{{Kind: "profile", Subject: "config", Message: fmt.Sprintf("the profile's own defaults do not resolve for this stack, so deviations are not listed: %v", err)}}
	}
	want, got := def.Effective(), cfg.Effective()
	var out []Warning
	for _, k := range slices.Sorted(maps.Keys(got)) {
		if strings.HasPrefix(k, "artifacts.") || strings.HasPrefix(k, "policy.") || strings.HasPrefix(k, "domain.") || k == "network.availabilityZones" {
			continue
		}
		if want[k] != got[k] {
			out = append(out, Warning{Kind: "profile", Subject: k, Message: fmt.Sprintf("set to %q; the %s profile would choose %q", got[k], profileName(cfg), want[k])})
		}
	}
	return out
}

func profileName(cfg *config.Config) string {
	if cfg.HighAvailability {
		return "high-availability"
	}
	return "dev"
}
