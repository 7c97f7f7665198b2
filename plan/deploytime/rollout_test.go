package deploytime

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan/plantest"
)

// The distribution's 15-minute rollout holds back what reads its domain
// name; with waitForDeployment false the finding goes away and so does
// the time it adds.
func TestRolloutWaitIsFlagged(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		est := Estimate(res)
		if len(est.Rollouts) != 1 || est.Rollouts[0].Resource.Name != "frontend" || est.Rollouts[0].Dependents == 0 || est.Rollouts[0].AddsSeconds < 60 {
			t.Fatalf("%s: rollouts %+v, want the frontend distribution holding back its readers", stack, est.Rollouts)
		}
		d := res.Named("aws:cloudfront/distribution:Distribution", "frontend")
		saved := d.Inputs
		d.Inputs = saved.Copy()
		d.Inputs["waitForDeployment"] = resource.NewProperty(false)
		without := Estimate(res)
		d.Inputs = saved
		if len(without.Rollouts) != 0 {
			t.Errorf("%s: waitForDeployment false still flagged: %+v", stack, without.Rollouts)
		}
		if got, want := est.TotalSeconds-without.TotalSeconds, est.Rollouts[0].AddsSeconds; got != want {
			t.Errorf("%s: the wait adds %ds to the total, the finding says %ds", stack, got, want)
		}
	}
}
