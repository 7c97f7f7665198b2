package plan

import (
	"maps"
	"slices"
	"strings"
)

// OfType returns the resources of one type token, in URN order.
func (r *Result) OfType(typ string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources {
		if res.Type == typ {
			out = append(out, res)
		}
	}
	return out
}

// Named returns the resource with this type and logical name, or nil.
func (r *Result) Named(typ, name string) *Resource {
	for _, res := range r.Resources {
		if res.Type == typ && res.Name == name {
			return res
		}
	}
	return nil
}

// ByURN returns the resource with this URN, or nil.
func (r *Result) ByURN(urn string) *Resource {
	for _, res := range r.Resources {
		if res.URN == urn {
			return res
		}
	}
	return nil
}

// ByID returns the custom resource with this (mock) ID, or nil.
func (r *Result) ByID(id string) *Resource {
	for _, res := range r.Resources {
		if res.ID == id && id != "" {
			return res
		}
	}
	return nil
}

// Children returns the resources whose parent is urn ("" for the stack).
func (r *Result) Children(urn string) []*Resource {
	var out []*Resource
	for _, res := range r.Resources {
		if res.Parent == urn {
			out = append(out, res)
		}
	}
	return out
}

// Counts returns how many resources of each type were registered.
func (r *Result) Counts() map[string]int {
	counts := map[string]int{}
	for _, res := range r.Resources {
		counts[res.Type]++
	}
	return counts
}

// UnsafeInvokes are the recorded invokes that would call AWS at preview,
// sorted and deduplicated.
func (r *Result) UnsafeInvokes() []string {
	seen := map[string]bool{}
	for _, inv := range r.Invokes {
		if !OfflineSafeInvokes[inv.Token] {
			seen[inv.Token] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// KnownAfterDeploy is what the plan shows in place of a value only AWS
// knows (an ID, an ARN, a DNS name, the account).
const KnownAfterDeploy = "(known after deploy)"

// KnownAfterDeploy returns v with every value the mock engine invented
// replaced by KnownAfterDeploy: a whole invented string becomes the marker,
// and one embedded in a larger string (a URL, a policy) is replaced in
// place. Maps and lists are walked; other values are returned as they are.
func (r *Result) KnownAfterDeploy(v any) any {
	switch x := v.(type) {
	case string:
		for _, inv := range r.Invented {
			x = strings.ReplaceAll(x, inv, KnownAfterDeploy)
		}
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = r.KnownAfterDeploy(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = r.KnownAfterDeploy(e)
		}
		return out
	}
	return v
}
