package config

import (
	"regexp"
	"strconv"
	"strings"
)

// BackupsInput is pushplatform:backups as written in the stack file.
type BackupsInput struct {
	// Enabled creates the AWS Backup vault, its key and the daily plan.
	Enabled *bool `json:"enabled"`
	// RetentionDays is how long each recovery point is kept.
	RetentionDays *int `json:"retentionDays"`
	// Schedule is the plan's cron expression, in UTC.
	Schedule *string `json:"schedule"`
	// ColdStorageAfterDays moves recovery points to cold storage (0 = never).
	ColdStorageAfterDays *int `json:"coldStorageAfterDays"`
	// VaultLock applies an AWS Backup Vault Lock in governance mode.
	VaultLock *bool `json:"vaultLock"`
	// Protect sets Pulumi protect and retainOnDelete on the vault and its key.
	Protect *bool `json:"protect"`
}

// Backups is the resolved backups configuration.
type Backups struct {
	Enabled              bool   `json:"enabled"`
	RetentionDays        int    `json:"retentionDays"`
	Schedule             string `json:"schedule"`
	ColdStorageAfterDays int    `json:"coldStorageAfterDays"`
	VaultLock            bool   `json:"vaultLock"`
	Protect              bool   `json:"protect"`
}

// The bounds a recovery point's retention must keep. The vault lock enforces
// the same bounds on every job that writes into the vault (scheduled,
// on-demand or copied), so config and lock agree: at least a week, so a typo
// such as 1 cannot leave a database with a single day of history, and at
// most a year, so nobody pays for storage by mistake.
const (
	MinBackupRetentionDays = 7
	MaxBackupRetentionDays = 365
)

// ColdStorageMinimumDays is how long AWS Backup keeps a recovery point in
// cold storage at the least, so retention must be at least this much past
// the transition (AWS Backup API reference, Lifecycle: DeleteAfterDays "must
// be at least 90 days after" MoveToColdStorageAfterDays).
const ColdStorageMinimumDays = 90

// DefaultBackupSchedule is AWS Backup's own default (05:00 UTC daily, API
// reference BackupRuleInput.ScheduleExpression): after the database's
// backup window (01:00-02:00) and maintenance window (Sunday 02:30-03:30)
// and the cache's windows, so the snapshot job never meets them.
const DefaultBackupSchedule = "cron(0 5 ? * * *)"

// backupCron is AWS's six-field cron (minutes hours day-of-month month
// day-of-week year) as AWS Backup takes it.
var backupCron = regexp.MustCompile(`^cron\(([^ ()]+) ([^ ()]+) ([^ ()]+) ([^ ()]+) ([^ ()]+) ([^ ()]+)\)$`)

func resolveBackups(in BackupsInput, highAvailability bool, p profile, errs *Errors) Backups {
	b := Backups{
		// dev goes without: its stores are destroyable by design and RDS's
		// one day of automated backups is all it keeps; a vault, a key
		// ($1 a month) and storage for data nobody restores would cost
		// more than they save. prod backs up by default.
		Enabled:              deref(in.Enabled, highAvailability),
		RetentionDays:        deref(in.RetentionDays, 7),
		Schedule:             deref(in.Schedule, DefaultBackupSchedule),
		ColdStorageAfterDays: deref(in.ColdStorageAfterDays, 0),
		Protect:              deref(in.Protect, p.ProtectData),
	}
	if highAvailability {
		// Five weeks: past the 35 days RDS and DynamoDB keep their own
		// point-in-time history, so the vault reaches further back.
		b.RetentionDays = deref(in.RetentionDays, 35)
	}
	b.VaultLock = deref(in.VaultLock, b.Enabled)

	if b.RetentionDays < MinBackupRetentionDays || b.RetentionDays > MaxBackupRetentionDays {
		errs.add("backups.retentionDays", quote(b.RetentionDays), "allowed %d to %d days (the vault lock refuses recovery points kept for less or more)",
			MinBackupRetentionDays, MaxBackupRetentionDays)
	}
	if problem := checkBackupCron(b.Schedule); problem != "" {
		errs.add("backups.schedule", quote(b.Schedule), "%s", problem)
	}
	switch {
	case b.ColdStorageAfterDays < 0:
		errs.add("backups.coldStorageAfterDays", quote(b.ColdStorageAfterDays), "allowed 0 (never) or a number of days")
	case b.ColdStorageAfterDays > 0 && b.RetentionDays < b.ColdStorageAfterDays+ColdStorageMinimumDays:
		errs.add("backups.coldStorageAfterDays", quote(b.ColdStorageAfterDays),
			"needs backups.retentionDays of at least %d: AWS Backup keeps a recovery point %d days in cold storage at the least (retention is %d; set 0 to stay warm)",
			b.ColdStorageAfterDays+ColdStorageMinimumDays, ColdStorageMinimumDays, b.RetentionDays)
	}
	if b.VaultLock && !b.Enabled {
		errs.add("backups.vaultLock", "true", "needs backups.enabled: there is no vault to lock")
	}
	return b
}

// checkBackupCron says what is wrong with a schedule, or "". It checks the
// shape AWS takes (six fields, exactly one of day-of-month and day-of-week
// "?") and that the job runs at most hourly: a single minute, because AWS
// Backup's most frequent schedule is hourly (unverified against the AWS
// Backup developer guide here).
func checkBackupCron(s string) string {
	m := backupCron.FindStringSubmatch(s)
	if m == nil {
		return `must be cron(minutes hours day-of-month month day-of-week year) in UTC, such as ` + DefaultBackupSchedule
	}
	minute, dom, dow := m[1], m[3], m[5]
	if (dom == "?") == (dow == "?") {
		return "exactly one of day-of-month and day-of-week must be ? (AWS cron)"
	}
	if n, err := strconv.Atoi(minute); err != nil || n < 0 || n > 59 {
		return "the minutes field must be one minute, 0 to 59: AWS Backup runs a plan at most hourly"
	}
	if strings.ContainsAny(m[2], "/") && !validHourStep(m[2]) {
		return "the hours field steps by at least 1 hour (such as */12 or 0/6)"
	}
	return ""
}

func validHourStep(field string) bool {
	_, step, _ := strings.Cut(field, "/")
	n, err := strconv.Atoi(step)
	return err == nil && n >= 1 && n <= 23
}
