package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestChaosProfiles(t *testing.T) {
	dev := resolve(t, withSetting(false, "chaos", "")).Chaos
	if dev != (Chaos{Enabled: false, Service: "producer", DurationMinutes: 10}) {
		t.Errorf("dev chaos = %+v, want off", dev)
	}
	prod := resolve(t, withSetting(true, "chaos", ""))
	if want := (Chaos{Enabled: true, Service: "producer", DurationMinutes: 10}); prod.Chaos != want {
		t.Errorf("prod chaos = %+v, want %+v", prod.Chaos, want)
	}
	// The last AZ by default; the first holds the cache primary.
	if z := prod.Chaos.Zone(prod.Network.AvailabilityZones); z != "eu-central-1c" {
		t.Errorf("default zone %q, want the last AZ", z)
	}
	set := resolve(t, withSetting(true, "chaos", `{"enabled":false,"availabilityZone":"eu-central-1b","service":"autoconnect","durationMinutes":720}`)).Chaos
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
		_, err := Resolve("pushplatform", "test", withSetting(true, "chaos", c.in))
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
	eff := resolve(t, withSetting(true, "chaos", "")).Effective()
	for k, want := range map[string]string{
		"chaos.enabled": "true", "chaos.availabilityZone": "eu-central-1c", "chaos.service": "producer", "chaos.durationMinutes": "10",
	} {
		if eff[k] != want {
			t.Errorf("Effective()[%s] = %q, want %q", k, eff[k], want)
		}
	}
}

// TestChaosNeedsWhatItExercises: experiments the stack could not run or
// stop are refused with the config, naming the key to change.
func TestChaosNeedsWhatItExercises(t *testing.T) {
	for _, c := range []struct {
		edit          map[string]string
		key, contains string
	}{
		{map[string]string{"pushplatform:alarms": `{"enabled":false}`}, "chaos.enabled", "alarms.enabled"},
		{map[string]string{"pushplatform:database": `{"multiAz":false}`}, "chaos.enabled", "database.multiAz"},
		// Under HA the cache's own check refuses one node; chaos adds nothing.
		{map[string]string{"pushplatform:cache": `{"nodes":1}`}, "cache.nodes", "2 or more"},
		// Without HA (the dev profile) chaos names what it lacks.
		{map[string]string{"pushplatform:highAvailability": "false", "pushplatform:chaos": `{"enabled":true}`, "pushplatform:alarms": `{"enabled":true}`},
			"chaos.enabled", "cache.nodes 2 or more (is 1)"},
		{map[string]string{"pushplatform:highAvailability": "false", "pushplatform:chaos": `{"enabled":true}`, "pushplatform:alarms": `{"enabled":true}`},
			"chaos.enabled", "database.multiAz"},
		{map[string]string{"pushplatform:chaos": `{"availabilityZone":"eu-west-1a"}`}, "chaos.availabilityZone", "eu-central-1a, eu-central-1b, eu-central-1c"},
		{map[string]string{"pushplatform:chaos": `{"service":"pushmessages"}`, "pushplatform:logs": `{"enabled":false}`}, "chaos.service", "logs.processing"},
	} {
		v := withSetting(true, "chaos", "")
		for k, x := range c.edit {
			v[k] = x
		}
		_, err := Resolve("pushplatform", "test", v)
		var errs Errors
		if !errors.As(err, &errs) {
			t.Errorf("%v: err = %v, want config.Errors", c.edit, err)
			continue
		}
		i := slices.IndexFunc(errs, func(e *FieldError) bool { return e.Key == c.key && strings.Contains(e.Error(), c.contains) })
		if i < 0 {
			t.Errorf("%v: errors %v, want %s saying %q", c.edit, errs, c.key, c.contains)
		}
	}
	if _, err := Resolve("pushplatform", "test", withSetting(true, "chaos", "")); err != nil {
		t.Errorf("the HA profile with chaos: %v", err)
	}
}
