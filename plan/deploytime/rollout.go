package deploytime

import "time"

// Rollout is a resource whose create waits for a rollout after AWS has
// already answered with everything its dependents read: a CloudFront
// distribution with waitForDeployment (the default) reports its domain
// name and ARN at create, then the provider waits about 15 minutes for
// "Deployed". Resources that read those outputs wait with it, which the
// critical path shows; without the wait the deploy ends sooner, and the
// distribution finishes rolling out on its own.
type Rollout struct {
	Resource Ref `json:"resource"`
	// Dependents counts the resources that wait on it through inputs.
	Dependents int `json:"dependents"`
	// AddsSeconds is how much longer the whole deploy takes with the wait.
	AddsSeconds int    `json:"addsSeconds"`
	Fix         string `json:"fix"`
}

// rolloutCreate is what a distribution's create takes without the wait.
const rolloutCreate = 30 * time.Second

func (g *graph) rollouts(base schedule) []Rollout {
	var out []Rollout
	for i, r := range g.nodes {
		if r.Type != "aws:cloudfront/distribution:Distribution" || r.Input("waitForDeployment") == false {
			continue
		}
		dependents := 0
		for _, preds := range g.preds {
			for _, p := range preds {
				if p == i {
					dependents++
				}
			}
		}
		if dependents == 0 {
			continue
		}
		saved := g.basis[i]
		g.basis[i] = Basis{Duration: rolloutCreate, Source: saved.Source}
		without := g.schedule(nil).total()
		g.basis[i] = saved
		adds := base.total() - without
		if adds < time.Minute {
			continue
		}
		out = append(out, Rollout{
			Resource: g.ref(i), Dependents: dependents, AddsSeconds: seconds(adds),
			Fix: "set waitForDeployment false: its domain name and ARN are known at create, so the resources reading them need not wait for the rollout (the distribution then serves a few minutes after `pulumi up` ends)",
		})
	}
	return out
}
