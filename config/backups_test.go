package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestBackupsProfiles(t *testing.T) {
	dev := resolve(t, withSetting(false, "backups", "")).Backups
	if dev.Enabled || dev.VaultLock || dev.Protect {
		t.Errorf("dev backups = %+v, want off, unlocked, unprotected", dev)
	}
	prod := resolve(t, withSetting(true, "backups", "")).Backups
	want := Backups{Enabled: true, RetentionDays: 35, Schedule: DefaultBackupSchedule, VaultLock: true, Protect: true}
	if prod != want {
		t.Errorf("prod backups = %+v, want %+v", prod, want)
	}
	// dev turned on keeps a week, locked like prod's vault.
	on := resolve(t, withSetting(false, "backups", `{"enabled":true}`)).Backups
	if !on.Enabled || on.RetentionDays != 7 || !on.VaultLock || on.Protect {
		t.Errorf("dev with backups.enabled = %+v", on)
	}
}

func TestBackupsAccepted(t *testing.T) {
	for _, in := range []string{
		`{"retentionDays":7}`,
		`{"retentionDays":365,"coldStorageAfterDays":275}`,
		`{"retentionDays":120,"coldStorageAfterDays":30}`,
		`{"schedule":"cron(30 2 ? * SUN *)"}`,
		`{"schedule":"cron(0 */12 * * ? *)"}`,
		`{"schedule":"cron(15 4 1 * ? *)"}`,
		`{"vaultLock":false}`,
	} {
		if _, err := Resolve("pushplatform", "test", withSetting(true, "backups", in)); err != nil {
			t.Errorf("%s: %v", in, err)
		}
	}
}

func TestBackupsRefused(t *testing.T) {
	for _, c := range []struct {
		ha       bool
		in, key  string
		contains string
	}{
		{true, `{"retentionDays":6}`, "backups.retentionDays", "7 to 365"},
		{true, `{"retentionDays":366}`, "backups.retentionDays", "7 to 365"},
		// The 90-day cold storage minimum: 35 days cannot go cold at all.
		{true, `{"coldStorageAfterDays":1}`, "backups.coldStorageAfterDays", "at least 91"},
		{true, `{"retentionDays":120,"coldStorageAfterDays":31}`, "backups.coldStorageAfterDays", "at least 121"},
		{true, `{"coldStorageAfterDays":-1}`, "backups.coldStorageAfterDays", "0 (never)"},
		{true, `{"schedule":"0 5 * * *"}`, "backups.schedule", "cron(minutes hours"},
		{true, `{"schedule":"cron(0 5 * * * *)"}`, "backups.schedule", "exactly one"},
		{true, `{"schedule":"cron(0 5 ? * ? *)"}`, "backups.schedule", "exactly one"},
		{true, `{"schedule":"cron(*/5 * ? * * *)"}`, "backups.schedule", "at most hourly"},
		{true, `{"schedule":"cron(0 0/0 ? * * *)"}`, "backups.schedule", "at least 1 hour"},
		{false, `{"vaultLock":true}`, "backups.vaultLock", "needs backups.enabled"},
		{true, `{"retentionDay":35}`, "backups.retentionDay", "retentionDays"},
	} {
		_, err := Resolve("pushplatform", "test", withSetting(c.ha, "backups", c.in))
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

func TestBackupsEffective(t *testing.T) {
	eff := resolve(t, withSetting(true, "backups", "")).Effective()
	for k, want := range map[string]string{
		"backups.enabled": "true", "backups.retentionDays": "35", "backups.schedule": DefaultBackupSchedule,
		"backups.coldStorageAfterDays": "0", "backups.vaultLock": "true", "backups.protect": "true",
	} {
		if eff[k] != want {
			t.Errorf("Effective()[%s] = %q, want %q", k, eff[k], want)
		}
	}
}
