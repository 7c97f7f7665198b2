package policy

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

var (
	runsMu sync.Mutex
	runs   = map[string]*Stack{}
	cfgs   = map[string]*config.Config{}
)

// committed runs a committed stack once per test binary.
func committed(t *testing.T, name string) (*Stack, *config.Config) {
	t.Helper()
	runsMu.Lock()
	defer runsMu.Unlock()
	if s, ok := runs[name]; ok {
		return s, cfgs[name]
	}
	sc := plantest.Config(t, name)
	cfg, err := config.Resolve(sc.Project, sc.Stack, sc.Values)
	if err != nil {
		t.Fatal(err)
	}
	s := &Stack{Res: plantest.Run(t, name), Values: sc.Values, SecretKeys: sc.SecretKeys}
	runs[name], cfgs[name] = s, cfg
	return s, cfg
}

func TestSuiteShape(t *testing.T) {
	rules := Rules()
	if len(rules) < 40 {
		t.Fatalf("%d rules, want at least 40", len(rules))
	}
	id := regexp.MustCompile(`^([A-Z][A-Za-z0-9]*\.[0-9]+|PP\.[A-Z0-9]+\.[0-9]+)$`)
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.ID] {
			t.Errorf("rule %s twice", r.ID)
		}
		seen[r.ID] = true
		if !id.MatchString(r.ID) {
			t.Errorf("rule ID %q is neither a Security Hub control ID nor PP.<AREA>.<n>", r.ID)
		}
		if r.Title == "" || r.Fix == "" || r.Check == nil || severityRank[r.Severity] == 0 && r.Severity != Critical {
			t.Errorf("rule %s lacks a title, a fix, a check or a severity", r.ID)
		}
	}
}

func TestCommittedStacksHaveNoUnwaivedViolation(t *testing.T) {
	for _, name := range plantest.Stacks {
		t.Run(name, func(t *testing.T) {
			s, cfg := committed(t, name)
			rep := Evaluate(s, cfg)
			for _, f := range rep.Unwaived() {
				t.Errorf("unwaived: %s %s: %s", f.Rule, f.Subject(), f.Problem)
			}
			for _, w := range rep.Waivers {
				if w.Problem != "" {
					t.Errorf("waiver %s: %s", w.Rule, w.Problem)
				}
				if w.Reason == "" {
					t.Errorf("waiver %s has no reason", w.Rule)
				}
			}
			if !rep.OK() || rep.Failed != 0 || rep.Passed+rep.Waived != rep.Rules {
				t.Errorf("verdict: %s", rep.Summary())
			}
			t.Log(rep.Summary())
		})
	}
}

// Dev waives high availability, deletion guards and backups, each with
// the reason "cost"; prod waives none of them.
func TestDevWaivesAvailabilityForCostOnly(t *testing.T) {
	costly := []string{"RDS.5", "RDS.8", "RDS.11", "ElastiCache.1", "ElastiCache.3", "DynamoDB.2", "DynamoDB.6", "ELB.6", "PP.DATA.1", "PP.DATA.2"}
	_, dev := committed(t, "dev")
	_, prod := committed(t, "prod")
	for _, id := range costly {
		i := slices.IndexFunc(dev.Policy.Waivers, func(w config.Waiver) bool { return w.Rule == id })
		if i < 0 || !strings.HasPrefix(dev.Policy.Waivers[i].Reason, "cost") {
			t.Errorf("dev: want a waiver of %s with the reason cost", id)
		}
		if slices.ContainsFunc(prod.Policy.Waivers, func(w config.Waiver) bool { return w.Rule == id }) {
			t.Errorf("prod waives %s", id)
		}
	}
}

func TestEveryRuleHasASeed(t *testing.T) {
	for _, r := range Rules() {
		if _, ok := seeds[r.ID]; !ok {
			t.Errorf("rule %s has no seed in seed_test.go", r.ID)
		}
	}
	for id := range seeds {
		if Find(id) == nil {
			t.Errorf("seed for unknown rule %s", id)
		}
	}
}

// Each rule fires on a seeded violation: a mutated input of a committed
// run. Rules a stack already breaks everywhere (waived) are proven the
// other way: repairing one resource clears its finding.
func TestSeededViolationFires(t *testing.T) {
	for _, rule := range Rules() {
		sd, ok := seeds[rule.ID]
		if !ok {
			continue
		}
		t.Run(rule.ID, func(t *testing.T) {
			name := sd.stack
			if name == "" {
				name = "prod"
			}
			s, _ := committed(t, name)
			m := newMutable(t, s)
			sd.mutate(m)
			before, after := keyed(rule.Run(s)), keyed(rule.Run(m.stack))
			from, to, verb := before, after, "fire on"
			if sd.fix {
				from, to, verb = after, before, "clear for"
				if len(before) == 0 {
					t.Fatalf("%s: a fix seed needs a rule that fires on %s as committed", rule.ID, name)
				}
			}
			var changed []string
			for k := range to {
				if !from[k] {
					changed = append(changed, k)
				}
			}
			if len(changed) == 0 {
				t.Fatalf("%s did not %s the seeded resource (before %v, after %v)", rule.ID, verb, before, after)
			}
			t.Logf("%s: %v", verb, changed)
		})
	}
}

func keyed(fs []Finding) map[string]bool {
	out := map[string]bool{}
	for _, f := range fs {
		out[f.Subject()+": "+f.Problem] = true
	}
	return out
}

func TestWaiverProblemsFailTheCheck(t *testing.T) {
	s, cfg := committed(t, "prod")
	for _, tc := range []struct {
		name   string
		waiver config.Waiver
		want   string
	}{
		{"unknown rule", config.Waiver{Rule: "RDS.99", Reason: "typo"}, "no rule RDS.99"},
		{"stale", config.Waiver{Rule: "RDS.2", Reason: "nothing to waive"}, "stale"},
		{"unknown resource", config.Waiver{Rule: "RDS.23", Resources: []string{"datastores-mysql", "datastores-mysqll"}, Reason: "typo"}, `"datastores-mysqll"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := *cfg
			c.Policy.Waivers = append(slices.Clone(cfg.Policy.Waivers), tc.waiver)
			rep := Evaluate(s, &c)
			last := rep.Waivers[len(rep.Waivers)-1]
			if !strings.Contains(last.Problem, tc.want) || rep.OK() {
				t.Errorf("waiver %+v: problem %q, OK %v; want %q and not OK", tc.waiver, last.Problem, rep.OK(), tc.want)
			}
		})
	}
	// Without its waivers, prod fails: the waivers are what keeps it clean.
	c := *cfg
	c.Policy.Waivers = nil
	if rep := Evaluate(s, &c); rep.OK() || len(rep.Unwaived()) == 0 {
		t.Errorf("prod without waivers passes: %s", rep.Summary())
	}
}

func TestWarnings(t *testing.T) {
	kinds := func(ws []Warning) map[string][]string {
		out := map[string][]string{}
		for _, w := range ws {
			out[w.Kind] = append(out[w.Kind], w.Subject)
		}
		return out
	}
	dev, devCfg := committed(t, "dev")
	got := kinds(Warnings(dev, devCfg))
	for kind, subject := range map[string]string{"single-az": "datastores-mysql", "backups": "datastores-cache", "entry": "push-autoconnect-nlb", "capacity": "app-producer"} {
		if !slices.Contains(got[kind], subject) {
			t.Errorf("dev: no %s warning for %s (got %v)", kind, subject, got[kind])
		}
	}
	prod, prodCfg := committed(t, "prod")
	got = kinds(Warnings(prod, prodCfg))
	if len(got["single-az"])+len(got["backups"])+len(got["profile"]) > 0 {
		t.Errorf("prod warns about availability, backups or profile deviations: %v", got)
	}
	// A setting against the profile is named with both values.
	res, err := plantest.RunWith(t, "prod", func(v map[string]string) {
		v["pushplatform:database"] = `{"backupRetentionDays": 7}`
	})
	if err != nil {
		t.Fatal(err)
	}
	sc := plantest.Config(t, "prod").Clone()
	sc.Values["pushplatform:database"] = `{"backupRetentionDays": 7}`
	cfg, err := config.Resolve(sc.Project, sc.Stack, sc.Values)
	if err != nil {
		t.Fatal(err)
	}
	ws := Warnings(&Stack{Res: res, Values: sc.Values}, cfg)
	i := slices.IndexFunc(ws, func(w Warning) bool { return w.Kind == "profile" && w.Subject == "database.backupRetentionDays" })
	if i < 0 || !strings.Contains(ws[i].Message, `"7"`) || !strings.Contains(ws[i].Message, `"14"`) {
		t.Errorf("no profile warning naming database.backupRetentionDays 7 against 14: %v", ws)
	}
}

func TestPlaintextSecretInConfig(t *testing.T) {
	s, _ := committed(t, "prod")
	m := newMutable(t, s)
	m.stack.Values["pushplatform:pushCryptoKey"] = "not-marked-secret"
	got := Find("PP.SECRET.1").Run(m.stack)
	if !slices.ContainsFunc(got, func(f Finding) bool { return strings.Contains(f.Problem, "pushplatform:pushCryptoKey") }) {
		t.Errorf("a plain-text pushCryptoKey in the stack file is not flagged: %v", got)
	}
	m.stack.SecretKeys = append(m.stack.SecretKeys, "pushplatform:pushCryptoKey")
	if got := Find("PP.SECRET.1").Run(m.stack); len(got) > 0 {
		t.Errorf("a secret pushCryptoKey is flagged: %v", got)
	}
}
