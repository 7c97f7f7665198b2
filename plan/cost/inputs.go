package cost

import "github.com/pushplatform/pushplatform/plan"

// num reads a numeric input (0 when absent or unknown).
func num(r *plan.Resource, key string) float64 {
	f, _ := r.Input(key).(float64)
	return f
}

// count is the length of a list input.
func count(r *plan.Resource, key string) int {
	l, _ := r.Input(key).([]any)
	return len(l)
}

// dependency returns the recorded resource an input refers to, or nil.
func dependency(res *plan.Result, r *plan.Resource, key string) *plan.Resource {
	for _, urn := range r.PropertyDependencies[key] {
		if d := res.ByURN(urn); d != nil {
			return d
		}
	}
	return nil
}

// dependsOn reports whether r's input key refers to the resource urn.
func dependsOn(r *plan.Resource, key, urn string) bool {
	for _, u := range r.PropertyDependencies[key] {
		if u == urn {
			return true
		}
	}
	return false
}
