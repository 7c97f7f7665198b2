package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Store is one stateful store as the plan lists it, read from the recorded
// resources (what would be created, not what the config asked for).
type Store struct {
	Kind       string   `json:"kind"` // mysql, cache, table, bucket
	Name       string   `json:"name"`
	Properties []string `json:"properties"`
	Protected  bool     `json:"protected"`
}

// Stores lists the databases, caches, tables and buckets of a run.
func (r *Result) Stores() []Store {
	var out []Store
	for _, db := range r.OfType("aws:rds/instance:Instance") {
		var p []string
		if src := db.InputString("replicateSourceDb"); src != "" {
			p = append(p, "read replica of "+src)
		} else {
			p = append(p, fmt.Sprintf("%s %s", db.InputString("engine"), db.InputString("engineVersion")))
		}
		p = append(p, db.InputString("instanceClass"),
			onOff(db.Input("multiAz"), "Multi-AZ", "single-AZ"),
			fmt.Sprintf("%v GiB %s (autoscaling to %v)", db.Input("allocatedStorage"), db.InputString("storageType"), db.Input("maxAllocatedStorage")),
			onOff(db.Input("storageEncrypted"), "encrypted", "NOT encrypted"),
			"backups "+Days(db.Input("backupRetentionPeriod")),
			onOff(db.Input("deletionProtection"), "deletion protection", "no deletion protection"),
			onOff(db.Input("skipFinalSnapshot"), "no final snapshot", "final snapshot "+db.InputString("finalSnapshotIdentifier")),
			onOff(db.Input("performanceInsightsEnabled"), "Performance Insights", "no Performance Insights"),
			onOff(db.Input("manageMasterUserPassword"), "RDS-managed master secret", "password in config"),
		)
		out = append(out, Store{Kind: "mysql", Name: db.Name, Properties: clean(p), Protected: db.Protect && db.RetainOnDelete})
	}
	for _, rg := range r.OfType("aws:elasticache/replicationGroup:ReplicationGroup") {
		azs, _ := rg.Input("preferredCacheClusterAzs").([]any)
		p := []string{
			fmt.Sprintf("%s %s", rg.InputString("engine"), rg.InputString("engineVersion")),
			fmt.Sprintf("%v x %s in %v", rg.Input("numCacheClusters"), rg.InputString("nodeType"), azs),
			onOff(rg.Input("automaticFailoverEnabled"), "automatic failover", "no failover"),
			onOff(rg.Input("multiAzEnabled"), "Multi-AZ", "single-AZ"),
			onOff(rg.Input("transitEncryptionEnabled"), "TLS", "NO TLS"),
			onOff(rg.Input("atRestEncryptionEnabled"), "encrypted at rest", "NOT encrypted at rest"),
			onOff(rg.Inputs["authToken"].IsSecret(), "AUTH token (secret)", "no AUTH"),
			"snapshots " + Days(rg.Input("snapshotRetentionLimit")),
		}
		out = append(out, Store{Kind: "cache", Name: rg.Name, Properties: p, Protected: rg.Protect && rg.RetainOnDelete})
	}
	for _, t := range r.OfType("aws:dynamodb/table:Table") {
		keys := t.InputString("hashKey")
		if rk := t.InputString("rangeKey"); rk != "" {
			keys += " + " + rk
		}
		p := []string{t.InputString("name"), "key " + keys, strings.ToLower(t.InputString("billingMode"))}
		if ttl, ok := t.Input("ttl").(map[string]any); ok && ttl["enabled"] == true {
			p = append(p, fmt.Sprintf("TTL on %v", ttl["attributeName"]))
		}
		pitr, _ := t.Input("pointInTimeRecovery").(map[string]any)
		p = append(p, onOff(pitr["enabled"], "PITR", "no PITR"), onOff(t.Input("deletionProtectionEnabled"), "deletion protection", "no deletion protection"))
		out = append(out, Store{Kind: "table", Name: t.Name, Properties: p, Protected: t.Protect && t.RetainOnDelete})
	}
	for _, b := range r.OfType("aws:s3/bucketV2:BucketV2") {
		p := []string{}
		if r.Named("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", b.Name) != nil {
			p = append(p, "public access blocked")
		}
		if r.Named("aws:s3/bucketOwnershipControls:BucketOwnershipControls", b.Name) != nil {
			p = append(p, "owner enforced")
		}
		if r.Named("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", b.Name) != nil {
			p = append(p, "encrypted")
		}
		if pol := r.Named("aws:s3/bucketPolicy:BucketPolicy", b.Name); pol != nil && strings.Contains(pol.InputString("policy"), "aws:SecureTransport") {
			p = append(p, "TLS only")
		}
		if r.Named("aws:s3/bucketVersioningV2:BucketVersioningV2", b.Name) != nil {
			p = append(p, "versioned")
		}
		if lc := r.Named("aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", b.Name); lc != nil {
			for _, rule := range lc.Input("rules").([]any) {
				if id, _ := rule.(map[string]any)["id"].(string); id != "" {
					p = append(p, id)
				}
			}
		}
		if r.Named("aws:s3/bucketLoggingV2:BucketLoggingV2", b.Name) != nil {
			p = append(p, "access logged")
		}
		out = append(out, Store{Kind: "bucket", Name: b.Name, Properties: p, Protected: b.Protect && b.RetainOnDelete})
	}
	// Resources arrive in the order the engine registered them, which
	// varies between runs: sort fully, so the plan is byte-identical.
	sort.Slice(out, func(i, j int) bool {
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func onOff(v any, on, off string) string {
	if v == true {
		return on
	}
	return off
}

func clean(xs []string) []string {
	out := xs[:0]
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			out = append(out, x)
		}
	}
	return out
}
