package deploytime

import (
	"time"

	"github.com/pushplatform/pushplatform/plan"
)

// graph is the create order of a first `pulumi up`.
//
// A resource starts once everything in its Dependencies is created: the Go
// SDK awaits each dependency's URN before it sends RegisterResource, and a
// custom resource's URN resolves only when the engine has created it
// (sdk/go/pulumi/context.go getOpts, rpc.go addDependency). The SDK has
// already expanded a dependency on a local component into the component's
// custom and remote descendants, so the recorded URNs are the real waits.
// A parent blocks its children only when it is a custom resource (its URN
// is awaited in getOpts); component registration is instant.
type graph struct {
	nodes []*plan.Resource
	index map[string]int
	basis []Basis
	preds [][]int
}

// edge is one wait: to starts after from is created.
type edge struct{ from, to int }

func newGraph(res *plan.Result) *graph {
	g := &graph{nodes: res.Resources, index: map[string]int{}}
	for i, r := range res.Resources {
		g.index[r.URN] = i
	}
	g.basis = make([]Basis, len(g.nodes))
	g.preds = make([][]int, len(g.nodes))
	for i, r := range g.nodes {
		g.basis[i] = Of(r, res)
		seen := map[int]bool{}
		add := func(urn string) {
			if j, ok := g.index[urn]; ok && j != i && !seen[j] {
				seen[j] = true
				g.preds[i] = append(g.preds[i], j)
			}
		}
		for _, d := range r.Dependencies {
			add(d)
		}
		if p := res.ByURN(r.Parent); p != nil && p.Custom {
			add(r.Parent)
		}
	}
	return g
}

// schedule is the earliest start of every node with unbounded parallelism,
// leaving out the edges in skip.
type schedule struct {
	start, finish []time.Duration
}

func (g *graph) schedule(skip map[edge]bool) schedule {
	s := schedule{start: make([]time.Duration, len(g.nodes)), finish: make([]time.Duration, len(g.nodes))}
	done := make([]bool, len(g.nodes))
	var visit func(i int)
	visit = func(i int) {
		if done[i] {
			return
		}
		done[i] = true // the SDK cannot register a cycle, so marking first is safe
		for _, p := range g.preds[i] {
			if skip[edge{p, i}] {
				continue
			}
			visit(p)
			s.start[i] = max(s.start[i], s.finish[p])
		}
		s.finish[i] = s.start[i] + g.basis[i].Duration
	}
	for i := range g.nodes {
		visit(i)
	}
	return s
}

func (s schedule) total() time.Duration {
	var t time.Duration
	for _, f := range s.finish {
		t = max(t, f)
	}
	return t
}

// criticalPath walks back from the latest finish, each time to a
// predecessor that finished exactly when the step started. Among equal
// candidates it prefers the slower one, then the earlier registered, so
// the path is stable and names the resource that really held things up.
func (g *graph) criticalPath(s schedule) []int {
	last := -1
	for i := range g.nodes {
		if last < 0 || s.finish[i] > s.finish[last] {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	path := []int{last}
	for cur := last; ; {
		next := -1
		for _, p := range g.preds[cur] {
			if s.finish[p] != s.start[cur] {
				continue
			}
			if next < 0 || g.basis[p].Duration > g.basis[next].Duration ||
				(g.basis[p].Duration == g.basis[next].Duration && p < next) {
				next = p
			}
		}
		if next < 0 {
			break
		}
		path = append(path, next)
		cur = next
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}
