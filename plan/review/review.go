// Package review puts the offline plan's reviews of one stack together:
// the plan itself (tree, stores, services, security matrix), the policy
// suite, the monthly cost beside the other committed stacks, the estimated
// first deploy, the diagram and, given a baseline, the replacement guard.
// cmd/plan renders it as text, JSON, markdown (a pull-request comment) or
// Mermaid.
package review

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/cost"
	"github.com/pushplatform/pushplatform/plan/deploytime"
	"github.com/pushplatform/pushplatform/plan/diagram"
	"github.com/pushplatform/pushplatform/plan/guard"
	"github.com/pushplatform/pushplatform/plan/policy"
)

// Review is everything a reviewer reads about one stack. The plan's own
// fields stay at the top level of the JSON, so a saved review is also a
// baseline for the replacement guard.
type Review struct {
	*plan.Report
	Policy *policy.Report `json:"policy"`
	Cost   *cost.Estimate `json:"cost"`
	// Stacks is the cost of every committed stack side by side.
	Stacks     *cost.SideBySide   `json:"costByStack"`
	DeployTime *deploytime.Result `json:"deployTime"`
	// Diagram is the component graph as Mermaid text.
	Diagram string `json:"diagram"`
	// Guard is the replacement guard's verdict (with a baseline only).
	Guard *guard.Report `json:"replacementGuard,omitempty"`
	// Notes are what the review could not do (another stack that does not
	// resolve, say), printed so nothing is skipped silently.
	Notes []string `json:"notes,omitempty"`

	graph *diagram.Graph
	res   *plan.Result
}

// New reviews one recorded run of the stack sc with its resolved config.
func New(res *plan.Result, sc *plan.StackConfig, cfg *config.Config) *Review {
	rv := &Review{Report: plan.NewReport(res, cfg), res: res}
	rv.Policy = policy.Evaluate(&policy.Stack{Res: res, Values: sc.Values, SecretKeys: sc.SecretKeys}, cfg)
	rv.Cost = costOf(res, cfg)
	rv.DeployTime = deploytime.Estimate(res)
	if cfg.Artifacts.Mode == config.ArtifactsBuild {
		rv.DeployTime = deploytime.WithImageBuilds(res)
	}
	rv.graph = diagram.Build(res)
	rv.Diagram = rv.graph.Mermaid()
	rv.Stacks = cost.Compare(map[string]*cost.Estimate{sc.Stack: rv.Cost})
	return rv
}

// CompareStacks runs the other committed stacks of dir (with fixture
// artifacts, like this one) and sets their costs beside this stack's.
func (rv *Review) CompareStacks(dir string, program pulumi.RunFunc) {
	estimates := map[string]*cost.Estimate{rv.Stack: rv.Cost}
	for _, name := range plan.KnownStacks(dir) {
		if name == rv.Stack {
			continue
		}
		est, err := stackCost(dir, name, program)
		if err != nil {
			rv.Notes = append(rv.Notes, fmt.Sprintf("cost of stack %s not compared: %v", name, err))
			continue
		}
		estimates[name] = est
	}
	rv.Stacks = cost.Compare(estimates)
}

func stackCost(dir, name string, program pulumi.RunFunc) (*cost.Estimate, error) {
	sc, err := plan.LoadStackConfig(dir, name)
	if err != nil {
		return nil, err
	}
	cfg, err := config.Resolve(sc.Project, sc.Stack, sc.Values)
	if err != nil {
		return nil, err
	}
	if err := sc.UseFixtureArtifacts(); err != nil {
		return nil, err
	}
	res, err := plan.Run(sc, program)
	if err != nil {
		return nil, err
	}
	return costOf(res, cfg), nil
}

// costOf prices a run; the idle target is the dev profile's budget only.
func costOf(res *plan.Result, cfg *config.Config) *cost.Estimate {
	est := cost.Of(res).WithCapacity(res.PushCapacity(cfg.Push.ConnectionsPerTask))
	if cfg.HighAvailability {
		est.WithoutTarget()
	}
	return est
}

// CheckBaseline runs the replacement guard against a saved JSON plan.
func (rv *Review) CheckBaseline(path string) error {
	base, err := guard.Load(path)
	if err != nil {
		return err
	}
	rep, err := guard.Check(base, rv.res)
	if err != nil {
		return err
	}
	rv.Guard = rep
	return nil
}

// Graph is the diagram as a graph, for DOT rendering.
func (rv *Review) Graph() *diagram.Graph { return rv.graph }

// Failures lists why -check fails: unwaived violations, broken waivers,
// a replacement the guard found, a call that would reach AWS at preview.
func (rv *Review) Failures() []string {
	var out []string
	if !rv.Policy.OK() {
		out = append(out, fmt.Sprintf("policy: %s", rv.Policy.Summary()))
		for _, w := range rv.Policy.Waivers {
			if w.Problem != "" {
				out = append(out, fmt.Sprintf("policy waiver %s: %s", w.Rule, w.Problem))
			}
		}
	}
	if rv.Guard != nil && rv.Guard.Failed() {
		out = append(out, fmt.Sprintf("replacement guard: %d stateful resource(s) would be replaced or deleted", len(rv.Guard.Failures)))
	}
	if len(rv.AWSCalls) > 0 {
		out = append(out, fmt.Sprintf("%d invoke(s) would call AWS during preview: %v", len(rv.AWSCalls), rv.AWSCalls))
	}
	return out
}
