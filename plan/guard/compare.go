package guard

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// Report is the guard's verdict on one stack.
type Report struct {
	Stack string `json:"stack"`
	// Failures are stateful resources that would be replaced or deleted.
	Failures []Finding `json:"failures"`
	// Notes are worth a look but lose no data: new stateful resources,
	// dropped protect or retainOnDelete, deleteBeforeReplace.
	Notes []Finding `json:"notes"`
	// Checked counts the baseline's stateful resources compared.
	Checked int `json:"checked"`
}

// Finding is one resource and what would happen to it.
type Finding struct {
	Type   string `json:"type"`
	Name   string `json:"name"`
	URN    string `json:"urn"`
	Reason string `json:"reason"`
	// Input is the replace-only input that changed ("" for a deletion).
	Input string `json:"input,omitempty"`
	// Source is where the provider marks Input replace-only.
	Source string `json:"source,omitempty"`
}

// Failed says whether any stateful resource would be replaced or deleted.
func (r *Report) Failed() bool { return len(r.Failures) > 0 }

// Secret is how the plan shows a secret input. Two "[secret]" values count
// as equal: the plan cannot tell a changed secret from an unchanged one
// (secret replace-only inputs are rare: RDS and the cache take no secret
// among theirs). A secret becoming plain, or the reverse, counts as changed.
const Secret = "[secret]"

// current is one resource of this run, with what its inputs wait on.
type current struct {
	view plan.ResourceView
	res  *plan.Resource
}

// Compare checks every stateful resource of the baseline against a run.
func Compare(base *Baseline, res *plan.Result) *Report {
	rep := &Report{Stack: res.Stack, Failures: []Finding{}, Notes: []Finding{}}
	views := plan.NewReport(res, nil).Resources
	cur := map[string]current{}
	aliasOf := map[string]string{} // old URN -> current URN answering to it
	for _, v := range views {
		cur[v.URN] = current{view: v, res: res.ByURN(v.URN)}
		for _, a := range v.Aliases {
			aliasOf[a] = v.URN
		}
	}
	old := map[string]plan.ResourceView{}
	for _, b := range base.Resources {
		old[b.URN] = b
	}
	// oldOf finds the baseline resource a current one continues, if any.
	oldOf := func(urn string) (plan.ResourceView, bool) {
		if b, ok := old[urn]; ok {
			return b, true
		}
		for _, a := range cur[urn].view.Aliases {
			if b, ok := old[a]; ok {
				return b, true
			}
		}
		return plan.ResourceView{}, false
	}
	// renewed holds current URNs whose outputs will be new at deploy: new
	// resources and replaced ones. An input taking its value from one of
	// them changes, even though both plans show "(known after deploy)".
	renewed := map[string]bool{}
	for urn := range cur {
		if _, ok := oldOf(urn); !ok {
			renewed[urn] = true
		}
	}

	replaced := map[string][]Finding{}
	for changed := true; changed; {
		changed = false
		for _, v := range views {
			kind, ok := Stateful[v.Type]
			b, had := oldOf(v.URN)
			if !ok || !had || len(replaced[v.URN]) > 0 {
				continue
			}
			if f := replacements(kind, b, cur[v.URN], renewed); len(f) > 0 {
				replaced[v.URN] = f
				renewed[v.URN] = true
				changed = true
			}
		}
	}

	for _, b := range base.Resources {
		kind, ok := Stateful[b.Type]
		if !ok {
			continue
		}
		rep.Checked++
		urn := b.URN
		if _, ok := cur[urn]; !ok {
			urn = aliasOf[b.URN]
		}
		c, ok := cur[urn]
		if !ok {
			rep.Failures = append(rep.Failures, Finding{Type: b.Type, Name: b.Name, URN: b.URN,
				Reason: deletion(b, kind, views, renewed)})
			continue
		}
		rep.Failures = append(rep.Failures, replaced[urn]...)
		for _, in := range kind.InPlace {
			if o, n := b.Inputs[in.Key], c.view.Inputs[in.Key]; !equal(o, n) {
				f := note(c.view, fmt.Sprintf("changed in place: %s %s -> %s", in.Key, show(o), show(n)))
				f.Input, f.Source = in.Key, in.Source
				rep.Notes = append(rep.Notes, f)
			}
		}
		if b.Protect && !c.view.Protect {
			rep.Notes = append(rep.Notes, note(c.view, "protect was dropped: nothing stops a delete or replacement any more"))
		}
		if b.RetainOnDelete && !c.view.RetainOnDelete {
			rep.Notes = append(rep.Notes, note(c.view, "retainOnDelete was dropped: a delete would now remove it from AWS"))
		}
	}
	for _, v := range views {
		kind, ok := Stateful[v.Type]
		if !ok {
			continue
		}
		if _, had := oldOf(v.URN); !had {
			rep.Notes = append(rep.Notes, note(v, "new "+kind.Holds))
		}
		if r := cur[v.URN].res; r != nil && r.DeleteBeforeReplace {
			rep.Notes = append(rep.Notes, note(v, "deleteBeforeReplace: a replacement would delete it before its successor exists"))
		}
	}
	return rep
}

func note(v plan.ResourceView, reason string) Finding {
	return Finding{Type: v.Type, Name: v.Name, URN: v.URN, Reason: reason}
}

// replacements lists the replace-only inputs of c that differ from b.
func replacements(kind Kind, b plan.ResourceView, c current, renewed map[string]bool) []Finding {
	inputs := slices.Clone(kind.ReplaceOnly)
	var ignore []string
	if c.res != nil {
		ignore = c.res.IgnoreChanges
		// The resource's own replaceOnChanges option: the engine replaces
		// on these whatever the provider says.
		for _, k := range c.res.ReplaceOnChanges {
			if k == "*" {
				for k := range c.view.Inputs {
					inputs = append(inputs, Input{Key: k, Source: "replaceOnChanges: [\"*\"] option"})
				}
				continue
			}
			inputs = append(inputs, Input{Key: k, Source: "replaceOnChanges option"})
		}
	}
	var out []Finding
	seen := map[string]bool{}
	for _, in := range inputs {
		if seen[in.Key] || slices.ContainsFunc(ignore, func(p string) bool { return p == in.Key || strings.HasPrefix(in.Key, p+".") }) {
			continue // ignoreChanges: the engine never diffs it
		}
		seen[in.Key] = true
		o, n := b.Inputs[in.Key], c.view.Inputs[in.Key]
		f := Finding{Type: c.view.Type, Name: c.view.Name, URN: c.view.URN, Input: in.Key, Source: in.Source}
		switch {
		case !equal(o, n):
			if in.Replaces != nil && !in.Replaces(o, n) {
				continue
			}
			f.Reason = fmt.Sprintf("would be replaced: %s %s -> %s", in.Key, show(o), show(n))
		case c.res != nil && dependsOnRenewed(c.res.PropertyDependencies[in.Key], renewed) != "":
			f.Reason = fmt.Sprintf("would be replaced: %s takes its value from %s, which is created anew", in.Key,
				dependsOnRenewed(c.res.PropertyDependencies[in.Key], renewed))
		default:
			continue
		}
		out = append(out, f)
	}
	return out
}

func dependsOnRenewed(deps []string, renewed map[string]bool) string {
	for _, d := range deps {
		if renewed[d] {
			return d
		}
	}
	return ""
}

// deletion explains a baseline resource that nothing in the run continues.
func deletion(b plan.ResourceView, kind Kind, views []plan.ResourceView, renewed map[string]bool) string {
	reason := "would be deleted: its URN is gone and no resource lists it among its aliases"
	var successors []string
	for _, v := range views {
		if v.Type == b.Type && renewed[v.URN] && (v.Name == b.Name || v.Parent == b.Parent || samePhysical(kind, b, v)) {
			successors = append(successors, v.URN)
		}
	}
	if len(successors) > 0 {
		reason += fmt.Sprintf(", and a new %s created as %s (renamed or moved without an alias?)", kind.Holds, strings.Join(successors, ", "))
	}
	return reason
}

// samePhysical says whether two resources name the same thing in AWS.
func samePhysical(kind Kind, a, b plan.ResourceView) bool {
	for _, in := range kind.ReplaceOnly {
		x, ok := a.Inputs[in.Key].(string)
		if ok && x != "" && x != plan.KnownAfterDeploy && x == b.Inputs[in.Key] {
			return true
		}
	}
	return false
}

// equal compares two plain JSON values; absent equals absent.
func equal(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

func show(v any) string {
	if v == nil {
		return "(unset)"
	}
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	b, _ := json.Marshal(v)
	return string(b)
}
