package deploytime

import (
	"slices"
	"time"

	"github.com/pushplatform/pushplatform/plan"
)

// SlowThreshold is how long a create must take for a wait in front of it
// to be worth a finding.
const SlowThreshold = 2 * time.Minute

// DependsOnOnly returns the URNs r waits on that none of its inputs names:
// those came from a dependsOn option. The Go SDK builds Dependencies as
// the union of the dependsOn URNs (getOpts) and every input's
// dependencies (marshalInputs), and sends each input's own set as
// PropertyDependencies (context.go prepareResourceInputs). One caveat: for
// a remote component an input holding only resource references is left out
// of PropertyDependencies, so such an input would also show up here.
func DependsOnOnly(r *plan.Resource) []string {
	named := map[string]bool{}
	for _, urns := range r.PropertyDependencies {
		for _, u := range urns {
			named[u] = true
		}
	}
	var out []string
	for _, d := range r.Dependencies {
		if !named[d] {
			out = append(out, d)
		}
	}
	return out
}

// Finding is a dependsOn wait (one resource, or a whole component's
// resources) that lies on the critical path or holds back a slow resource.
// Waits through inputs are data the resource needs and are never flagged.
type Finding struct {
	Resource Ref   `json:"resource"`
	WaitsOn  []Ref `json:"waitsOn"`
	// Component names the component when the wait covers all of its
	// resources: dependsOn on a component waits for every descendant.
	Component      string `json:"component,omitempty"`
	OnCriticalPath bool   `json:"onCriticalPath"`
	// AddsSeconds is how much longer the whole deploy takes with the wait
	// than without it.
	AddsSeconds int `json:"addsSeconds"`
	// Delays are the slow resources that would start earlier without it.
	Delays []Delay `json:"delays,omitempty"`
}

// Ref names a resource.
type Ref struct {
	Type string `json:"type"`
	Name string `json:"name"`
}

// Delay is how much later a slow resource starts because of a wait.
type Delay struct {
	Ref
	Seconds int `json:"seconds"`
}

// group is the dependsOn edges of one resource that are judged together.
type group struct {
	to        int
	from      []int
	component string
}

// dependsOnGroups splits each resource's dependsOn-only waits into whole
// components (all custom and remote descendants of a component registered
// before it, at least two of them, the outermost such component) and the
// single resources left over.
func (g *graph) dependsOnGroups(res *plan.Result) []group {
	var out []group
	for i, r := range g.nodes {
		rest := map[int]bool{}
		for _, u := range DependsOnOnly(r) {
			if j, ok := g.index[u]; ok {
				rest[j] = true
			}
		}
		if len(rest) == 0 {
			continue
		}
		for _, c := range g.nodes {
			if c.Custom || c.Remote || c == r || isAncestor(res, c.URN, r) {
				continue
			}
			members := g.dependencySet(res, c.URN)
			if len(members) < 2 || !allIn(members, rest) {
				continue
			}
			for _, m := range members {
				delete(rest, m)
			}
			out = append(out, group{to: i, from: members, component: c.Name})
		}
		for _, j := range slices.Sorted(mapsKeys(rest)) {
			out = append(out, group{to: i, from: []int{j}})
		}
	}
	return out
}

// dependencySet is what a dependsOn on component urn expands to, as the SDK's
// addDependency does: custom and remote descendants, not looking inside
// either. (The SDK expands to the descendants registered so far; the run's
// resources are in URN order, not registration order, so a wait on every
// descendant is what the plan can recognise as a wait on the component.)
func (g *graph) dependencySet(res *plan.Result, urn string) []int {
	var out []int
	for _, child := range res.Children(urn) {
		j := g.index[child.URN]
		if child.Custom || child.Remote {
			out = append(out, j)
			continue
		}
		out = append(out, g.dependencySet(res, child.URN)...)
	}
	return out
}

func isAncestor(res *plan.Result, urn string, r *plan.Resource) bool {
	for p := r.Parent; p != ""; {
		if p == urn {
			return true
		}
		pr := res.ByURN(p)
		if pr == nil {
			return false
		}
		p = pr.Parent
	}
	return false
}

func allIn(xs []int, set map[int]bool) bool {
	for _, x := range xs {
		if !set[x] {
			return false
		}
	}
	return true
}

func mapsKeys(m map[int]bool) func(func(int) bool) {
	return func(yield func(int) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// findings recomputes the schedule without each dependsOn group and keeps
// the groups that lie on the critical path or hold back a slow resource.
func (g *graph) findings(res *plan.Result, base schedule, path []int) []Finding {
	onPath := map[edge]bool{}
	for k := 1; k < len(path); k++ {
		onPath[edge{path[k-1], path[k]}] = true
	}
	var out []Finding
	for _, grp := range g.dependsOnGroups(res) {
		skip := map[edge]bool{}
		f := Finding{Resource: g.ref(grp.to), Component: grp.component}
		for _, j := range grp.from {
			e := edge{j, grp.to}
			skip[e] = true
			f.OnCriticalPath = f.OnCriticalPath || onPath[e]
			f.WaitsOn = append(f.WaitsOn, g.ref(j))
		}
		without := g.schedule(skip)
		f.AddsSeconds = seconds(base.total() - without.total())
		for i := range g.nodes {
			if g.basis[i].Duration >= SlowThreshold && without.start[i] < base.start[i] {
				f.Delays = append(f.Delays, Delay{g.ref(i), seconds(base.start[i] - without.start[i])})
			}
		}
		if f.OnCriticalPath || len(f.Delays) > 0 {
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b Finding) int { return b.AddsSeconds - a.AddsSeconds })
	return out
}

func (g *graph) ref(i int) Ref {
	return Ref{Type: g.nodes[i].Type, Name: g.nodes[i].Name}
}

func seconds(d time.Duration) int { return int(d.Round(time.Second) / time.Second) }
