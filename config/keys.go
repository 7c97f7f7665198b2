package config

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
)

// AWSKeys are the aws: provider's config keys, as pulumi-aws v6.83.4
// reads them (sdk/go/aws/config/config.go). Any other aws: key is a typo
// the provider would silently ignore.
var AWSKeys = []string{
	"accessKey", "allowedAccountIds", "assumeRole", "assumeRoleWithWebIdentity", "customCaBundle",
	"defaultTags", "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode", "endpoints",
	"forbiddenAccountIds", "httpProxy", "httpsProxy", "ignoreTags", "insecure", "maxRetries", "noProxy",
	"profile", "region", "retryMode", "s3UsEast1RegionalEndpoint", "s3UsePathStyle", "secretKey",
	"sharedConfigFiles", "sharedCredentialsFiles", "skipCredentialsValidation", "skipMetadataApiCheck",
	"skipRegionValidation", "skipRequestingAccountId", "stsRegion", "token", "tokenBucketRateLimiterCapacity",
	"useDualstackEndpoint", "useFipsEndpoint",
}

// AWSKeysNotCarried are aws: keys the program cannot copy onto its
// explicit us-east-1 provider (CloudFront's log delivery and certificates
// live there; components/internal/provider carries the rest). Set, they
// would make that provider act unlike the default one, so they are
// refused; set them through the environment (AWS_CA_BUNDLE, HTTPS_PROXY,
// AWS_WEB_IDENTITY_TOKEN_FILE, ...) instead, which both providers read.
var AWSKeysNotCarried = []string{
	"assumeRoleWithWebIdentity", "customCaBundle", "endpoints", "httpProxy", "httpsProxy", "insecure",
	"noProxy", "stsRegion", "useFipsEndpoint", "ec2MetadataServiceEndpoint", "ec2MetadataServiceEndpointMode",
	"retryMode", "s3UsEast1RegionalEndpoint", "s3UsePathStyle", "tokenBucketRateLimiterCapacity", "useDualstackEndpoint",
}

// PulumiKeys are the engine's own config keys a stack may set (Pulumi docs,
// "Configuration": pulumi:disable-default-providers, pulumi:autonaming).
var PulumiKeys = []string{"disable-default-providers", "autonaming"}

// checkKeys reports every configured key the program would ignore: an
// unknown namespace (a misspelled project name), an unknown project key, an
// aws: key the provider does not read, or a flat nested key set without
// --path. Each error suggests the closest known spelling.
func checkKeys(project string, values map[string]string, errs *Errors) {
	namespaces := map[string][]string{project: Keys, "aws": AWSKeys, "pulumi": PulumiKeys}
	for _, full := range slices.Sorted(maps.Keys(values)) {
		ns, name, ok := strings.Cut(full, ":")
		if !ok {
			errs.add(full, "", "a config key needs a namespace: %s:<key> or aws:<key>", project)
			continue
		}
		known, ok := namespaces[ns]
		if !ok {
			problem := fmt.Sprintf("unknown namespace %q; this program reads %s:, aws: and pulumi: keys", ns, project)
			if s := closest(ns, slices.Sorted(maps.Keys(namespaces))); s != "" {
				problem += fmt.Sprintf("; did you mean %s:%s?", s, name)
			}
			errs.add(full, "", "%s", problem)
			continue
		}
		if ns == "aws" && slices.Contains(AWSKeysNotCarried, name) {
			errs.add(full, "", "is not copied to the explicit us-east-1 provider CloudFront's log delivery and certificates use, which would then act unlike the default provider; set it through its environment variable instead, which both read")
			continue
		}
		if slices.Contains(known, name) {
			continue
		}
		key := name
		if ns != project {
			key = full
		}
		problem := unknownKeyProblem(name, known)
		if root, _, nested := strings.Cut(name, "."); ns == project && nested && slices.Contains(Keys, root) {
			problem = fmt.Sprintf("unknown key; to set a nested value use `pulumi config set --path %s <value>`", name)
		}
		errs.add(key, "", "%s", problem)
	}
}

// Stack names become part of physical names (ECR repositories
// pushplatform-<stack>/<app>, the default database identifier
// pushplatform-<stack>-mysql, the cache's final snapshot, the Cloud Map
// namespace <stack>.pushplatform.internal), so they must be lowercase DNS
// labels short enough for the tightest of those limits.
var stackNamePattern = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

// MaxStackNameLength keeps every name derived from the stack name within
// its AWS limit; the tightest is the cache's final snapshot,
// pushplatform-<stack>-cache-final, which ElastiCache limits to 40
// characters like its cluster names.
var MaxStackNameLength = MaxReplicationGroupID - len(CacheFinalSnapshot(""))

func checkStackName(stack string, errs *Errors) {
	if len(stack) > MaxStackNameLength || !stackNamePattern.MatchString(stack) || strings.Contains(stack, "--") {
		errs.add("stack name", quote(stack), "must be 1-%d lowercase letters, digits and single hyphens, starting with a letter: it is part of ECR repository, database, snapshot and DNS names", MaxStackNameLength)
	}
}
