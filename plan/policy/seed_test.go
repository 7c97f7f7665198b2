package policy

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan"
)

// mutable is a copy of a run that a seed may change without touching the
// original.
type mutable struct {
	t     *testing.T
	stack *Stack
}

func newMutable(t *testing.T, s *Stack) *mutable {
	res := *s.Res
	res.Resources = make([]*plan.Resource, len(s.Res.Resources))
	for i, r := range s.Res.Resources {
		cp := *r
		cp.Inputs = r.Inputs.Copy()
		res.Resources[i] = &cp
	}
	res.Outputs = maps.Clone(s.Res.Outputs)
	return &mutable{t: t, stack: &Stack{Res: &res, Values: maps.Clone(s.Values), SecretKeys: s.SecretKeys}}
}

func (m *mutable) find(typ, name string) *plan.Resource {
	m.t.Helper()
	r := m.stack.Res.Named(typ, name)
	if r == nil {
		m.t.Fatalf("seed: no %s %s in the run", typ, name)
	}
	return r
}

// set sets a dotted input path; a numeric step indexes a list, a nil value
// deletes the key.
func (m *mutable) set(typ, name, path string, v any) {
	m.t.Helper()
	r := m.find(typ, name)
	r.Inputs = setPath(r.Inputs, strings.Split(path, "."), v)
}

func setPath(pm resource.PropertyMap, steps []string, v any) resource.PropertyMap {
	out := pm.Copy()
	key := resource.PropertyKey(steps[0])
	if len(steps) == 1 {
		if v == nil {
			delete(out, key)
		} else {
			out[key] = resource.NewPropertyValue(v)
		}
		return out
	}
	inner := out[key]
	if inner.IsSecret() {
		inner = inner.SecretValue().Element
	}
	if i, err := strconv.Atoi(steps[1]); err == nil && inner.IsArray() {
		arr := append([]resource.PropertyValue(nil), inner.ArrayValue()...)
		obj := resource.PropertyMap{}
		if arr[i].IsObject() {
			obj = arr[i].ObjectValue()
		}
		arr[i] = resource.NewProperty(setPath(obj, steps[2:], v))
		out[key] = resource.NewProperty(arr)
		return out
	}
	obj := resource.PropertyMap{}
	if inner.IsObject() {
		obj = inner.ObjectValue()
	}
	out[key] = resource.NewProperty(setPath(obj, steps[1:], v))
	return out
}

// container changes the first container of a task definition.
func (m *mutable) container(name string, edit func(c map[string]any)) {
	m.t.Helper()
	r := m.find(tTaskDef, name)
	var defs []map[string]any
	if err := json.Unmarshal([]byte(r.InputString("containerDefinitions")), &defs); err != nil {
		m.t.Fatal(err)
	}
	edit(defs[0])
	b, _ := json.Marshal(defs)
	m.set(tTaskDef, name, "containerDefinitions", string(b))
}

func (m *mutable) drop(typ, name string) {
	m.t.Helper()
	r := m.find(typ, name)
	res := m.stack.Res
	for i, x := range res.Resources {
		if x == r {
			res.Resources = append(res.Resources[:i:i], res.Resources[i+1:]...)
			return
		}
	}
}

func (m *mutable) add(r *plan.Resource) { m.stack.Res.Resources = append(m.stack.Res.Resources, r) }

// seed breaks (or, with fix, repairs) one thing a rule checks.
type seed struct {
	stack string // "" = prod
	// fix marks a seed for a rule that already fires on every candidate
	// of the stack (a waived rule): it repairs one resource instead, and
	// the test proves that finding goes away.
	fix    bool
	mutate func(m *mutable)
}

const policyJSON = `{"Version":"2012-10-17","Statement":[%s]}`

func stmt(s string) string { return strings.Replace(policyJSON, "%s", s, 1) }

// seeds holds one seed per rule; TestEveryRuleHasASeed keeps it complete.
var seeds = map[string]seed{
	"RDS.2":  {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "publiclyAccessible", true) }},
	"RDS.3":  {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "storageEncrypted", false) }},
	"RDS.5":  {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "multiAz", false) }},
	"RDS.6":  {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "monitoringInterval", 0) }},
	"RDS.8":  {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "deletionProtection", false) }},
	"RDS.9":  {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "enabledCloudwatchLogsExports", []any{}) }},
	"RDS.10": {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "iamDatabaseAuthenticationEnabled", false) }},
	"RDS.11": {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "backupRetentionPeriod", 1) }},
	"RDS.13": {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "autoMinorVersionUpgrade", false) }},
	"RDS.17": {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "copyTagsToSnapshot", false) }},
	"RDS.18": {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "dbSubnetGroupName", nil) }},
	"RDS.23": {mutate: func(m *mutable) {
		m.set(tRDS, "datastores-mysql", "engine", "postgres")
		m.set(tRDS, "datastores-mysql", "port", 5432)
	}},
	"RDS.25":        {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "username", "admin") }},
	"ElastiCache.1": {mutate: func(m *mutable) { m.set(tCache, "datastores-cache", "snapshotRetentionLimit", 0) }},
	"ElastiCache.2": {mutate: func(m *mutable) { m.set(tCache, "datastores-cache", "autoMinorVersionUpgrade", false) }},
	"ElastiCache.3": {mutate: func(m *mutable) { m.set(tCache, "datastores-cache", "automaticFailoverEnabled", false) }},
	"ElastiCache.4": {mutate: func(m *mutable) { m.set(tCache, "datastores-cache", "atRestEncryptionEnabled", false) }},
	"ElastiCache.5": {mutate: func(m *mutable) { m.set(tCache, "datastores-cache", "transitEncryptionMode", "preferred") }},
	"ElastiCache.6": {mutate: func(m *mutable) { m.set(tCache, "datastores-cache", "authToken", nil) }},
	"ElastiCache.7": {mutate: func(m *mutable) { m.set(tCache, "datastores-cache", "subnetGroupName", "default") }},
	"DynamoDB.1":    {mutate: func(m *mutable) { m.set(tTable, "datastores-router", "billingMode", "PROVISIONED") }},
	"DynamoDB.2":    {mutate: func(m *mutable) { m.set(tTable, "datastores-router", "pointInTimeRecovery.enabled", false) }},
	"DynamoDB.6":    {mutate: func(m *mutable) { m.set(tTable, "datastores-router", "deletionProtectionEnabled", false) }},
	"S3.2": {mutate: func(m *mutable) {
		m.set(tBucketPolicy, "datastores-assets", "policy", stmt(`{"Sid":"Public","Effect":"Allow","Action":"s3:GetObject","Resource":"*","Principal":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}}`))
	}},
	"S3.3": {mutate: func(m *mutable) {
		m.set(tBucketPolicy, "datastores-assets", "policy", stmt(`{"Sid":"Public","Effect":"Allow","Action":["s3:PutObject"],"Resource":["*"],"Principal":{"AWS":"*"}}`))
	}},
	"S3.5":  {mutate: func(m *mutable) { m.drop(tBucketPolicy, "datastores-documents") }},
	"S3.8":  {mutate: func(m *mutable) { m.set(tBucketPAB, "datastores-assets", "blockPublicPolicy", false) }},
	"S3.9":  {mutate: func(m *mutable) { m.drop(tBucketLogging, "datastores-assets") }},
	"S3.12": {mutate: func(m *mutable) { m.set(tBucketOwnership, "datastores-assets", "rule.objectOwnership", "ObjectWriter") }},
	"S3.13": {mutate: func(m *mutable) { m.drop(tBucketLifecycle, "datastores-assets") }},
	"S3.14": {mutate: func(m *mutable) { m.drop(tBucketVersion, "datastores-assets") }},
	"S3.17": {fix: true, mutate: func(m *mutable) {
		m.set(tBucketSSE, "datastores-assets", "rules.0.applyServerSideEncryptionByDefault.sseAlgorithm", "aws:kms")
	}},
	"PP.S3.1": {mutate: func(m *mutable) { m.set(tBucket, "datastores-assets", "forceDestroy", true) }},
	"ECS.1": {mutate: func(m *mutable) {
		m.set(tTaskDef, "app-producer", "networkMode", "host")
		m.container("app-producer", func(c map[string]any) { c["user"] = "root" })
	}},
	"ECS.2": {mutate: func(m *mutable) { m.set(tService, "app-producer", "networkConfiguration.assignPublicIp", true) }},
	"ECS.3": {mutate: func(m *mutable) { m.set(tTaskDef, "app-producer", "pidMode", "host") }},
	"ECS.4": {mutate: func(m *mutable) { m.container("app-producer", func(c map[string]any) { c["privileged"] = true }) }},
	"ECS.5": {mutate: func(m *mutable) {
		m.container("app-producer", func(c map[string]any) { c["readonlyRootFilesystem"] = false })
	}},
	"ECS.8": {mutate: func(m *mutable) {
		m.container("app-producer", func(c map[string]any) {
			c["environment"] = []any{map[string]any{"name": "AWS_SECRET_ACCESS_KEY", "value": "x"}}
		})
	}},
	"ECS.9": {mutate: func(m *mutable) {
		m.container("app-producer", func(c map[string]any) { delete(c, "logConfiguration") })
	}},
	"ECS.10": {mutate: func(m *mutable) { m.set(tService, "app-producer", "platformVersion", "1.3.0") }},
	"ECS.12": {mutate: func(m *mutable) {
		m.set(tCluster, "cluster", "settings", []any{map[string]any{"name": "containerInsights", "value": "disabled"}})
	}},
	"PP.ECS.1": {mutate: func(m *mutable) { m.container("app-consumer", func(c map[string]any) { c["user"] = "0:0" }) }},
	"PP.ECS.2": {mutate: func(m *mutable) { m.set(tService, "app-consumer", "deploymentCircuitBreaker.rollback", false) }},
	"PP.ECS.3": {mutate: func(m *mutable) {
		m.set(tTaskDef, "app-consumer", "taskRoleArn", m.find(tTaskDef, "app-consumer").InputString("executionRoleArn"))
	}},
	"Lambda.1": {mutate: func(m *mutable) { m.set(tPermission, "logs-processor-s3", "principal", "*") }},
	"Lambda.2": {mutate: func(m *mutable) { m.set(tFunction, "logs-processor", "runtime", "go1.x") }},
	"Lambda.3": {mutate: func(m *mutable) { m.set(tFunction, "logs-processor", "vpcConfig", nil) }},
	"Lambda.5": {mutate: func(m *mutable) { m.set(tFunction, "logs-processor", "vpcConfig.subnetIds", []any{"subnet-1"}) }},
	"ELB.1": {fix: true, mutate: func(m *mutable) {
		m.set(tListener, "cluster-http", "defaultActions", []any{map[string]any{"type": "redirect", "redirect": map[string]any{"protocol": "HTTPS", "port": "443", "statusCode": "HTTP_301"}}})
	}},
	"ELB.4":  {mutate: func(m *mutable) { m.set(tLB, "cluster-alb", "dropInvalidHeaderFields", false) }},
	"ELB.5":  {mutate: func(m *mutable) { m.set(tLB, "cluster-alb", "accessLogs.enabled", false) }},
	"ELB.6":  {mutate: func(m *mutable) { m.set(tLB, "push-nlb", "enableDeletionProtection", false) }},
	"ELB.12": {mutate: func(m *mutable) { m.set(tLB, "cluster-alb", "desyncMitigationMode", "monitor") }},
	"ELB.13": {mutate: func(m *mutable) { m.set(tLB, "push-nlb", "subnets", []any{"subnet-1"}) }},
	"ELB.17": {mutate: func(m *mutable) {
		m.set(tListener, "push-autoconnect-nlb", "protocol", "TLS")
		m.set(tListener, "push-autoconnect-nlb", "sslPolicy", "ELBSecurityPolicy-2016-08")
	}},
	"ELB.18":       {fix: true, mutate: func(m *mutable) { m.set(tListener, "push-autoconnect-nlb", "protocol", "TLS") }},
	"PP.ELB.1":     {mutate: func(m *mutable) { m.set(tLB, "push-nlb", "enableCrossZoneLoadBalancing", false) }},
	"CloudFront.1": {mutate: func(m *mutable) { m.set(tDistribution, "frontend", "defaultRootObject", "") }},
	"CloudFront.3": {mutate: func(m *mutable) {
		m.set(tDistribution, "frontend", "defaultCacheBehavior.viewerProtocolPolicy", "allow-all")
	}},
	"CloudFront.5": {fix: true, mutate: func(m *mutable) { m.set(tDistribution, "frontend", "loggingConfig.bucket", "logs.s3.amazonaws.com") }},
	"CloudFront.6": {fix: true, mutate: func(m *mutable) {
		m.set(tDistribution, "frontend", "webAclId", "arn:aws:wafv2:us-east-1:1:global/webacl/x/y")
	}},
	"CloudFront.7": {fix: true, mutate: func(m *mutable) {
		m.set(tDistribution, "frontend", "viewerCertificate.acmCertificateArn", "arn:aws:acm:us-east-1:1:certificate/x")
	}},
	"CloudFront.8": {mutate: func(m *mutable) {
		m.set(tDistribution, "frontend", "viewerCertificate.acmCertificateArn", "arn:aws:acm:us-east-1:1:certificate/x")
		m.set(tDistribution, "frontend", "viewerCertificate.sslSupportMethod", "vip")
	}},
	"CloudFront.9": {fix: true, mutate: func(m *mutable) {
		m.set(tVPCOrigin, "frontend-alb", "vpcOriginEndpointConfig.originProtocolPolicy", "https-only")
	}},
	"CloudFront.10": {mutate: func(m *mutable) {
		m.set(tVPCOrigin, "frontend-alb", "vpcOriginEndpointConfig.originSslProtocols.items", []any{"TLSv1"})
	}},
	"CloudFront.12": {mutate: func(m *mutable) {
		m.set(tDistribution, "frontend", "origins.0.domainName", "someone-elses-bucket.s3.eu-central-1.amazonaws.com")
	}},
	"CloudFront.13": {mutate: func(m *mutable) { m.set(tDistribution, "frontend", "origins.0.originAccessControlId", "") }},
	"PP.CF.1":       {mutate: func(m *mutable) { m.set(tDistribution, "frontend", "defaultCacheBehavior.responseHeadersPolicyId", "") }},
	"EC2.2": {mutate: func(m *mutable) {
		m.set(tDefaultSG, "network-default-sg", "ingress", []any{map[string]any{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": true}})
	}},
	"EC2.6": {mutate: func(m *mutable) { m.drop(tFlowLog, "network-flow-logs") }},
	"EC2.8": {stack: "dev", mutate: func(m *mutable) { m.set(tLaunchTemplate, "network-nat", "metadataOptions.httpTokens", "optional") }},
	"EC2.9": {stack: "dev", mutate: func(m *mutable) {
		m.set(tLaunchTemplate, "network-nat", "networkInterfaces.0.associatePublicIpAddress", "true")
	}},
	"EC2.18": {mutate: func(m *mutable) { m.worldIngress(8443) }},
	"EC2.19": {mutate: func(m *mutable) { m.worldIngress(3306) }},
	"EC2.55": {mutate: func(m *mutable) { m.drop("aws:ec2/vpcEndpoint:VpcEndpoint", "network-ecr-api") }},
	"PP.NET.1": {mutate: func(m *mutable) {
		r := m.stack.Res.OfType(tEgress)[0]
		m.set(tEgress, r.Name, "referencedSecurityGroupId", nil)
		m.set(tEgress, r.Name, "cidrIpv4", "0.0.0.0/0")
		m.set(tEgress, r.Name, "ipProtocol", "-1")
	}},
	"ECR.1": {mutate: func(m *mutable) { m.set(tRepository, "app-producer", "imageScanningConfiguration.scanOnPush", false) }},
	"ECR.2": {mutate: func(m *mutable) { m.set(tRepository, "app-producer", "imageTagMutability", "MUTABLE") }},
	"ECR.3": {mutate: func(m *mutable) { m.drop(tLifecycle, "app-producer") }},
	"SecretsManager.1": {fix: true, mutate: func(m *mutable) {
		secret := m.find(tSecret, "logs-api-token")
		m.add(&plan.Resource{Type: "aws:secretsmanager/secretRotation:SecretRotation", Name: "rotate", Custom: true,
			Inputs: resource.PropertyMap{"secretId": resource.NewProperty(secret.ID)}})
	}},
	"SQS.1":          {mutate: func(m *mutable) { m.set(tQueue, "logs-processor-failures", "sqsManagedSseEnabled", false) }},
	"DataFirehose.1": {mutate: func(m *mutable) { m.set(tFirehose, "logs", "serverSideEncryption.enabled", false) }},
	"CloudWatch.16":  {fix: true, mutate: func(m *mutable) { m.set(tLogGroup, "app-producer", "retentionInDays", 365) }},
	"PP.LOG.1":       {mutate: func(m *mutable) { m.set(tLogGroup, "app-producer", "retentionInDays", nil) }},
	"IAM.1": {mutate: func(m *mutable) {
		m.set(tRolePolicy, "app-producer-task", "policy", stmt(`{"Sid":"All","Effect":"Allow","Action":["*"],"Resource":["*"]}`))
	}},
	"IAM.21": {mutate: func(m *mutable) {
		m.set(tRolePolicy, "app-producer-task", "policy", stmt(`{"Sid":"S3","Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::b/*"]}`))
	}},
	"PP.IAM.1": {mutate: func(m *mutable) {
		m.set(tRolePolicy, "app-producer-task", "policy", stmt(`{"Sid":"Read","Effect":"Allow","Action":["dynamodb:GetItem"],"Resource":["*"]}`))
	}},
	"PP.IAM.2": {mutate: func(m *mutable) {
		m.set(tRole, "app-producer-task", "assumeRolePolicy", stmt(`{"Effect":"Allow","Action":["sts:AssumeRole"],"Principal":{"Service":["ecs-tasks.amazonaws.com"]}}`))
	}},
	"PP.DATA.1": {mutate: func(m *mutable) { m.find(tRDS, "datastores-mysql").Protect = false }},
	"PP.DATA.2": {mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "skipFinalSnapshot", true) }},
	"PP.SECRET.1": {mutate: func(m *mutable) {
		m.set(tCache, "datastores-cache", "authToken", "plain-text-token")
	}},
	"PP.TAG.1": {mutate: func(m *mutable) { m.stack.Values["aws:defaultTags"] = `{"tags":{"Project":"pushplatform"}}` }},
	"PP.KMS.1": {fix: true, mutate: func(m *mutable) { m.set(tRDS, "datastores-mysql", "kmsKeyId", "arn:aws:kms:eu-central-1:1:key/x") }},
	"PP.DDB.1": {mutate: func(m *mutable) { m.set(tTable, "datastores-router", "serverSideEncryption.enabled", false) }},
	"PP.RDS.1": {mutate: func(m *mutable) {
		m.set("aws:rds/parameterGroup:ParameterGroup", "datastores-mysql", "parameters", []any{})
	}},
	"PP.LAMBDA.1": {mutate: func(m *mutable) {
		m.set(tFunction, "logs-processor", "reservedConcurrentExecutions", nil)
	}},
}

// worldIngress opens the first ingress rule to the internet on port.
func (m *mutable) worldIngress(port int) {
	r := m.stack.Res.OfType(tIngress)[0]
	for _, k := range []string{"referencedSecurityGroupId", "prefixListId"} {
		m.set(tIngress, r.Name, k, nil)
	}
	m.set(tIngress, r.Name, "cidrIpv4", "0.0.0.0/0")
	m.set(tIngress, r.Name, "ipProtocol", "tcp")
	m.set(tIngress, r.Name, "fromPort", port)
	m.set(tIngress, r.Name, "toPort", port)
}
