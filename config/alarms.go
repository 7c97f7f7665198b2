package config

import "regexp"

// AlarmsInput is pushplatform:alarms as written in the stack file. Every
// threshold is optional; the profile supplies the rest.
type AlarmsInput struct {
	Enabled *bool   `json:"enabled"`
	Email   *string `json:"email"`

	DatabaseCPUPercent     *float64 `json:"databaseCpuPercent"`
	DatabaseFreeStorageGiB *float64 `json:"databaseFreeStorageGiB"`
	DatabaseConnections    *int     `json:"databaseConnections"`

	CacheCPUPercent            *float64 `json:"cacheCpuPercent"`
	CacheEngineCPUPercent      *float64 `json:"cacheEngineCpuPercent"`
	CacheMemoryPercent         *float64 `json:"cacheMemoryPercent"`
	CacheReplicationLagSeconds *float64 `json:"cacheReplicationLagSeconds"`

	HTTP5xxPerMinute    *int     `json:"http5xxPerMinute"`
	ResponseTimeSeconds *float64 `json:"responseTimeSeconds"`
	NLBResetsPerMinute  *int     `json:"nlbResetsPerMinute"`

	ServiceCPUPercent    *float64 `json:"serviceCpuPercent"`
	ServiceMemoryPercent *float64 `json:"serviceMemoryPercent"`

	QueueBacklog             *int `json:"queueBacklog"`
	ProcessorErrors          *int `json:"processorErrors"`
	FirehoseFreshnessSeconds *int `json:"firehoseFreshnessSeconds"`
}

// Alarms is the resolved alarms configuration: whether the stack has its
// alarm topic, alarms and dashboard at all, who is mailed, and the
// thresholds (components/observability says per alarm how each is read).
type Alarms struct {
	// Enabled creates the KMS key, the SNS topic, the alarms and the
	// dashboard. Off by default in dev: nobody is on call for the cheapest
	// copy, and its 45 alarms, the dashboard and the key would add about
	// $9 a month to it.
	Enabled bool `json:"enabled"`
	// Email subscribes one address to the topic; empty: no subscription.
	// AWS mails a confirmation link first; until it is followed the
	// subscription stays pending and delivers nothing.
	Email string `json:"email"`

	DatabaseCPUPercent     float64 `json:"databaseCpuPercent"`
	DatabaseFreeStorageGiB float64 `json:"databaseFreeStorageGiB"`
	DatabaseConnections    int     `json:"databaseConnections"`

	CacheCPUPercent            float64 `json:"cacheCpuPercent"`
	CacheEngineCPUPercent      float64 `json:"cacheEngineCpuPercent"`
	CacheMemoryPercent         float64 `json:"cacheMemoryPercent"`
	CacheReplicationLagSeconds float64 `json:"cacheReplicationLagSeconds"`

	// HTTP5xxPerMinute is per load balancer (ELB-generated) and per target
	// group (target-generated) 5xx responses in a minute.
	HTTP5xxPerMinute int `json:"http5xxPerMinute"`
	// ResponseTimeSeconds bounds the p95 target response time.
	ResponseTimeSeconds float64 `json:"responseTimeSeconds"`
	// NLBResetsPerMinute bounds the RST packets the NLB itself generates.
	NLBResetsPerMinute int `json:"nlbResetsPerMinute"`

	ServiceCPUPercent    float64 `json:"serviceCpuPercent"`
	ServiceMemoryPercent float64 `json:"serviceMemoryPercent"`

	// QueueBacklog is the consumer queue's backlog (entries) that means
	// the consumers are not keeping up.
	QueueBacklog int `json:"queueBacklog"`
	// ProcessorErrors is failed push-processor invocations in 5 minutes.
	ProcessorErrors int `json:"processorErrors"`
	// FirehoseFreshnessSeconds bounds the age of the oldest record not yet
	// in S3.
	FirehoseFreshnessSeconds int `json:"firehoseFreshnessSeconds"`
}

// emailPattern is a plausible single address: SNS validates it for real
// when it mails the confirmation.
var emailPattern = regexp.MustCompile(`^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$`)

// alarmDefaults are each profile's thresholds. prod's reflect its sizes:
// db.t4g.medium's default max_connections is about 300
// ({DBInstanceClassMemory/12582880}), db.t4g.micro's about 60-85.
func alarmDefaults(highAvailability bool) Alarms {
	d := Alarms{
		DatabaseCPUPercent: 80, DatabaseFreeStorageGiB: 5, DatabaseConnections: 50,
		// Host CPU: AWS suggests 90 % of one core, divided by the cores
		// (ElastiCache user guide, "Which Metrics Should I Monitor?"):
		// 45 % on the profiles' two-vCPU t4g nodes. Memory has no eviction
		// to fall back on (noeviction: the cache holds the queue).
		CacheCPUPercent: 45, CacheEngineCPUPercent: 80, CacheMemoryPercent: 80, CacheReplicationLagSeconds: 5,
		HTTP5xxPerMinute: 10, ResponseTimeSeconds: 1, NLBResetsPerMinute: 100,
		ServiceCPUPercent: 90, ServiceMemoryPercent: 90,
		// 2 consumers can hold 1,000 each before autoscaling adds more
		// (producerconsumer.BacklogPerTask).
		QueueBacklog: 5000, ProcessorErrors: 5,
		FirehoseFreshnessSeconds: 900,
	}
	if highAvailability {
		d.Enabled = true
		d.DatabaseFreeStorageGiB = 10
		d.DatabaseConnections = 240 // ~80 % of db.t4g.medium's ~300
		// Six consumers (maxCount) at 1,000 each, with room to catch up.
		d.QueueBacklog = 10000
	}
	return d
}

// resolveAlarms fills the profile's defaults and checks every threshold.
func resolveAlarms(in AlarmsInput, highAvailability bool, _ profile, errs *Errors) Alarms {
	d := alarmDefaults(highAvailability)
	a := Alarms{
		Enabled:                    deref(in.Enabled, d.Enabled),
		Email:                      deref(in.Email, ""),
		DatabaseCPUPercent:         deref(in.DatabaseCPUPercent, d.DatabaseCPUPercent),
		DatabaseFreeStorageGiB:     deref(in.DatabaseFreeStorageGiB, d.DatabaseFreeStorageGiB),
		DatabaseConnections:        deref(in.DatabaseConnections, d.DatabaseConnections),
		CacheCPUPercent:            deref(in.CacheCPUPercent, d.CacheCPUPercent),
		CacheEngineCPUPercent:      deref(in.CacheEngineCPUPercent, d.CacheEngineCPUPercent),
		CacheMemoryPercent:         deref(in.CacheMemoryPercent, d.CacheMemoryPercent),
		CacheReplicationLagSeconds: deref(in.CacheReplicationLagSeconds, d.CacheReplicationLagSeconds),
		HTTP5xxPerMinute:           deref(in.HTTP5xxPerMinute, d.HTTP5xxPerMinute),
		ResponseTimeSeconds:        deref(in.ResponseTimeSeconds, d.ResponseTimeSeconds),
		NLBResetsPerMinute:         deref(in.NLBResetsPerMinute, d.NLBResetsPerMinute),
		ServiceCPUPercent:          deref(in.ServiceCPUPercent, d.ServiceCPUPercent),
		ServiceMemoryPercent:       deref(in.ServiceMemoryPercent, d.ServiceMemoryPercent),
		QueueBacklog:               deref(in.QueueBacklog, d.QueueBacklog),
		ProcessorErrors:            deref(in.ProcessorErrors, d.ProcessorErrors),
		FirehoseFreshnessSeconds:   deref(in.FirehoseFreshnessSeconds, d.FirehoseFreshnessSeconds),
	}
	if a.Email != "" && !emailPattern.MatchString(a.Email) {
		errs.add("alarms.email", quote(a.Email), "must be one e-mail address such as ops@example.com (SNS mails it a confirmation link), or empty for no subscription")
	}
	checkBounds(errs, "alarms", []bounded[float64]{
		{"databaseCpuPercent", a.DatabaseCPUPercent, 1, 100, "a percentage of the instance's CPU"},
		{"databaseFreeStorageGiB", a.DatabaseFreeStorageGiB, 1, 1000, "GiB of free storage left; storage autoscaling grows the volume before it is full"},
		{"cacheCpuPercent", a.CacheCPUPercent, 1, 100, "a percentage of the node's host CPU"},
		{"cacheEngineCpuPercent", a.CacheEngineCPUPercent, 1, 100, "a percentage of the engine thread's CPU"},
		{"cacheMemoryPercent", a.CacheMemoryPercent, 1, 100, "a percentage of maxmemory"},
		{"cacheReplicationLagSeconds", a.CacheReplicationLagSeconds, 0.1, 3600, "seconds a replica trails the primary"},
		{"responseTimeSeconds", a.ResponseTimeSeconds, 0.01, 60, "seconds at the 95th percentile"},
		{"serviceCpuPercent", a.ServiceCPUPercent, 1, 100, "a percentage of the tasks' reserved CPU"},
		{"serviceMemoryPercent", a.ServiceMemoryPercent, 1, 100, "a percentage of the tasks' reserved memory"},
	})
	checkBounds(errs, "alarms", []bounded[int]{
		{"databaseConnections", a.DatabaseConnections, 1, 100000, "open connections; keep it below max_connections"},
		{"http5xxPerMinute", a.HTTP5xxPerMinute, 1, 1000000, "5xx responses a minute"},
		{"nlbResetsPerMinute", a.NLBResetsPerMinute, 1, 1000000, "resets a minute"},
		{"queueBacklog", a.QueueBacklog, 1, 100000000, "queue entries waiting"},
		{"processorErrors", a.ProcessorErrors, 1, 100000, "failed invocations in 5 minutes"},
		// Firehose buffers up to 900 s (its maximum interval): fresher
		// than that is normal.
		{"firehoseFreshnessSeconds", a.FirehoseFreshnessSeconds, 60, 86400, "seconds; Firehose buffers records for up to 900 s"},
	})
	return a
}
