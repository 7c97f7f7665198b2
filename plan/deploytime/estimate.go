// Package deploytime estimates how long the first `pulumi up` of a stack
// takes: every recorded resource gets a typical create duration with its
// source (durations.go), the recorded dependencies give the order
// (graph.go), and the longest chain is the critical path. It also flags
// dependsOn waits that hold slow resources back (serialise.go).
package deploytime

import (
	"slices"
	"strings"
	"time"

	"github.com/pushplatform/pushplatform/plan"
)

// TopN is how many of the slowest resources the result lists.
const TopN = 10

// Parallelism is the assumption behind the wall time: Pulumi runs as many
// steps at once as --parallel allows, and its default is large enough for
// a stack this size, so nothing waits for a free slot.
const Parallelism = "unbounded (pulumi up --parallel default); resources wait only for their dependencies"

// Result is the estimate for one stack.
type Result struct {
	Stack        string `json:"stack"`
	Parallelism  string `json:"parallelism"`
	TotalSeconds int    `json:"totalSeconds"`
	// CriticalPath is the chain of waits that ends at the latest finish;
	// its durations add up to TotalSeconds.
	CriticalPath []Step    `json:"criticalPath"`
	Slowest      []Step    `json:"slowest"`
	Flagged      []Finding `json:"flagged"`
	// Rollouts are waits for a rollout that hold back resources which
	// only read outputs known at create.
	Rollouts []Rollout `json:"rollouts,omitempty"`
}

// Step is one resource's create in the schedule.
type Step struct {
	Type            string `json:"type"`
	Name            string `json:"name"`
	StartSeconds    int    `json:"startSeconds"`
	DurationSeconds int    `json:"durationSeconds"`
	Source          string `json:"source"`
}

// Total is the estimated wall time.
func (r *Result) Total() time.Duration { return time.Duration(r.TotalSeconds) * time.Second }

// Estimate schedules the recorded resources of res, images prebuilt.
func Estimate(res *plan.Result) *Result { return estimate(res, false) }

func estimate(res *plan.Result, buildImages bool) *Result {
	g := newGraph(res)
	if buildImages {
		g.addImageBuilds()
	}
	s := g.schedule(nil)
	path := g.criticalPath(s)
	out := &Result{Stack: res.Stack, Parallelism: Parallelism, TotalSeconds: seconds(s.total())}
	for _, i := range path {
		out.CriticalPath = append(out.CriticalPath, g.step(i, s))
	}
	order := make([]int, len(g.nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if d := int(g.basis[b].Duration - g.basis[a].Duration); d != 0 {
			return d
		}
		return strings.Compare(g.nodes[a].URN, g.nodes[b].URN)
	})
	for _, i := range order[:min(TopN, len(order))] {
		if g.basis[i].Duration > 0 {
			out.Slowest = append(out.Slowest, g.step(i, s))
		}
	}
	out.Flagged = g.findings(res, s, path)
	out.Rollouts = g.rollouts(s)
	return out
}

func (g *graph) step(i int, s schedule) Step {
	return Step{
		Type:            g.nodes[i].Type,
		Name:            g.nodes[i].Name,
		StartSeconds:    seconds(s.start[i]),
		DurationSeconds: seconds(g.basis[i].Duration),
		Source:          g.basis[i].Source,
	}
}
