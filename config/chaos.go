package config

import (
	"regexp"
	"slices"
	"strings"
)

// ChaosInput is pushplatform:chaos as written in the stack file.
type ChaosInput struct {
	// Enabled creates the AWS FIS experiment templates.
	Enabled *bool `json:"enabled"`
	// AvailabilityZone is the AZ the zonal experiments hit (the tasks'
	// stop and the private subnets' cut); empty: the network's last AZ.
	AvailabilityZone *string `json:"availabilityZone"`
	// Service is the app whose tasks the task experiment stops.
	Service *string `json:"service"`
	// DurationMinutes is how long the AZ cut and the cache's AZ power
	// interruption last.
	DurationMinutes *int `json:"durationMinutes"`
}

// Chaos is the resolved chaos configuration.
type Chaos struct {
	// Enabled: on in the HA profile only. The templates cost nothing until
	// an experiment runs (FIS bills action-minutes), but they exercise what
	// HA promises: Multi-AZ MySQL, a cache replica in another AZ, two tasks
	// or more per service and three AZs. dev has none of that, so an
	// experiment there would only prove the outage it causes.
	Enabled          bool   `json:"enabled"`
	AvailabilityZone string `json:"availabilityZone"`
	Service          string `json:"service"`
	DurationMinutes  int    `json:"durationMinutes"`
}

// MaxChaosMinutes is FIS's longest action duration (PT12H; FIS actions
// reference: "from one minute to 12 hours").
const MaxChaosMinutes = 720

var azName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9][a-z]$`)

// Zone is the AZ the zonal experiments hit: the configured one, or the
// last of the network's. The last by default because the first holds the
// cache's primary (the cache experiment's own subject), so the AZ cut
// tests the service tier and the cache experiment the cache.
func (c Chaos) Zone(azs []string) string {
	if c.AvailabilityZone != "" || len(azs) == 0 {
		return c.AvailabilityZone
	}
	return azs[len(azs)-1]
}

func resolveChaos(in ChaosInput, highAvailability bool, p profile, errs *Errors) Chaos {
	c := Chaos{
		Enabled:          deref(in.Enabled, highAvailability),
		AvailabilityZone: deref(in.AvailabilityZone, ""),
		Service:          deref(in.Service, "producer"),
		DurationMinutes:  deref(in.DurationMinutes, 10),
	}
	if c.AvailabilityZone != "" && !azName.MatchString(c.AvailabilityZone) {
		errs.add("chaos.availabilityZone", quote(c.AvailabilityZone),
			"must be an AZ name such as eu-central-1c, one of network.availabilityZones; empty takes the last of them")
	}
	if services := AppNames(ServiceApp); !slices.Contains(services, c.Service) {
		errs.add("chaos.service", quote(c.Service), "allowed: %s (the app whose tasks the task experiment stops)", strings.Join(services, ", "))
	}
	if c.DurationMinutes < 1 || c.DurationMinutes > MaxChaosMinutes {
		errs.add("chaos.durationMinutes", quote(c.DurationMinutes), "allowed 1 to %d (FIS action durations run from one minute to 12 hours)", MaxChaosMinutes)
	}
	return c
}

// checkChaos refuses, with the rest of the config, experiments the stack
// could not run or stop: they need the alarms (their stop conditions), a
// MySQL standby and a cache replica to fail over to, an AZ of the stack's,
// and the service they stop.
func checkChaos(cfg *Config, errs *Errors) {
	c := cfg.Chaos
	if !c.Enabled {
		return
	}
	if !cfg.Alarms.Enabled {
		errs.add("chaos.enabled", "true", "needs alarms.enabled true: every experiment stops on the alarms that say users are being failed (or set chaos.enabled false)")
	}
	// Database and cache shapes the profile already refuses are not
	// reported twice.
	reported := func(key string) bool {
		return slices.ContainsFunc(*errs, func(e *FieldError) bool { return e.Key == key })
	}
	if !cfg.Database.MultiAZ && !reported("database.multiAz") {
		errs.add("chaos.enabled", "true", "needs database.multiAz true: the MySQL experiment forces a failover to the standby")
	}
	if cfg.Cache.Nodes < 2 && !reported("cache.nodes") {
		errs.add("chaos.enabled", "true", "needs cache.nodes 2 or more (is %d): the cache experiment cuts the primary's AZ, which needs a replica elsewhere to promote", cfg.Cache.Nodes)
	}
	if azs := cfg.Network.AvailabilityZones; c.AvailabilityZone != "" && len(azs) > 0 && !slices.Contains(azs, c.AvailabilityZone) {
		errs.add("chaos.availabilityZone", quote(c.AvailabilityZone), "must be one of network.availabilityZones (%s)", strings.Join(azs, ", "))
	}
	if c.Service == "pushmessages" && !(cfg.Logs.Enabled && cfg.Logs.Processing) {
		errs.add("chaos.service", quote(c.Service), "the Push Messages API runs only with logs.enabled and logs.processing; choose another service")
	}
}
