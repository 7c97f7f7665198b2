// Package policy is the plan's policy suite: rules over the resources a
// run of the program records, with their options, checked offline before
// anything is deployed. Rule IDs are AWS Security Hub's Foundational
// Security Best Practices control IDs where one exists and project IDs
// (PP.*) otherwise. A stack waives a rule in its own stack file
// (pushplatform:policy.waivers), always with a reason, and the report lists
// every waiver next to the findings it covers. cmd/plan prints the report
// and fails -check on any unwaived violation; the tests run the same suite.
package policy

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
)

// Severity ranks a violation.
type Severity string

const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Rule is one check.
type Rule struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"`
	// Fix is the one-line remedy a reviewer reads beside a violation.
	Fix string `json:"fix"`
	// Types are the resource types the rule reads; a rule over the whole
	// stack (tags, config) has none and Check gets a nil resource once.
	Types []string `json:"types,omitempty"`
	// Check returns what is wrong with r, one string per problem; none
	// when r passes.
	Check func(s *Stack, r *plan.Resource) []string `json:"-"`
}

// Stack is what rules read: the recorded run, the stack's raw config (for
// rules about config itself) and its secret keys.
type Stack struct {
	Res        *plan.Result
	Values     map[string]string
	SecretKeys []string
}

// Finding is one violation of one rule by one resource.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Type     string   `json:"type"`
	Resource string   `json:"resource"`
	Problem  string   `json:"problem"`
	Fix      string   `json:"fix"`
	// Waived carries the waiver's reason when a waiver covers it.
	Waived string `json:"waived,omitempty"`
}

// WaiverUse is one waiver of the stack with what it covered.
type WaiverUse struct {
	config.Waiver
	Covers int `json:"covers"`
	// Problem is set when the waiver is wrong: an unknown rule, or a
	// waiver that covers nothing (stale), which -check fails on.
	Problem string `json:"problem,omitempty"`
}

// Report is the suite's verdict on one stack.
type Report struct {
	Stack string `json:"stack"`
	// Rules, Passed, Waived and Failed count rules: a rule passes with no
	// finding, is waived when all its findings are, and fails otherwise.
	Rules    int         `json:"rules"`
	Passed   int         `json:"passed"`
	Waived   int         `json:"waived"`
	Failed   int         `json:"failed"`
	Findings []Finding   `json:"findings"`
	Waivers  []WaiverUse `json:"waivers"`
	Warnings []Warning   `json:"warnings"`
	// RuleList is every rule with its verdict, for the report's appendix.
	RuleList []RuleResult `json:"ruleList"`
}

// RuleResult is one rule's verdict.
type RuleResult struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Severity Severity `json:"severity"`
	Fix      string   `json:"fix"`
	Verdict  string   `json:"verdict"` // passed, waived or failed
}

// Unwaived returns the findings no waiver covers.
func (r *Report) Unwaived() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Waived == "" {
			out = append(out, f)
		}
	}
	return out
}

// OK is what -check asks: no unwaived finding and no broken waiver.
func (r *Report) OK() bool {
	if len(r.Unwaived()) > 0 {
		return false
	}
	for _, w := range r.Waivers {
		if w.Problem != "" {
			return false
		}
	}
	return true
}

// Run runs one rule over the stack and returns its findings, waivers
// not applied. Tests use it to prove a rule fires.
func (rule Rule) Run(s *Stack) []Finding {
	var out []Finding
	add := func(r *plan.Resource, problems []string) {
		for _, p := range problems {
			f := Finding{Rule: rule.ID, Severity: rule.Severity, Problem: p, Fix: rule.Fix, Resource: "(stack)"}
			if r != nil {
				f.Type, f.Resource = r.Type, r.Name
			}
			out = append(out, f)
		}
	}
	if len(rule.Types) == 0 {
		add(nil, rule.Check(s, nil))
		return out
	}
	for _, r := range s.Res.Resources {
		if slices.Contains(rule.Types, r.Type) {
			add(r, rule.Check(s, r))
		}
	}
	// Resources register in any order; the report must not.
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Subject()+out[i].Problem < out[j].Subject()+out[j].Problem
	})
	return out
}

// Evaluate runs every rule over the stack, applies the stack's waivers
// and collects the warnings. cfg may be nil (no waivers, no warnings that
// need the resolved config).
func Evaluate(s *Stack, cfg *config.Config) *Report {
	rep := &Report{Stack: s.Res.Stack, Findings: []Finding{}, Waivers: []WaiverUse{}}
	var waivers []config.Waiver
	if cfg != nil {
		waivers = cfg.Policy.Waivers
	}
	uses := make([]WaiverUse, len(waivers))
	for i, w := range waivers {
		uses[i] = WaiverUse{Waiver: w}
		if Find(w.Rule) == nil {
			uses[i].Problem = fmt.Sprintf("no rule %s in the suite", w.Rule)
		}
	}
	for _, rule := range Rules() {
		findings := rule.Run(s)
		waivedAll := len(findings) > 0
		for i := range findings {
			for j, w := range waivers {
				if w.Rule == rule.ID && (len(w.Resources) == 0 || slices.Contains(w.Resources, findings[i].Resource)) {
					findings[i].Waived = w.Reason
					uses[j].Covers++
					break
				}
			}
			if findings[i].Waived == "" {
				waivedAll = false
			}
		}
		verdict := "passed"
		switch {
		case len(findings) == 0:
			rep.Passed++
		case waivedAll:
			rep.Waived++
			verdict = "waived"
		default:
			rep.Failed++
			verdict = "failed"
		}
		rep.RuleList = append(rep.RuleList, RuleResult{ID: rule.ID, Title: rule.Title, Severity: rule.Severity, Fix: rule.Fix, Verdict: verdict})
		rep.Findings = append(rep.Findings, findings...)
	}
	rep.Rules = len(rep.RuleList)
	for i := range uses {
		if uses[i].Problem == "" && uses[i].Covers == 0 {
			uses[i].Problem = "stale: it covers no finding; remove it"
		}
		for _, name := range uses[i].Resources {
			if !slices.ContainsFunc(s.Res.Resources, func(r *plan.Resource) bool { return r.Name == name }) && name != "(stack)" {
				uses[i].Problem = fmt.Sprintf("names %q, which the stack does not create", name)
			}
		}
	}
	rep.Waivers = uses
	sort.SliceStable(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if (a.Waived == "") != (b.Waived == "") {
			return a.Waived == "" // unwaived first
		}
		return severityRank[a.Severity] < severityRank[b.Severity]
	})
	rep.Warnings = Warnings(s, cfg)
	return rep
}

var severityRank = map[Severity]int{Critical: 0, High: 1, Medium: 2, Low: 3}

// Find returns the rule with this ID, or nil.
func Find(id string) *Rule {
	for _, r := range Rules() {
		if r.ID == id {
			return &r
		}
	}
	return nil
}

// Rules is the whole suite, in report order.
func Rules() []Rule {
	var all []Rule
	for _, group := range [][]Rule{
		rdsRules, elastiCacheRules, dynamoDBRules, s3Rules, ecsRules, elbRules,
		cloudFrontRules, lambdaRules, ec2Rules, registryRules, iamRules, projectRules, moreRules, backupRules, alarmRules,
		acmRules, chaosRules, checkovRules,
	} {
		all = append(all, group...)
	}
	return all
}

// ids lists rule IDs for messages.
func ids(rules []Rule) string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.ID
	}
	return strings.Join(out, ", ")
}
