// Package guard is the replacement guard: it compares the offline plan with
// a saved one (say, main's) and fails when a stateful resource, one that
// holds data or a key, would be replaced or deleted by the change.
package guard

import (
	"strconv"
	"strings"
)

// Input is one replace-only input of a stateful type: a change to it makes
// the provider create a new resource and delete the old one.
type Input struct {
	// Key is the Pulumi input name.
	Key string
	// Source says where the provider marks it so.
	Source string
	// Replaces, when set, narrows the rule: the provider replaces only for
	// these old -> new values (a CustomizeDiff rather than ForceNew).
	Replaces func(old, new any) bool
}

// Kind is what the guard knows about one stateful resource type.
type Kind struct {
	// What the resource holds, for the report.
	Holds string
	// ReplaceOnly are its replace-only inputs.
	ReplaceOnly []Input
	// InPlace are inputs the provider updates in place but whose change a
	// reviewer must see (a renamed database gets a new endpoint); each
	// Source says what the change does. They make notes, not failures.
	InPlace []Input
}

// tf names terraform-provider-aws, which pulumi-aws v6.83.4 bridges (the
// v5 line): its schema's ForceNew: true is what makes the bridge replace.
func tf(file string) string {
	return "terraform-provider-aws " + file + ": ForceNew"
}

// The ForceNew lists were read in terraform-provider-aws's v5 sources of
// 2024-25 (and, as a baseline, Pulumi's fork at patched-v5.14.0,
// 122a581036); that pulumi-aws v6.83.4 patches none of these schemas is
// assumed.

func forceNew(file string, keys ...string) []Input {
	out := make([]Input, len(keys))
	for i, k := range keys {
		out[i] = Input{Key: k, Source: tf(file)}
	}
	return out
}

// random: terraform-provider-random (bridged by pulumi-random v4.18.4)
// gives every argument of random_password and random_bytes RequiresReplace:
// there is no update, a changed argument is a new value. For a password or
// key that is a rotation: whatever holds the old one stops working.
const randomSource = "terraform-provider-random: every argument RequiresReplace (unverified against source here; the keepers documentation says a change \"will trigger recreation\")"

func randomInputs(keys ...string) []Input {
	out := make([]Input, len(keys))
	for i, k := range keys {
		out[i] = Input{Key: k, Source: randomSource}
	}
	return out
}

// Stateful lists the resource types that hold data or a key, by type token,
// each with the inputs whose change replaces it. Types the program does not
// use yet are listed for when it does.
var Stateful = map[string]Kind{
	// engineVersion is no ForceNew: a major version change is an in-place
	// upgrade (allowMajorVersionUpgrade), so it is not listed. Nor is
	// identifier since the provider's v5.0.0 (hashicorp/terraform-provider-aws
	// #31232): a new identifier renames the instance with ModifyDBInstance
	// NewDBInstanceIdentifier, keeping its data but not its endpoint.
	"aws:rds/instance:Instance": {Holds: "database", ReplaceOnly: forceNew("internal/service/rds/instance.go",
		"engine", "storageEncrypted", "kmsKeyId", "username", "dbName",
		"availabilityZone", "characterSetName", "ncharCharacterSetName", "timezone", "customIamInstanceProfile",
		"snapshotIdentifier", "restoreToPointInTime", "s3Import"),
		InPlace: []Input{{Key: "identifier", Source: "terraform-provider-aws internal/service/rds/instance.go: update sends NewDBInstanceIdentifier; " +
			"the instance keeps its data but gets a new endpoint, which every client must read again"}}},
	"aws:rds/subnetGroup:SubnetGroup": {Holds: "database subnet group",
		ReplaceOnly: forceNew("internal/service/rds/subnet_group.go", "name", "namePrefix")},
	"aws:rds/parameterGroup:ParameterGroup": {Holds: "database parameter group",
		ReplaceOnly: forceNew("internal/service/rds/parameter_group.go", "name", "namePrefix", "family", "description")},
	"aws:elasticache/replicationGroup:ReplicationGroup": {Holds: "cache", ReplaceOnly: append(forceNew("internal/service/elasticache/replication_group.go",
		"replicationGroupId", "atRestEncryptionEnabled", "kmsKeyId", "port", "subnetGroupName", "snapshotArns", "snapshotName",
		"networkType", "dataTieringEnabled", "globalReplicationGroupId", "securityGroupNames"),
		Input{Key: "engine", Source: "terraform-provider-aws internal/service/elasticache/replication_group.go: customizeDiffEngineForceNewOnDowngrade (valkey -> redis)",
			Replaces: func(o, n any) bool { return o == "valkey" && n == "redis" }},
		Input{Key: "engineVersion", Source: "terraform-provider-aws internal/service/elasticache/replication_group.go: customizeDiffEngineVersionForceNewOnDowngrade",
			Replaces: downgrade},
	)},
	"aws:elasticache/subnetGroup:SubnetGroup": {Holds: "cache subnet group",
		ReplaceOnly: forceNew("internal/service/elasticache/subnet_group.go", "name")},
	// attributes is no ForceNew; hashKey, rangeKey and the local indexes are.
	"aws:dynamodb/table:Table": {Holds: "table",
		ReplaceOnly: append(forceNew("internal/service/dynamodb/table.go", "name", "hashKey", "rangeKey", "localSecondaryIndexes",
			"restoreToLatestTime", "restoreDateTime"),
			// customdiff.ForceNewIfChange: only a new, non-empty source
			// replaces; clearing it after the restore does not.
			restoredFrom("restoreSourceName"), restoredFrom("restoreSourceTableArn"))},
	"aws:s3/bucketV2:BucketV2": {Holds: "bucket",
		ReplaceOnly: forceNew("internal/service/s3/bucket.go", "bucket", "bucketPrefix", "objectLockEnabled")},
	"aws:s3/bucket:Bucket": {Holds: "bucket",
		ReplaceOnly: forceNew("internal/service/s3/bucket.go", "bucket", "bucketPrefix", "objectLockEnabled")},
	"aws:secretsmanager/secret:Secret": {Holds: "secret",
		ReplaceOnly: forceNew("internal/service/secretsmanager/secret.go", "name", "namePrefix")},
	// secretString is ForceNew too, but replacing a version writes a new
	// version of the same secret: no data is lost, the value rotates, and
	// the plan masks it anyway. Only moving it to another secret counts.
	"aws:secretsmanager/secretVersion:SecretVersion": {Holds: "secret value",
		ReplaceOnly: forceNew("internal/service/secretsmanager/secret_version.go", "secretId")},
	"random:index/randomPassword:RandomPassword": {Holds: "generated password",
		ReplaceOnly: randomInputs("length", "special", "upper", "lower", "numeric", "number", "minLower", "minUpper",
			"minNumeric", "minSpecial", "overrideSpecial", "keepers")},
	"random:index/randomBytes:RandomBytes": {Holds: "generated key", ReplaceOnly: randomInputs("length", "keepers")},
	"aws:ecr/repository:Repository": {Holds: "image repository",
		ReplaceOnly: forceNew("internal/service/ecr/repository.go", "name", "encryptionConfigurations")},
	"aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {Holds: "delivery stream (buffered records)",
		ReplaceOnly: forceNew("internal/service/firehose/delivery_stream.go", "name", "destination")},
	// A log group's events go with it: a new name (a renamed logical name
	// gives a new namePrefix) starts empty, and the old one is deleted
	// with up to a year of flow, database and application logs.
	"aws:cloudwatch/logGroup:LogGroup": {Holds: "log group (its log events)",
		ReplaceOnly: forceNew("internal/service/logs/group.go", "name", "namePrefix", "logGroupClass")},
	"aws:sqs/queue:Queue": {Holds: "queue (its messages)",
		ReplaceOnly: forceNew("internal/service/sqs/queue.go", "name", "namePrefix", "fifoQueue")},
	// A replaced key is a new key: whatever the old one encrypted (the
	// backup vault's recovery points) needs the old one, which then waits
	// out its deletion window.
	"aws:kms/key:Key": {Holds: "encryption key", ReplaceOnly: append(
		forceNew("internal/service/kms/key.go", "customerMasterKeySpec", "keyUsage", "customKeyStoreId"),
		forceNew("internal/service/kms/key.go", "multiRegion", "xksKeyId")...)},
	// A vault cannot be renamed or re-keyed: either makes a new, empty
	// vault, and the old one (retained, locked) keeps the recovery points.
	"aws:backup/vault:Vault": {Holds: "backup vault (recovery points)",
		ReplaceOnly: forceNew("internal/service/backup/vault.go", "name", "kmsKeyArn")},
}

// restoredFrom is a DynamoDB restore source: the provider replaces the
// table when it changes to another non-empty value.
func restoredFrom(key string) Input {
	return Input{Key: key, Source: "terraform-provider-aws internal/service/dynamodb/table.go: CustomizeDiff ForceNewIfChange (old != new && new != \"\")",
		Replaces: func(_, n any) bool { s, _ := n.(string); return s != "" }}
}

// downgrade says whether a dotted version goes down ("8.1" -> "7.2").
func downgrade(o, n any) bool {
	os, ok1 := o.(string)
	ns, ok2 := n.(string)
	if !ok1 || !ok2 {
		return false
	}
	op, np := strings.Split(os, "."), strings.Split(ns, ".")
	for i := 0; i < len(op) && i < len(np); i++ {
		a, err1 := strconv.Atoi(op[i])
		b, err2 := strconv.Atoi(np[i])
		if err1 != nil || err2 != nil || a == b {
			continue
		}
		return b < a
	}
	return false
}
