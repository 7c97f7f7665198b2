package policy

import (
	"slices"

	"github.com/pushplatform/pushplatform/plan"
)

// eachStatement applies check to every statement of the policy document in
// the resource's input key; unreadable is the one problem reported when the
// document does not parse.
func eachStatement(r *plan.Resource, key, unreadable string, check func(plan.PolicyStatement) []string) []string {
	doc, err := plan.ParsePolicy(r.InputString(key))
	if err != nil {
		return []string{unreadable}
	}
	var out []string
	for _, st := range doc.Statement {
		out = append(out, check(st)...)
	}
	return out
}

// anyPrincipal says whether a statement names every principal: "*" or
// {"AWS": "*"}.
func anyPrincipal(st plan.PolicyStatement) bool {
	return slices.Contains(st.Principal["*"], "*") || slices.Contains(st.Principal["AWS"], "*")
}
