package config

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Policy is the stack's answer to the offline plan's policy suite: the
// rules it knowingly does not follow, each with a reason a reviewer reads.
// The program itself ignores it; cmd/plan and the tests apply it.
type Policy struct {
	Waivers []Waiver `json:"waivers"`
}

// Waiver exempts resources of this stack from one rule.
type Waiver struct {
	// Rule is the rule's ID (RDS.5, PP.DATA.1, ...); plan/policy checks that
	// it exists.
	Rule string `json:"rule"`
	// Resources are the logical names it covers; empty: every resource the
	// rule flags in this stack.
	Resources []string `json:"resources,omitempty"`
	// Reason is why the stack does not follow the rule ("cost", ...).
	Reason string `json:"reason"`
}

// PolicyInput is pushplatform:policy as written in the stack file.
type PolicyInput struct {
	// Waivers are decoded one by one, strictly, so a misspelled key in
	// one of them is reported instead of dropped.
	Waivers []json.RawMessage `json:"waivers"`
}

// waiverInput is one entry of policy.waivers.
type waiverInput struct {
	Rule      string   `json:"rule"`
	Resources []string `json:"resources"`
	Reason    string   `json:"reason"`
}

// ruleID is the shape of every rule ID: a Security Hub control (RDS.5,
// ElastiCache.4) or a project rule (PP.DATA.1).
var ruleID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*\.[0-9]+$`)

func resolvePolicy(in PolicyInput, errs *Errors) Policy {
	p := Policy{}
	seen := map[string]bool{}
	for i, raw := range in.Waivers {
		key := fmt.Sprintf("policy.waivers[%d]", i)
		var w waiverInput
		before := len(*errs)
		decodeStrict(key, raw, &w, errs)
		if len(*errs) > before {
			continue
		}
		if !ruleID.MatchString(w.Rule) {
			errs.add(key+".rule", quote(w.Rule), "must be a rule ID such as RDS.5 or PP.DATA.1 (`go run ./cmd/plan -stack <stack>` lists them)")
		}
		if len(strings.TrimSpace(w.Reason)) < 3 {
			errs.add(key+".reason", quote(w.Reason), "every waiver needs a reason a reviewer can read (\"cost\", \"internal ALB behind CloudFront\", ...)")
		}
		for j, r := range w.Resources {
			if strings.TrimSpace(r) == "" {
				errs.add(fmt.Sprintf("%s.resources[%d]", key, j), quote(r), "must be a resource's logical name (as the plan's tree shows it)")
			}
		}
		id := w.Rule + "|" + strings.Join(w.Resources, ",")
		if seen[id] {
			errs.add(key, quote(w.Rule), "repeats an earlier waiver of the same rule and resources")
		}
		seen[id] = true
		p.Waivers = append(p.Waivers, Waiver{Rule: w.Rule, Resources: w.Resources, Reason: strings.TrimSpace(w.Reason)})
	}
	return p
}
