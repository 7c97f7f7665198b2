package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

var s3Rules = []Rule{
	{ID: "S3.2", Title: "S3 buckets block public read access", Severity: Critical, Types: []string{tBucketPolicy},
		Fix: "remove the Allow statement for Principal * (serve public files through CloudFront with OAC)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return publicGrants(r, func(a string) bool {
				return a == "s3:*" || a == "*" || slices.Contains([]string{"s3:GetObject", "s3:ListBucket", "s3:GetObjectVersion"}, a)
			})
		}},
	{ID: "S3.3", Title: "S3 buckets block public write access", Severity: Critical, Types: []string{tBucketPolicy},
		Fix: "remove the Allow statement for Principal *",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return publicGrants(r, func(a string) bool {
				return a == "s3:*" || a == "*" || slices.Contains([]string{"s3:PutObject", "s3:DeleteObject", "s3:PutBucketPolicy"}, a)
			})
		}},
	{ID: "S3.5", Title: "S3 buckets require requests to use SSL", Severity: Medium, Types: []string{tBucket},
		Fix: "add a bucket policy statement denying s3:* when aws:SecureTransport is false",
		Check: func(s *Stack, r *plan.Resource) []string {
			for _, p := range s.companions(tBucketPolicy, "bucket", r) {
				doc, err := plan.ParsePolicy(p.InputString("policy"))
				if err != nil {
					continue
				}
				for _, st := range doc.Statement {
					if st.Effect == "Deny" && slices.Contains(st.Condition["Bool"]["aws:SecureTransport"], "false") {
						return nil
					}
				}
			}
			return []string{"no bucket policy denies requests without TLS"}
		}},
	{ID: "S3.8", Title: "S3 buckets block public access (all four settings)", Severity: High, Types: []string{tBucket},
		Fix: "add a BucketPublicAccessBlock with all four settings true",
		Check: func(s *Stack, r *plan.Resource) []string {
			for _, b := range s.companions(tBucketPAB, "bucket", r) {
				if boolean(b, "blockPublicAcls") && boolean(b, "blockPublicPolicy") && boolean(b, "ignorePublicAcls") && boolean(b, "restrictPublicBuckets") {
					return nil
				}
			}
			return []string{"no public access block with all four settings true"}
		}},
	{ID: "S3.9", Title: "S3 buckets have server access logging enabled", Severity: Medium, Types: []string{tBucket},
		Fix: "add a BucketLoggingV2 targeting the logs bucket",
		Check: func(s *Stack, r *plan.Resource) []string {
			return onlyIf(len(s.companions(tBucketLogging, "bucket", r)) == 0, "no server access logging")
		}},
	{ID: "S3.12", Title: "S3 access control lists are not used to manage access", Severity: Medium, Types: []string{tBucket},
		Fix: "add BucketOwnershipControls with objectOwnership BucketOwnerEnforced; drop bucket ACLs",
		Check: func(s *Stack, r *plan.Resource) []string {
			if len(s.companions(tBucketACL, "bucket", r)) > 0 {
				return []string{"a bucket ACL is set"}
			}
			for _, o := range s.companions(tBucketOwnership, "bucket", r) {
				if str(o, "rule.objectOwnership") == "BucketOwnerEnforced" {
					return nil
				}
			}
			return []string{"ACLs are not disabled (objectOwnership is not BucketOwnerEnforced)"}
		}},
	{ID: "S3.13", Title: "S3 buckets have lifecycle configurations", Severity: Low, Types: []string{tBucket},
		Fix: "add a BucketLifecycleConfigurationV2 (expiry, noncurrent versions, aborted uploads)",
		Check: func(s *Stack, r *plan.Resource) []string {
			return onlyIf(len(s.companions(tBucketLifecycle, "bucket", r)) == 0, "no lifecycle configuration")
		}},
	{ID: "S3.14", Title: "S3 buckets have versioning enabled", Severity: Low, Types: []string{tBucket},
		Fix: "add BucketVersioningV2 with status Enabled",
		Check: func(s *Stack, r *plan.Resource) []string {
			for _, v := range s.companions(tBucketVersion, "bucket", r) {
				if str(v, "versioningConfiguration.status") == "Enabled" {
					return nil
				}
			}
			return []string{"versioning is not enabled"}
		}},
	{ID: "S3.17", Title: "S3 buckets are encrypted at rest with AWS KMS keys", Severity: Medium, Types: []string{tBucket},
		Fix: "set sseAlgorithm aws:kms with a kmsMasterKeyId in the encryption configuration",
		Check: func(s *Stack, r *plan.Resource) []string {
			for _, e := range s.companions(tBucketSSE, "bucket", r) {
				for _, rule := range objects(e.Input("rules")) {
					if alg, _ := rule["applyServerSideEncryptionByDefault"].(map[string]any)["sseAlgorithm"].(string); alg == "aws:kms" || alg == "aws:kms:dsse" {
						return nil
					}
				}
			}
			return []string{"default encryption is not SSE-KMS"}
		}},
	{ID: "PP.S3.1", Title: "S3 buckets declare default encryption and refuse forceDestroy", Severity: Medium, Types: []string{tBucket},
		Fix: "add a BucketServerSideEncryptionConfigurationV2; set forceDestroy false",
		Check: func(s *Stack, r *plan.Resource) []string {
			var out []string
			if len(s.companions(tBucketSSE, "bucket", r)) == 0 {
				out = append(out, "no default encryption configuration")
			}
			if boolean(r, "forceDestroy") {
				out = append(out, "forceDestroy is true: a destroy deletes every object")
			}
			return out
		}},
}

// publicGrants lists the Allow statements of a bucket policy that give an
// action matching isRisky to everyone without a condition.
func publicGrants(r *plan.Resource, isRisky func(string) bool) []string {
	doc, err := plan.ParsePolicy(r.InputString("policy"))
	if err != nil {
		return []string{fmt.Sprintf("the bucket policy cannot be read, so public access cannot be ruled out: %v", err)}
	}
	var out []string
	for _, st := range doc.Statement {
		if st.Effect != "Allow" || restricted(st) {
			continue
		}
		if !anyPrincipal(st) {
			continue
		}
		for _, a := range st.Action {
			if isRisky(a) {
				out = append(out, fmt.Sprintf("statement %q allows %s to everyone", st.Sid, a))
			}
		}
	}
	return out
}

// restrictingKeys are condition keys that tie a grant to this account, an
// AWS service resource, a network or an organisation: a statement with
// one of them is not public (Security Hub's S3.2/S3.3 read them so too).
var restrictingKeys = []string{
	"aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
	"aws:sourceip", "aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:userid",
}

func restricted(st plan.PolicyStatement) bool {
	for _, vars := range st.Condition {
		for k := range vars {
			if slices.Contains(restrictingKeys, strings.ToLower(k)) {
				return true
			}
		}
	}
	return false
}
