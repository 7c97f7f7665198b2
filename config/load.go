package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"reflect"
	"slices"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Keys are the project's top-level config keys, as Pulumi.yaml declares them.
var Keys = []string{"highAvailability", "network", "services", "database", "cache", "tables", "buckets", "cluster", "frontend", "push", "pushCryptoKey", "logs", "artifacts", "policy", "alarms", "backups", "domain", "chaos"}

// SubKeys lists the keys each object-valued key accepts, for the README's
// config reference and its test. App-keyed maps appear once per declared
// app: services.<app> and artifacts.images / artifacts.packages.
func SubKeys() map[string][]string {
	out := map[string][]string{
		"network":  jsonKeys(reflect.TypeFor[NetworkInput]()),
		"database": jsonKeys(reflect.TypeFor[DatabaseInput]()),
		"cache":    jsonKeys(reflect.TypeFor[CacheInput]()),
		"tables":   jsonKeys(reflect.TypeFor[TablesInput]()),
		"buckets":  jsonKeys(reflect.TypeFor[BucketsInput]()),
		// cluster.certificateArn is read only to refuse it with a pointer
		// to frontend.certificateArn.
		"cluster":   slices.DeleteFunc(jsonKeys(reflect.TypeFor[ClusterInput]()), func(k string) bool { return k == "certificateArn" }),
		"frontend":  jsonKeys(reflect.TypeFor[FrontendInput]()),
		"push":      jsonKeys(reflect.TypeFor[PushInput]()),
		"logs":      jsonKeys(reflect.TypeFor[LogsInput]()),
		"artifacts": {"mode", "protect"},
		"policy":    jsonKeys(reflect.TypeFor[PolicyInput]()),
		"alarms":    jsonKeys(reflect.TypeFor[AlarmsInput]()),
		"backups":   jsonKeys(reflect.TypeFor[BackupsInput]()),
		"domain":    jsonKeys(reflect.TypeFor[DomainInput]()),
		"chaos":     jsonKeys(reflect.TypeFor[ChaosInput]()),
	}
	serviceKeys := jsonKeys(reflect.TypeFor[ServiceInput]())
	for _, name := range AppNames(ServiceApp) {
		out["services."+name] = serviceKeys
	}
	out["artifacts.images"] = AppNames(ServiceApp)
	out["artifacts.packages"] = AppNames(FunctionApp)
	out["artifacts.sites"] = AppNames(SiteApp)
	return out
}

// Load reads and validates the whole stack configuration. It runs before any
// resource is registered: on error nothing has been created, and the error
// lists every problem at once (config.Errors).
//
// Values are read through ctx.GetConfig and parsed here with strict parsers,
// because the SDK's plain getters return zero values on parse errors. The
// list of keys comes from PULUMI_CONFIG, the variable through which the
// engine (and the mock harness) hands a Go program its whole stack config, so
// that a misspelled key is reported instead of silently ignored.
func Load(ctx *pulumi.Context) (*Config, error) {
	keys, err := configuredKeys(os.Getenv("PULUMI_CONFIG"))
	if err != nil {
		return nil, err
	}
	values := map[string]string{}
	for _, k := range keys {
		if v, ok := ctx.GetConfig(k); ok {
			values[k] = v
		}
	}
	return Resolve(ctx.Project(), ctx.Stack(), values)
}

func configuredKeys(env string) ([]string, error) {
	if env == "" {
		return nil, nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(env), &m); err != nil {
		return nil, fmt.Errorf("PULUMI_CONFIG is not a JSON object: %w", err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys, nil
}

// Resolve validates the raw config values of a stack (keys with their
// namespace, "pushplatform:network", "aws:region") and resolves them against
// the profile. It is pure, so tests exercise it without the Pulumi engine.
func Resolve(project, stack string, values map[string]string) (*Config, error) {
	var errs Errors
	prefix := project + ":"
	checkKeys(project, values, &errs)

	cfg := &Config{Project: project, Stack: stack}

	cfg.Region = values["aws:region"]
	if !regionPattern.MatchString(cfg.Region) {
		errs.add("aws:region", quote(cfg.Region), "must be an AWS region name such as eu-central-1; set it with `pulumi config set aws:region eu-central-1`")
	}

	if raw, ok := values[prefix+"highAvailability"]; ok {
		ha, err := strconv.ParseBool(raw)
		if err != nil {
			errs.add("highAvailability", quote(raw), "allowed: true (the HA profile: 3 AZs, NAT per AZ, 2+ tasks) or false (the cheapest working copy)")
		}
		cfg.HighAvailability = ha
	}

	var (
		network   NetworkInput
		services  map[string]*ServiceInput
		database  DatabaseInput
		cache     CacheInput
		tables    TablesInput
		buckets   BucketsInput
		cluster   ClusterInput
		frontend  FrontendInput
		push      PushInput
		logs      LogsInput
		artifacts ArtifactsInput
		policy    PolicyInput
		alarms    AlarmsInput
		backups   BackupsInput
		domain    DomainInput
		chaos     ChaosInput
	)
	objects := []struct {
		key  string
		into any
	}{
		{"network", &network}, {"database", &database}, {"cache", &cache}, {"tables", &tables},
		{"buckets", &buckets}, {"cluster", &cluster}, {"frontend", &frontend}, {"push", &push}, {"logs", &logs}, {"artifacts", &artifacts},
		{"policy", &policy}, {"alarms", &alarms}, {"backups", &backups}, {"domain", &domain}, {"chaos", &chaos},
	}
	for _, o := range objects {
		if raw, ok := values[prefix+o.key]; ok {
			decodeStrict(o.key, []byte(raw), o.into, &errs)
		}
	}
	if raw, ok := values[prefix+"services"]; ok {
		services = decodeAppMap[ServiceInput]("services", []byte(raw), ServiceApp, &errs)
	}

	p := profileFor(cfg.HighAvailability)
	checkStackName(stack, &errs)
	cfg.Network = resolveNetwork(network, cfg.Region, cfg.HighAvailability, p, &errs)
	cfg.Services = Services{}
	for _, name := range AppNames(ServiceApp) {
		cfg.Services[name] = resolveService(name, services[name], cfg.HighAvailability, p, &errs)
	}
	cfg.Database = resolveDatabase(database, project, stack, p, &errs)
	cfg.Cache = resolveCache(cache, cfg.HighAvailability, p, &errs)
	cfg.Tables = resolveTables(tables, project, stack, p, &errs)
	cfg.Buckets = resolveBuckets(buckets, p, &errs)
	cfg.Artifacts = resolveArtifacts(artifacts, p, &errs)
	cfg.Cluster = resolveCluster(cluster, stack, cfg.HighAvailability, p, &errs)
	cfg.Frontend = resolveFrontend(frontend, p, &errs)
	cfg.Push = resolvePush(push, cfg.Services, cfg.Region, p, &errs)
	cfg.Logs = resolveLogs(logs, cfg.Network, p, &errs)
	cfg.Policy = resolvePolicy(policy, &errs)
	cfg.Alarms = resolveAlarms(alarms, cfg.HighAvailability, p, &errs)
	cfg.Backups = resolveBackups(backups, cfg.HighAvailability, p, &errs)
	cfg.Domain = resolveDomain(domain, cfg.HighAvailability, p, &errs)
	if err := CheckDomainSources(cfg.Domain, cfg.Frontend, cfg.Push); err != nil {
		var more Errors
		if errors.As(err, &more) {
			errs = append(errs, more...)
		}
	}
	cfg.Chaos = resolveChaos(chaos, cfg.HighAvailability, p, &errs)
	checkChaos(cfg, &errs)
	cfg.Services["autoconnect"] = sizeAutoconnect(cfg.Push, cfg.Services["autoconnect"], &errs)
	if key, ok := values[prefix+"pushCryptoKey"]; ok && key != "" {
		if err := CheckFernetKey(key); err != nil {
			errs.add("pushCryptoKey", "(secret)", "%v", err)
		}
		cfg.PushCryptoKey = key
	}

	if len(errs) > 0 {
		sort.SliceStable(errs, func(i, j int) bool { return errs[i].Key < errs[j].Key })
		return nil, errs
	}
	return cfg, nil
}
