package config

import (
	"fmt"
	"strings"
)

// Effective flattens the resolved configuration into the keys a user sets
// (network.azCount, services.producer.cpu, ...) with the values in force,
// profile defaults included. The README's config reference is checked
// against it for both committed stacks.
func (c *Config) Effective() map[string]string {
	n := c.Network
	out := map[string]string{
		"highAvailability":                   fmt.Sprint(c.HighAvailability),
		"network.cidr":                       n.CIDR,
		"network.availabilityZones":          strings.Join(n.AvailabilityZones, ", "),
		"network.azCount":                    fmt.Sprint(len(n.AvailabilityZones)),
		"network.natGateways":                string(n.NATGateways),
		"network.flowLogRetentionDays":       fmt.Sprint(n.FlowLogRetentionDays),
		"network.allowTwoAzHighAvailability": fmt.Sprint(n.AllowTwoAZHighAvailability),
		"network.interfaceEndpoints":         strings.Join(n.InterfaceEndpoints, ", "),
		"network.natInstanceType":            n.NATInstanceType,
		"network.cloudFrontPrefixListId":     n.CloudFrontPrefixListID,
		"policy.waivers":                     fmt.Sprint(len(c.Policy.Waivers)),
	}
	for _, t := range n.Tiers {
		out["network."+strings.ToLower(string(t.Tier))+"SubnetMask"] = fmt.Sprint(t.Mask)
	}
	for _, s := range c.Services.Named() {
		prefix := "services." + s.Name + "."
		out[prefix+"cpu"] = fmt.Sprint(s.CPU)
		out[prefix+"memoryMiB"] = fmt.Sprint(s.MemoryMiB)
		out[prefix+"desiredCount"] = fmt.Sprint(s.DesiredCount)
		out[prefix+"minCount"] = fmt.Sprint(s.MinCount)
		out[prefix+"maxCount"] = fmt.Sprint(s.MaxCount)
	}
	d := c.Database
	for k, v := range map[string]any{
		"identifier": d.Identifier, "instanceClass": d.InstanceClass, "engineVersion": d.EngineVersion,
		"allocatedStorageGiB": d.AllocatedStorageGiB, "maxAllocatedStorageGiB": d.MaxAllocatedStorageGiB,
		"multiAz": d.MultiAZ, "backupRetentionDays": d.BackupRetentionDays, "deletionProtection": d.DeletionProtection,
		"performanceInsights": d.PerformanceInsights, "monitoringIntervalSeconds": d.MonitoringIntervalSeconds,
		"logRetentionDays": d.LogRetentionDays, "readReplicas": d.ReadReplicas, "protect": d.Protect,
	} {
		out["database."+k] = fmt.Sprint(v)
	}
	ca := c.Cache
	for k, v := range map[string]any{
		"engine": ca.Engine, "engineVersion": ca.EngineVersion, "nodeType": ca.NodeType, "nodes": ca.Nodes,
		"snapshotRetentionDays": ca.SnapshotRetentionDays, "logRetentionDays": ca.LogRetentionDays, "protect": ca.Protect,
	} {
		out["cache."+k] = fmt.Sprint(v)
	}
	t := c.Tables
	for k, v := range map[string]any{
		"routerTable": t.RouterTable, "messageTable": t.MessageTable, "pushMessagesTable": t.PushMessagesTable,
		"pointInTimeRecovery": t.PointInTimeRecovery, "deletionProtection": t.DeletionProtection, "protect": t.Protect,
	} {
		out["tables."+k] = fmt.Sprint(v)
	}
	b := c.Buckets
	for k, v := range map[string]any{
		"logRetentionDays": b.LogRetentionDays, "pushMessagesRetentionDays": b.PushMessagesRetentionDays,
		"noncurrentVersionDays": b.NoncurrentVersionDays, "protect": b.Protect,
	} {
		out["buckets."+k] = fmt.Sprint(v)
	}
	cl := c.Cluster
	for k, v := range map[string]any{
		"containerInsights": cl.ContainerInsights, "spot": cl.Spot, "namespace": cl.Namespace,
		"albIdleTimeoutSeconds": cl.ALBIdleTimeoutSeconds, "logRetentionDays": cl.LogRetentionDays,
	} {
		out["cluster."+k] = fmt.Sprint(v)
	}
	pu := c.Push
	for k, v := range map[string]any{
		"loadBalancer": pu.LoadBalancer, "tlsTermination": pu.TLSTermination, "certificateArn": pu.CertificateArn, "tlsSecretArn": pu.TLSSecretArn,
		"expectedConnections": pu.ExpectedConnections, "connectionsPerTask": pu.ConnectionsPerTask,
		"idleTimeoutSeconds": pu.IdleTimeoutSeconds, "drainSeconds": pu.DrainSeconds,
	} {
		out["push."+k] = fmt.Sprint(v)
	}
	out["pushCryptoKey"] = "generated"
	if c.PushCryptoKey != "" {
		out["pushCryptoKey"] = "(secret, from config)"
	}
	lg := c.Logs
	for k, v := range map[string]any{
		"enabled": lg.Enabled, "processing": lg.Processing, "bufferSeconds": lg.BufferSeconds, "bufferMiB": lg.BufferMiB,
		"processorMemoryMiB": lg.ProcessorMemoryMiB, "processorTimeoutSeconds": lg.ProcessorTimeoutSeconds,
		"processorConcurrency": lg.ProcessorConcurrency, "messagesPerKey": lg.MessagesPerKey, "retentionDays": lg.RetentionDays,
	} {
		out["logs."+k] = fmt.Sprint(v)
	}
	fe := c.Frontend
	out["frontend.priceClass"] = fe.PriceClass
	out["frontend.certificateArn"] = fe.CertificateArn
	out["frontend.aliases"] = strings.Join(fe.Aliases, ",")
	dm := c.Domain
	for k, v := range map[string]string{
		"name": dm.Name, "hostedZoneId": dm.HostedZoneID, "siteHost": dm.SiteHost, "apiHost": dm.APIHost, "pushHost": dm.PushHost,
	} {
		out["domain."+k] = v
	}
	a := c.Artifacts
	out["artifacts.mode"] = a.Mode
	out["artifacts.protect"] = fmt.Sprint(a.Protect)
	for _, app := range AppNames(ServiceApp) {
		out["artifacts.images."+app] = a.Image(app)
	}
	for _, app := range AppNames(FunctionApp) {
		out["artifacts.packages."+app] = a.Package(app)
	}
	for _, app := range AppNames(SiteApp) {
		out["artifacts.sites."+app] = a.Site(app)
	}
	bk := c.Backups
	for k, v := range map[string]any{
		"enabled": bk.Enabled, "retentionDays": bk.RetentionDays, "schedule": bk.Schedule,
		"coldStorageAfterDays": bk.ColdStorageAfterDays, "vaultLock": bk.VaultLock, "protect": bk.Protect,
	} {
		out["backups."+k] = fmt.Sprint(v)
	}
	ch := c.Chaos
	out["chaos.enabled"] = fmt.Sprint(ch.Enabled)
	out["chaos.availabilityZone"] = ch.Zone(c.Network.AvailabilityZones)
	out["chaos.service"] = ch.Service
	out["chaos.durationMinutes"] = fmt.Sprint(ch.DurationMinutes)
	al := c.Alarms
	for k, v := range map[string]any{
		"enabled": al.Enabled, "email": al.Email,
		"databaseCpuPercent": al.DatabaseCPUPercent, "databaseFreeStorageGiB": al.DatabaseFreeStorageGiB, "databaseConnections": al.DatabaseConnections,
		"cacheCpuPercent": al.CacheCPUPercent, "cacheEngineCpuPercent": al.CacheEngineCPUPercent, "cacheMemoryPercent": al.CacheMemoryPercent,
		"cacheReplicationLagSeconds": al.CacheReplicationLagSeconds, "http5xxPerMinute": al.HTTP5xxPerMinute,
		"responseTimeSeconds": al.ResponseTimeSeconds, "nlbResetsPerMinute": al.NLBResetsPerMinute,
		"serviceCpuPercent": al.ServiceCPUPercent, "serviceMemoryPercent": al.ServiceMemoryPercent,
		"queueBacklog": al.QueueBacklog, "processorErrors": al.ProcessorErrors, "firehoseFreshnessSeconds": al.FirehoseFreshnessSeconds,
	} {
		out["alarms."+k] = fmt.Sprint(v)
	}
	return out
}
