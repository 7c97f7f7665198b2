package config

import (
	"errors"
	"slices"
	"testing"
)

func TestAlarmDefaultsPerProfile(t *testing.T) {
	dev := resolve(t, base())
	ha := base()
	ha["pushplatform:highAvailability"] = "true"
	prod := resolve(t, ha)

	if dev.Alarms.Enabled {
		t.Error("dev alarms enabled by default; want off (nobody is on call for the cheapest copy)")
	}
	if !prod.Alarms.Enabled {
		t.Error("prod alarms disabled by default; want on (the chaos experiments stop on them)")
	}
	if dev.Alarms.Email != "" || prod.Alarms.Email != "" {
		t.Errorf("email defaults dev=%q prod=%q, want none", dev.Alarms.Email, prod.Alarms.Email)
	}
	if prod.Alarms.DatabaseConnections <= dev.Alarms.DatabaseConnections {
		t.Errorf("prod databaseConnections %d not above dev's %d: prod's instance is four times larger",
			prod.Alarms.DatabaseConnections, dev.Alarms.DatabaseConnections)
	}
	if prod.Alarms.FirehoseFreshnessSeconds < 900 {
		t.Errorf("firehoseFreshnessSeconds %d is below Firehose's 900 s buffering maximum", prod.Alarms.FirehoseFreshnessSeconds)
	}
}

func TestAlarmOverrides(t *testing.T) {
	v := base()
	v["pushplatform:alarms"] = `{"enabled":true,"email":"ops@example.com","databaseCpuPercent":70,"queueBacklog":123}`
	a := resolve(t, v).Alarms
	if !a.Enabled || a.Email != "ops@example.com" || a.DatabaseCPUPercent != 70 || a.QueueBacklog != 123 {
		t.Errorf("overrides not applied: %+v", a)
	}
	if a.CacheMemoryPercent != alarmDefaults(false).CacheMemoryPercent {
		t.Errorf("unset key cacheMemoryPercent = %g, want the dev default", a.CacheMemoryPercent)
	}
}

func TestAlarmValidation(t *testing.T) {
	for _, tc := range []struct {
		json string
		key  string
	}{
		{`{"email":"not-an-address"}`, "alarms.email"},
		{`{"email":"a@b.com,c@d.com"}`, "alarms.email"},
		{`{"databaseCpuPercent":0}`, "alarms.databaseCpuPercent"},
		{`{"cacheMemoryPercent":101}`, "alarms.cacheMemoryPercent"},
		{`{"firehoseFreshnessSeconds":30}`, "alarms.firehoseFreshnessSeconds"},
		{`{"queueBacklog":0}`, "alarms.queueBacklog"},
		{`{"processorErrors":-1}`, "alarms.processorErrors"},
		{`{"thresholds":{}}`, "alarms.thresholds"},
	} {
		v := base()
		v["pushplatform:alarms"] = tc.json
		_, err := Resolve("pushplatform", "test", v)
		var errs Errors
		if !errors.As(err, &errs) || !slices.Contains(errs.Keys(), tc.key) {
			t.Errorf("%s: error %v, want one on %s", tc.json, err, tc.key)
		}
	}
}
