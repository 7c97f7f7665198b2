package config

import "fmt"

// AWS limits on the physical names the program creates or lets Pulumi
// autoname. Config validation checks the names it derives from config (the
// database identifier and its replicas', names built from the stack name);
// a test checks every autonamed resource the program registers.
const (
	// MaxRDSIdentifier is RDS's DB instance identifier limit.
	MaxRDSIdentifier = 63
	// MaxReadReplicas is the most read replicas database.readReplicas allows.
	MaxReadReplicas = 5
	// MaxReplicationGroupID is ElastiCache's replication group ID limit.
	MaxReplicationGroupID = 40
	// MaxLoadBalancerName and MaxTargetGroupName are ELB's name limits.
	MaxLoadBalancerName = 32
	MaxTargetGroupName  = 32
	// MaxIAMRoleName is IAM's role name limit.
	MaxIAMRoleName = 64
	// AutonameSuffix is what Pulumi appends to a logical name when it
	// autonames a resource: a hyphen and seven random characters.
	AutonameSuffix = 8
)

// ReplicaIdentifier is the identifier of read replica n (1-based) of the
// database with identifier id.
func ReplicaIdentifier(id string, n int) string { return fmt.Sprintf("%s-replica-%d", id, n) }

// MaxDatabaseIdentifier leaves room in RDS's limit for the longest replica
// suffix, so replicas can be added later without renaming (replacing) the
// database.
var MaxDatabaseIdentifier = MaxRDSIdentifier - (len(ReplicaIdentifier("", MaxReadReplicas)))

// CacheFinalSnapshot names the final snapshot ElastiCache takes when a
// protected cache is deleted.
func CacheFinalSnapshot(stack string) string {
	return fmt.Sprintf("pushplatform-%s-cache-final", stack)
}

// RepositoryName is the ECR repository of an app's images.
func RepositoryName(stack, app string) string { return fmt.Sprintf("pushplatform-%s/%s", stack, app) }
