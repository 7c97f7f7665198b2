package config

import (
	"errors"
	"strings"
	"testing"
)

func TestPolicyWaivers(t *testing.T) {
	v := base()
	v["pushplatform:policy"] = `{"waivers":[{"rule":"RDS.5","reason":"cost"},{"rule":"S3.9","resources":["datastores-logs"],"reason":"loop"}]}`
	cfg := resolve(t, v)
	if len(cfg.Policy.Waivers) != 2 || cfg.Policy.Waivers[1].Resources[0] != "datastores-logs" || cfg.Policy.Waivers[0].Reason != "cost" {
		t.Fatalf("waivers: %+v", cfg.Policy.Waivers)
	}
	for _, c := range []struct{ name, waivers, wantKey, wantText string }{
		{"no reason", `[{"rule":"RDS.5"}]`, "policy.waivers[0].reason", "needs a reason"},
		{"blank reason", `[{"rule":"RDS.5","reason":"  "}]`, "policy.waivers[0].reason", "needs a reason"},
		{"misspelled key", `[{"rule":"RDS.5","reson":"cost"}]`, "policy.waivers[0].reson", "reason"},
		{"bad rule", `[{"rule":"rds five","reason":"cost"}]`, "policy.waivers[0].rule", "RDS.5"},
		{"repeated", `[{"rule":"RDS.5","reason":"cost"},{"rule":"RDS.5","reason":"again"}]`, "policy.waivers[1]", "repeats"},
		{"empty resource", `[{"rule":"RDS.5","resources":[""],"reason":"cost"}]`, "policy.waivers[0].resources[0]", "logical name"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := base()
			v["pushplatform:policy"] = `{"waivers":` + c.waivers + `}`
			_, err := Resolve("pushplatform", "test", v)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want config.Errors, got %v", err)
			}
			if !strings.Contains(strings.Join(errs.Keys(), " "), c.wantKey) || !strings.Contains(err.Error(), c.wantText) {
				t.Fatalf("errors %q do not name %s with %q", err, c.wantKey, c.wantText)
			}
		})
	}
}
