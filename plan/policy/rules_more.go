package policy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// moreRules cover what Security Hub checks beyond the first pass and what
// Pulumi's AWSGuard pack and checkov check for these resource kinds that
// Security Hub does not (project IDs). Several are waived in both stacks,
// each waiver saying why this platform differs.
var moreRules = []Rule{
	{ID: "S3.1", Title: "The account blocks public access to S3 (account-level setting)", Severity: Medium,
		Fix: "manage aws.s3.AccountPublicAccessBlock with all four settings true (once per account, not per stack)",
		Check: func(s *Stack, _ *plan.Resource) []string {
			for _, b := range s.Res.OfType("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock") {
				if boolean(b, "blockPublicAcls") && boolean(b, "blockPublicPolicy") && boolean(b, "ignorePublicAcls") && boolean(b, "restrictPublicBuckets") {
					return nil
				}
			}
			return []string{"the stack does not set the account's S3 public access block"}
		}},
	{ID: "S3.6", Title: "S3 bucket policies restrict access to other AWS accounts", Severity: High, Types: []string{tBucketPolicy},
		Fix: "grant other accounts no bucket-policy, ACL or encryption actions",
		Check: func(_ *Stack, r *plan.Resource) []string {
			blocked := []string{"s3:*", "*", "s3:DeleteBucketPolicy", "s3:PutBucketAcl", "s3:PutBucketPolicy", "s3:PutEncryptionConfiguration", "s3:PutObjectAcl"}
			return eachStatement(r, "policy", "the bucket policy cannot be read", func(st plan.PolicyStatement) []string {
				if st.Effect != "Allow" {
					return nil
				}
				var out []string
				for _, p := range st.Principal["AWS"] {
					if p == "*" || strings.Contains(p, plan.FakeAccount) {
						continue // public (S3.2/S3.3) or this account
					}
					for _, a := range st.Action {
						if slices.Contains(blocked, a) {
							out = append(out, fmt.Sprintf("statement %q lets %s %s", st.Sid, p, a))
						}
					}
				}
				return out
			})
		}},
	{ID: "EC2.3", Title: "EBS volumes of instances are encrypted at rest", Severity: Medium, Types: []string{tLaunchTemplate, tInstance},
		Fix: "add a blockDeviceMappings entry for the root volume with ebs.encrypted true",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if r.Type == tInstance {
				// An instance from a launch template is checked there.
				if get(r, "launchTemplate") != nil {
					return nil
				}
				var out []string
				if !truthy(get(r, "rootBlockDevice.encrypted")) {
					out = append(out, "the root volume is encrypted only if the account's EBS default encryption is on")
				}
				for _, d := range objects(r.Input("ebsBlockDevices")) {
					if !truthy(d["encrypted"]) {
						out = append(out, fmt.Sprintf("volume %v is not encrypted", d["deviceName"]))
					}
				}
				return out
			}
			for _, m := range objects(r.Input("blockDeviceMappings")) {
				if ebs, _ := m["ebs"].(map[string]any); ebs != nil && (ebs["encrypted"] == "true" || ebs["encrypted"] == true) {
					return nil
				}
			}
			return []string{"the root volume is encrypted only if the account's EBS default encryption is on"}
		}},
	{ID: "PP.EC2.1", Title: "EC2 instances have detailed monitoring enabled", Severity: Low, Types: []string{tLaunchTemplate, tInstance},
		Fix: "set monitoring.enabled true on the launch template (or monitoring on the instance): 1-minute metrics (AWSGuard ec2-instance-detailed-monitoring-enabled)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			if r.Type == tInstance {
				if get(r, "launchTemplate") != nil {
					return nil // checked on its launch template
				}
				return onlyIf(!boolean(r, "monitoring"), "detailed monitoring is off: 5-minute metrics only")
			}
			return onlyIf(!boolean(r, "monitoring.enabled"), "detailed monitoring is off: 5-minute metrics only")
		}},
	{ID: "PP.EC2.2", Title: "EC2 volumes are deleted with their instance", Severity: Low, Types: []string{tLaunchTemplate, tInstance},
		Fix: "never set deleteOnTermination false: a volume left behind bills and holds data nobody tracks (AWSGuard ec2-volume-inuse)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			var out []string
			kept := func(where string, v any) {
				if v == false || v == "false" {
					out = append(out, where+" has deleteOnTermination false")
				}
			}
			if r.Type == tInstance {
				kept("the root volume", get(r, "rootBlockDevice.deleteOnTermination"))
				for _, d := range objects(r.Input("ebsBlockDevices")) {
					kept(fmt.Sprintf("volume %v", d["deviceName"]), d["deleteOnTermination"])
				}
				return out
			}
			for _, m := range objects(r.Input("blockDeviceMappings")) {
				if ebs, _ := m["ebs"].(map[string]any); ebs != nil {
					kept(fmt.Sprintf("volume %v", m["deviceName"]), ebs["deleteOnTermination"])
				}
			}
			return out
		}},
	{ID: "EC2.15", Title: "Subnets do not assign public IP addresses automatically", Severity: Medium, Types: []string{tVPC},
		Fix: "launch nothing into public subnets that needs no address; awsx v2.22 sets mapPublicIpOnLaunch on its public subnets",
		Check: func(_ *Stack, r *plan.Resource) []string {
			for _, spec := range objects(r.Input("subnetSpecs")) {
				if spec["type"] == "Public" {
					return []string{"awsx creates the public subnets with mapPublicIpOnLaunch true"}
				}
			}
			return nil
		}},
	{ID: "EC2.21", Title: "Network ACLs do not allow ingress from 0.0.0.0/0 to port 22 or 3389", Severity: Medium, Types: []string{tVPC},
		Fix: "manage the VPC's default network ACL (aws.ec2.DefaultNetworkAcl) with explicit rules",
		Check: func(s *Stack, r *plan.Resource) []string {
			if len(s.Res.OfType("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl")) > 0 {
				return nil
			}
			return []string{"the default network ACL, left as AWS creates it, admits everything"}
		}},
	{ID: "EC2.56", Title: "VPCs have an interface endpoint for the Docker registry (ECR)", Severity: Medium, Types: []string{tVPC},
		Fix:   "add ecr.dkr to network.interfaceEndpoints",
		Check: func(s *Stack, _ *plan.Resource) []string { return missingEndpoint(s, "ecr.dkr") }},
	{ID: "SecretsManager.4", Title: "Secrets Manager secrets are rotated within 90 days", Severity: Medium, Types: []string{tSecret},
		Fix: "add a rotation schedule of 90 days or less",
		Check: func(s *Stack, r *plan.Resource) []string {
			for _, rot := range s.companions("aws:secretsmanager/secretRotation:SecretRotation", "secretId", r) {
				if d := num(rot, "rotationRules.automaticallyAfterDays"); d > 0 && d <= 90 {
					return nil
				}
				if str(rot, "rotationRules.scheduleExpression") != "" {
					return nil
				}
			}
			return []string{"not rotated on a schedule"}
		}},
	{ID: "PP.CF.2", Title: "CloudFront access logs are delivered (legacy or standard logging v2)", Severity: Medium, Types: []string{tDistribution},
		Fix: "add standard logging v2: a log delivery source for the distribution, a destination and a delivery",
		Check: func(s *Stack, r *plan.Resource) []string {
			if str(r, "loggingConfig.bucket") != "" || len(s.companions(tLogSource, "resourceArn", r)) > 0 {
				return nil
			}
			return []string{"no access logs"}
		}},
	{ID: "CloudFront.4", Title: "CloudFront distributions have origin failover configured", Severity: Low, Types: []string{tDistribution},
		Fix: "add an originGroups entry with a secondary origin (checkov CKV_AWS_310)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(len(objects(r.Input("originGroups"))) == 0, "no origin group: an origin outage is a site outage")
		}},
	{ID: "PP.CF.4", Title: "CloudFront restricts viewers by geography", Severity: Low, Types: []string{tDistribution},
		Fix: "set restrictions.geoRestriction to an allowlist or blocklist (checkov CKV_AWS_374)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			t := str(r, "restrictions.geoRestriction.restrictionType")
			return onlyIf(t == "" || t == "none", "no geographic restriction")
		}},
	{ID: "S3.7", Title: "S3 general purpose buckets use cross-Region replication", Severity: Low, Types: []string{tBucket},
		Fix: "add a BucketReplicationConfig to a bucket in another region (AWS Config s3-bucket-replication-enabled, checkov CKV_AWS_144)",
		Check: func(s *Stack, r *plan.Resource) []string {
			return onlyIf(len(s.companions("aws:s3/bucketReplicationConfig:BucketReplicationConfig", "bucket", r)) == 0, "no cross-region replication")
		}},
	{ID: "Lambda.7", Title: "Lambda functions have AWS X-Ray active tracing enabled", Severity: Low, Types: []string{tFunction},
		Fix: "set tracingConfig.mode Active (checkov CKV_AWS_50)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "tracingConfig.mode") != "Active", "no active X-Ray tracing")
		}},
	{ID: "PP.LAMBDA.2", Title: "Lambda functions verify code signatures", Severity: Low, Types: []string{tFunction},
		Fix: "set a codeSigningConfigArn with an AWS Signer profile (checkov CKV_AWS_272)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(str(r, "codeSigningConfigArn") == "", "no code signing configuration")
		}},
	{ID: "PP.NET.2", Title: "Security groups keep their rules in separate rule resources only", Severity: Medium, Types: []string{tSecurityGroup},
		Fix: "move inline ingress/egress into vpc.SecurityGroupIngressRule/EgressRule (AWSGuard security-group-no-rule-management-conflicts)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(len(objects(r.Input("ingress")))+len(objects(r.Input("egress"))) > 0, "inline rules: mixed with separate rule resources, each update undoes the other")
		}},
	{ID: "PP.IAM.3", Title: "IAM roles keep their policies in separate resources only", Severity: Medium, Types: []string{tRole},
		Fix: "move inlinePolicies/managedPolicyArns into RolePolicy/RolePolicyAttachment (AWSGuard iam-role-no-policy-management-conflicts)",
		Check: func(_ *Stack, r *plan.Resource) []string {
			return onlyIf(len(objects(r.Input("inlinePolicies")))+len(strings_(r.Input("managedPolicyArns"))) > 0, "inline or managed policies on the role itself")
		}},
}

func missingEndpoint(s *Stack, svc string) []string {
	for _, ep := range s.Res.OfType("aws:ec2/vpcEndpoint:VpcEndpoint") {
		if strings.HasSuffix(ep.InputString("serviceName"), "."+svc) {
			return nil
		}
	}
	return []string{fmt.Sprintf("no interface endpoint for %s", svc)}
}
