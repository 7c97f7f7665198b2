// Package safety holds the options every stateful resource gets.
package safety

import "github.com/pulumi/pulumi/sdk/v3/go/pulumi"

// Stateful adds the options of a resource that holds data: with protect on
// (prod), Pulumi refuses to delete or replace it until someone lifts the
// protection on purpose, and a deliberate delete leaves it in AWS. Protect and
// retainOnDelete go together: retainOnDelete alone has lost a table through a
// replacement before (pulumi/pulumi#13428).
func Stateful(protect bool, opts ...pulumi.ResourceOption) []pulumi.ResourceOption {
	out := append([]pulumi.ResourceOption{}, opts...) // never write into the caller's slice
	if protect {
		out = append(out, pulumi.Protect(true), pulumi.RetainOnDelete(true))
	}
	return out
}
