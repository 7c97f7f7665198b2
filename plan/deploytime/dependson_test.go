package deploytime

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sqs"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

type testGroup struct{ pulumi.ResourceState }

// A tiny program on the mock engine proves how the SDK records waits: an
// input names its source in PropertyDependencies, a dependsOn appears only
// in Dependencies, and a dependsOn on a component becomes its children.
func TestDependsOnOnlyFromTheSDK(t *testing.T) {
	res, err := plan.Run(plantest.Config(t, "dev"), func(ctx *pulumi.Context) error {
		a, err := sqs.NewQueue(ctx, "a", nil)
		if err != nil {
			return err
		}
		if _, err := sqs.NewQueue(ctx, "by-input", &sqs.QueueArgs{Tags: pulumi.StringMap{"source": a.Name}}); err != nil {
			return err
		}
		if _, err := sqs.NewQueue(ctx, "by-depends-on", nil, pulumi.DependsOn([]pulumi.Resource{a})); err != nil {
			return err
		}
		grp := &testGroup{}
		if err := ctx.RegisterComponentResource("test:index:Group", "grp", grp); err != nil {
			return err
		}
		var urns []any
		for _, n := range []string{"x", "y"} {
			c, err := sqs.NewQueue(ctx, n, nil, pulumi.Parent(grp))
			if err != nil {
				return err
			}
			urns = append(urns, c.URN())
		}
		// The SDK adds a child to its component in the child's own
		// registration goroutine (getOpts), and expands a dependsOn on the
		// component to the children added so far: registered right after
		// them, the dependent may see none, some or all (it does, under
		// these mocks). Registering it once their URNs have resolved makes
		// the expansion complete, as it is for a dependent registered later.
		pulumi.All(urns...).ApplyT(func([]any) (string, error) {
			_, err := sqs.NewQueue(ctx, "on-component", nil, pulumi.DependsOn([]pulumi.Resource{grp}))
			return "", err
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q := func(name string) *plan.Resource { return plantest.One(t, res, "aws:sqs/queue:Queue", name) }
	a := q("a")

	byInput := q("by-input")
	if !slices.Contains(byInput.Dependencies, a.URN) || !slices.Contains(byInput.PropertyDependencies["tags"], a.URN) {
		t.Fatalf("input wait not recorded: deps %v, property deps %v", byInput.Dependencies, byInput.PropertyDependencies)
	}
	if got := DependsOnOnly(byInput); len(got) != 0 {
		t.Errorf("a wait through an input is reported as dependsOn: %v", got)
	}
	if got := DependsOnOnly(q("by-depends-on")); !slices.Equal(got, []string{a.URN}) {
		t.Errorf("dependsOn-only waits = %v, want [%s]", got, a.URN)
	}

	onComp := q("on-component")
	want := []string{q("x").URN, q("y").URN}
	got := DependsOnOnly(onComp)
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("dependsOn on a component recorded as %v, want its children %v", got, want)
	}
	g := newGraph(res)
	groups := g.dependsOnGroups(res)
	i := slices.IndexFunc(groups, func(gr group) bool { return g.nodes[gr.to] == onComp })
	if i < 0 || groups[i].component != "grp" || len(groups[i].from) != 2 {
		t.Errorf("the wait on all of grp's children is not grouped as the component: %+v", groups)
	}
}
