package cost

import (
	"encoding/json"
	"fmt"

	"github.com/pushplatform/pushplatform/plan"
)

// priceRDS prices an RDS instance: its class per hour and its allocated
// storage, both doubled by Multi-AZ (a standby is billed like the primary),
// plus what it creates outside the program: Enhanced Monitoring logs and the
// master user secret RDS manages.
func priceRDS(b *builder, r *plan.Resource) {
	class := r.InputString("instanceClass")
	copies, az := 1.0, "Single-AZ"
	if multi, _ := r.Input("multiAz").(bool); multi {
		copies, az = 2, "Multi-AZ: primary and standby"
	}
	if p, ok := PriceRDSInstanceHour[class]; ok {
		b.add(r, fmt.Sprintf("RDS %s %s (%s)", r.InputString("engine"), class, az), copies*plan.HoursPerMonth, p, fmt.Sprintf("%g x 730 h", copies))
	} else {
		b.add(r, fmt.Sprintf("RDS %s: NO PRICE for %s in the table", r.Name, class), 0, Price{Status: Unverified}, "add it to PriceRDSInstanceHour")
	}
	storageType := r.InputString("storageType")
	if storageType == "" {
		storageType = "gp2"
	}
	gb := num(r, "allocatedStorage")
	if p, ok := PriceRDSStorageGB[storageType]; ok {
		b.add(r, fmt.Sprintf("RDS %s storage, %g GB allocated", storageType, gb), copies*gb, p, fmt.Sprintf("%g GB x %g copies; backups within the free size", gb, copies))
	} else {
		b.add(r, fmt.Sprintf("RDS %s storage: NO PRICE in the table", storageType), 0, Price{Status: Unverified}, "")
	}
	b.onTop("RDS backup storage beyond the allocated size", PriceRDSBackupGB)
	if interval := num(r, "monitoringInterval"); interval > 0 {
		samples := plan.HoursPerMonth * 3600 / interval
		gb := samples * b.usage.EnhancedMonitoringBytesPerSample / 1e9
		b.add(r, fmt.Sprintf("RDS Enhanced Monitoring every %gs (RDSOSMetrics log ingestion)", interval), gb, PriceLogsIngestGB,
			fmt.Sprintf("%.0f samples x %.0f bytes (assumed)", samples, b.usage.EnhancedMonitoringBytesPerSample))
	}
	if managed, _ := r.Input("manageMasterUserPassword").(bool); managed {
		b.add(r, "Secrets Manager secret RDS manages for the master user", 1, PriceSecret, "created by RDS, billed as any secret (Secrets Manager pricing: per secret stored)")
	}
}

// priceReplicationGroup prices every node of an ElastiCache replication
// group: numCacheClusters, or node groups x (replicas + 1).
func priceReplicationGroup(b *builder, r *plan.Resource) {
	nodes := num(r, "numCacheClusters")
	if groups := num(r, "numNodeGroups"); groups > 0 {
		nodes = groups * (num(r, "replicasPerNodeGroup") + 1)
	}
	if nodes == 0 {
		nodes = 1
	}
	cacheNodes(b, r, r.InputString("engine"), r.InputString("nodeType"), nodes)
	if num(r, "snapshotRetentionLimit") > 0 {
		b.onTop("ElastiCache backup storage", PriceCacheBackupGB)
	}
}

func priceCacheCluster(b *builder, r *plan.Resource) {
	n := num(r, "numCacheNodes")
	if n == 0 {
		n = 1
	}
	cacheNodes(b, r, r.InputString("engine"), r.InputString("nodeType"), n)
}

func cacheNodes(b *builder, r *plan.Resource, engine, nodeType string, nodes float64) {
	if engine == "" {
		engine = "redis"
	}
	p, ok := PriceCacheNodeHour[engine+"/"+nodeType]
	if !ok {
		b.add(r, fmt.Sprintf("ElastiCache %s %s: NO PRICE in the table", engine, nodeType), 0, Price{Status: Unverified}, "add it to PriceCacheNodeHour")
		return
	}
	b.add(r, fmt.Sprintf("ElastiCache %s %s x %g nodes", engine, nodeType, nodes), nodes*plan.HoursPerMonth, p, fmt.Sprintf("%g nodes x 730 h", nodes))
}

// priceTable prices a DynamoDB table's storage and, when enabled, its
// continuous backups; on-demand requests cost nothing at idle.
func priceTable(b *builder, r *plan.Resource) {
	gb := b.usage.DynamoGBPerTable
	note := fmt.Sprintf("%.2g GB (assumed); the account's first 25 GB a month are free (not deducted)", gb)
	b.add(r, "DynamoDB table "+r.InputString("name")+" storage", gb, PriceDynamoStorageGB, note)
	if pitr, ok := r.Input("pointInTimeRecovery").(map[string]any); ok && pitr["enabled"] == true {
		b.add(r, "DynamoDB point-in-time recovery of "+r.InputString("name"), gb, PriceDynamoPITRGB, fmt.Sprintf("%.2g GB (assumed)", gb))
	}
	if mode := r.InputString("billingMode"); mode == "PROVISIONED" {
		b.add(r, "DynamoDB provisioned capacity of "+r.InputString("name")+": NOT PRICED", 0, Price{Status: Unverified}, "add provisioned RCU/WCU prices")
	}
	b.onTop("DynamoDB on-demand writes", PriceDynamoWriteMillion)
	b.onTop("DynamoDB on-demand reads", PriceDynamoReadMillion)
}

func priceBucket(b *builder, r *plan.Resource) {
	gb := b.usage.S3GBPerBucket
	b.add(r, "S3 bucket "+r.Name+" (Standard)", gb, PriceS3StorageGB, fmt.Sprintf("%.2g GB (assumed)", gb))
	b.onTop("S3 PUT requests", PriceS3PutK)
	b.onTop("S3 GET requests", PriceS3GetK)
}

// priceRepository prices an ECR repository's images: as many as its
// lifecycle policy keeps, at an assumed size each.
func priceRepository(b *builder, r *plan.Resource) {
	images, from := b.usage.ECRImagesDefault, "no lifecycle cap: assumed"
	for _, lp := range b.res.OfType("aws:ecr/lifecyclePolicy:LifecyclePolicy") {
		if dependsOn(lp, "repository", r.URN) {
			if n := keptImages(lp.InputString("policy")); n > 0 {
				images, from = n, "lifecycle policy keeps"
			}
		}
	}
	gb := float64(images) * b.usage.ECRGBPerImage
	b.add(r, "ECR repository "+r.InputString("name"), gb, PriceECRStorageGB, fmt.Sprintf("%s %d images x %.2g GB (assumed)", from, images, b.usage.ECRGBPerImage))
}

// keptImages reads the largest imageCountMoreThan of a lifecycle policy.
func keptImages(policy string) int {
	var p struct {
		Rules []struct {
			Selection struct {
				CountType   string `json:"countType"`
				CountNumber int    `json:"countNumber"`
			} `json:"selection"`
		} `json:"rules"`
	}
	if json.Unmarshal([]byte(policy), &p) != nil {
		return 0
	}
	kept := 0
	for _, r := range p.Rules {
		if r.Selection.CountType == "imageCountMoreThan" {
			kept = max(kept, r.Selection.CountNumber)
		}
	}
	return kept
}

func priceSecret(b *builder, r *plan.Resource) {
	b.add(r, "Secrets Manager secret "+r.Name, 1, PriceSecret, "")
	b.onTop("Secrets Manager API calls", PriceSecretAPI10k)
}

func priceKMSKey(b *builder, r *plan.Resource) {
	b.add(r, "KMS customer managed key "+r.Name, 1, PriceKMSKey, "")
}

func priceBackupVault(b *builder, r *plan.Resource) {
	b.add(r, "AWS Backup vault "+r.Name, 0, PriceBackupWarmGB, "idle: storage grows with the recovery points kept")
	b.onTop("AWS Backup warm storage", PriceBackupWarmGB)
}
