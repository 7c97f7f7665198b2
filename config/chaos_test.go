package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func withChaos(ha bool, chaos string) map[string]string {
	v := base()
	if ha {
		v["pushplatform:highAvailability"] = "true"
	}
	if chaos != "" {
		v["pushplatform:chaos"] = chaos
	}
	return v
}

func TestChaosProfiles(t *testing.T) {
	dev := resolve(t, withChaos(false, "")).Chaos
	if dev != (Chaos{Enabled: false, Service: "producer", DurationMinutes: 10}) {
		t.Errorf("dev chaos = %+v, want off", dev)
	}
	prod := resolve(t, withChaos(true, ""))
	if want := (Chaos{Enabled: true, Service: "producer", DurationMinutes: 10}); prod.Chaos != want {
		t.Errorf("prod chaos = %+v, want %+v", prod.Chaos, want)
	}
	// The last AZ by default; the first holds the cache primary.
	if z := prod.Chaos.Zone(prod.Network.AvailabilityZones); z != "eu-central-1c" {
		t.Errorf("default zone %q, want the last AZ", z)
	}
	set := resolve(t, withChaos(true, `{"enabled":false,"availabilityZone":"eu-central-1b","service":"autoconnect","durationMinutes":720}`)).Chaos
	if set != (Chaos{AvailabilityZone: "eu-central-1b", Service: "autoconnect", DurationMinutes: 720}) || set.Zone([]string{"eu-central-1a"}) != "eu-central-1b" {
		t.Errorf("chaos with every key = %+v", set)
	}
}

func TestChaosRefused(t *testing.T) {
	for _, c := range []struct{ in, key, contains string }{
		{`{"availabilityZone":"euc1-az2"}`, "chaos.availabilityZone", "AZ name such as"},
		{`{"availabilityZone":"eu-central-1"}`, "chaos.availabilityZone", "AZ name such as"},
		{`{"service":"migrate"}`, "chaos.service", "producer, consumer"},
		{`{"durationMinutes":0}`, "chaos.durationMinutes", "1 to 720"},
		{`{"durationMinutes":721}`, "chaos.durationMinutes", "1 to 720"},
		{`{"enable":true}`, "chaos.enable", "enabled"},
	} {
		_, err := Resolve("pushplatform", "test", withChaos(true, c.in))
		var errs Errors
		if !errors.As(err, &errs) {
			t.Errorf("%s: err = %v, want config.Errors", c.in, err)
			continue
		}
		i := slices.IndexFunc(errs, func(e *FieldError) bool { return e.Key == c.key })
		if i < 0 {
			t.Errorf("%s: errors %v, want one for %s", c.in, errs.Keys(), c.key)
			continue
		}
		if msg := errs[i].Error(); !strings.Contains(msg, c.contains) {
			t.Errorf("%s: %q does not say %q", c.in, msg, c.contains)
		}
	}
}

func TestChaosEffective(t *testing.T) {
	eff := resolve(t, withChaos(true, "")).Effective()
	for k, want := range map[string]string{
		"chaos.enabled": "true", "chaos.availabilityZone": "eu-central-1c", "chaos.service": "producer", "chaos.durationMinutes": "10",
	} {
		if eff[k] != want {
			t.Errorf("Effective()[%s] = %q, want %q", k, eff[k], want)
		}
	}
}
