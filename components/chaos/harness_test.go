package chaos_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components"
	"github.com/pushplatform/pushplatform/components/chaos"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// testAlarms stand in for the observability alarms in the component's
// own tests: two user-facing alarms, by name.
var testAlarms = map[string]string{
	"alb-5xx":      "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:alb-5xx",
	"producer-5xx": "arn:aws:cloudwatch:eu-central-1:123456789012:alarm:producer-5xx",
}

// runChaos builds the platform of a stack (with edits) and the chaos
// component on it, outside components.Stack, so the component is tested
// on its own with known alarms.
func runChaos(t *testing.T, stack string, alarms map[string]string, edit func(map[string]string)) (*plan.Result, error) {
	t.Helper()
	sc := plantest.Config(t, stack).Clone()
	if edit != nil {
		edit(sc.Values)
	}
	return plan.Run(sc, func(ctx *pulumi.Context) error {
		p, err := components.NewPlatform(ctx)
		if err != nil {
			return err
		}
		stops := map[string]pulumi.StringInput{}
		for k, v := range alarms {
			stops[k] = pulumi.String(v)
		}
		cfg := p.Config
		_, err = chaos.New(ctx, "chaos", &chaos.Args{
			Config: cfg.Chaos, Cluster: p.Cluster,
			Service:  chaos.Target{App: cfg.Chaos.Service, Name: pulumi.String("svc-" + cfg.Chaos.Service)},
			Database: cfg.Database, MySQLArn: p.Stores.MySQL.Arn,
			Cache: cfg.Cache, CacheGroupID: p.Stores.Cache.ReplicationGroupID,
			CacheTags:  map[string]string{"Name": "datastores-cache", "Stack": ctx.Stack()},
			StopAlarms: stops,
		})
		return err
	})
}

// refused reports a refusal that did not happen, or whose error lacks one
// of want; it says whether there was an error to look at.
func refused(t *testing.T, name string, err error, want []string) bool {
	t.Helper()
	if err == nil {
		t.Errorf("%s: accepted", name)
		return false
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("%s: %v, want %q", name, err, w)
		}
	}
	return true
}
