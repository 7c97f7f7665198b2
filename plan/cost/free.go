package cost

import "github.com/pushplatform/pushplatform/plan"

// Free lists the resource types that carry no charge of their own, each
// with why. A type the run records must be in pricers or here (Unpriced).
var Free = map[string]string{
	// Program plumbing.
	"pulumi:providers:aws":                       "a Pulumi provider is not an AWS resource",
	"random:index/randomBytes:RandomBytes":       "generated locally by Pulumi",
	"random:index/randomPassword:RandomPassword": "generated locally by Pulumi",
	"awsx:ec2:Vpc":                               "remote component: its NAT gateways and Elastic IPs are priced from its expansion",

	// Network.
	"aws:ec2/vpc:Vpc":                                           "VPCs are free",
	"aws:ec2/subnet:Subnet":                                     "subnets are free",
	"aws:ec2/routeTable:RouteTable":                             "route tables are free",
	"aws:ec2/routeTableAssociation:RouteTableAssociation":       "route table associations are free",
	"aws:ec2/route:Route":                                       "routes are free",
	"aws:ec2/internetGateway:InternetGateway":                   "internet gateways have no hourly charge",
	"aws:ec2/securityGroup:SecurityGroup":                       "security groups are free",
	"aws:ec2/defaultSecurityGroup:DefaultSecurityGroup":         "security groups are free",
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "security group rules are free",
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":   "security group rules are free",
	"aws:ec2/launchTemplate:LaunchTemplate":                     "free; the instance launched from it is priced",
	"aws:ec2/networkInterface:NetworkInterface":                 "an ENI is free; its public address is priced as the Elastic IP",

	// Load balancing.
	"aws:lb/listener:Listener":         "billed through the load balancer's hours and capacity units",
	"aws:lb/listenerRule:ListenerRule": "rules are part of LCU (first 10 rule evaluations free)",
	"aws:lb/targetGroup:TargetGroup":   "target groups are free",

	// ECS and autoscaling.
	"aws:ecs/taskDefinition:TaskDefinition":                     "billed through the service that runs its tasks",
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": "capacity provider settings are free",
	"aws:appautoscaling/target:Target":                          "Application Auto Scaling has no charge of its own",

	// IAM.
	"aws:iam/role:Role":                                 "IAM is free",
	"aws:iam/rolePolicy:RolePolicy":                     "IAM is free",
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": "IAM is free",

	// Data stores' settings.
	"aws:rds/parameterGroup:ParameterGroup":                                                      "parameter groups are free",
	"aws:rds/subnetGroup:SubnetGroup":                                                            "subnet groups are free",
	"aws:elasticache/parameterGroup:ParameterGroup":                                              "parameter groups are free",
	"aws:elasticache/subnetGroup:SubnetGroup":                                                    "subnet groups are free",
	"aws:ecr/lifecyclePolicy:LifecyclePolicy":                                                    "free; it sets how many images the repository line counts",
	"aws:secretsmanager/secretVersion:SecretVersion":                                             "versions are included in the secret's monthly price",
	"aws:s3/bucketObjectv2:BucketObjectv2":                                                       "objects are storage, counted in the bucket's assumed GB",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":                       "bucket configuration is free",
	"aws:s3/bucketLoggingV2:BucketLoggingV2":                                                     "server access log delivery is free; the logs are storage in the target bucket",
	"aws:s3/bucketNotification:BucketNotification":                                               "bucket configuration is free",
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls":                                     "bucket configuration is free",
	"aws:s3/bucketPolicy:BucketPolicy":                                                           "bucket configuration is free",
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     "bucket configuration is free",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "SSE-S3 is free",
	"aws:s3/bucketVersioningV2:BucketVersioningV2":                                               "bucket configuration is free; old versions are storage",

	// Serverless and edge settings.
	"aws:lambda/permission:Permission":                               "permissions are free",
	"aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": "configuration is free",
	"aws:lambda/invocation:Invocation":                               "one invocation per deployment, within Lambda's free requests",
	"aws:cloudfront/originAccessControl:OriginAccessControl":         "configuration is free",
	"aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":     "configuration is free",
	"aws:cloudfront/vpcOrigin:VpcOrigin":                             "no charge for VPC origins beyond the distribution's (unverified)",

	// Custom domain (components/domain). The hosted zone is the user's,
	// not the stack's, so its monthly charge is not the stack's either.
	"aws:acm/certificate:Certificate":                     "public ACM certificates used with integrated services (CloudFront, Elastic Load Balancing) are free (aws.amazon.com/certificate-manager/faqs, General)",
	"aws:acm/certificateValidation:CertificateValidation": "no AWS object: the provider waits for ACM to issue the certificate",
	"aws:route53/record:Record":                           "records in an existing hosted zone carry no charge of their own (aws.amazon.com/route53/pricing); queries to alias records for CloudFront and ELB targets are free; the validation CNAMEs are queried by ACM when it validates and renews, at the standard $0.40 per million",

	// Observability settings.
	"aws:cloudwatch/logStream:LogStream":                           "billed through the log group",
	"aws:cloudwatch/logDeliverySource:LogDeliverySource":           "billed through the log delivery",
	"aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": "billed through the log delivery",
	"aws:backup/plan:Plan":                                         "billed through the vault's storage",
	"aws:backup/selection:Selection":                               "billed through the vault's storage",
	"aws:backup/vaultLockConfiguration:VaultLockConfiguration":     "Vault Lock has no charge of its own (unverified: aws.amazon.com/backup/pricing lists storage, restores and copies only)",

	// Alarm notifications: a few dozen publishes and e-mails a month, inside
	// SNS's monthly free tier (1M publishes, 1,000 e-mail deliveries;
	// aws.amazon.com/sns/pricing, not re-read here: unverified). The
	// topic's key is priced as a KMS key.
	"aws:sns/topic:Topic":                         "a topic has no charge of its own; alarm publishes stay within SNS's free tier (unverified)",
	"aws:sns/topicSubscription:TopicSubscription": "subscriptions are free; alarm e-mails stay within SNS's 1,000 free e-mail deliveries a month (unverified)",
}

// Unpriced returns the resource types of a run (and of its awsx
// expansions) that are neither priced nor listed in Free, sorted. The
// program's own component resources (not custom, not remote) group
// children and are skipped.
func Unpriced(res *plan.Result) []string {
	missing := map[string]bool{}
	check := func(typ string) {
		if _, free := Free[typ]; !free && !Priced(typ) {
			missing[typ] = true
		}
	}
	for _, r := range res.Resources {
		if !r.Custom && !r.Remote {
			continue
		}
		check(r.Type)
	}
	for _, e := range res.Expansions() {
		for typ, n := range e.Counts {
			if _, priced := expansionPrices[typ]; n > 0 && !priced {
				check(typ)
			}
		}
	}
	return sortedKeys(missing)
}
