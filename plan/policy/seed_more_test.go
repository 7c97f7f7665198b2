package policy

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan"
)

func init() {
	add := func(m *mutable, typ, name string, inputs map[string]any) {
		m.add(&plan.Resource{Type: typ, Name: name, Custom: true, URN: "urn:seed:" + name, Inputs: resource.NewPropertyMapFromMap(inputs)})
	}
	for id, sd := range map[string]seed{
		"S3.1": {fix: true, mutate: func(m *mutable) {
			add(m, "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "account", map[string]any{
				"blockPublicAcls": true, "blockPublicPolicy": true, "ignorePublicAcls": true, "restrictPublicBuckets": true})
		}},
		"S3.6": {mutate: func(m *mutable) {
			m.set(tBucketPolicy, "datastores-assets", "policy", stmt(`{"Sid":"Partner","Effect":"Allow","Action":"s3:PutBucketPolicy","Resource":"*","Principal":{"AWS":"arn:aws:iam::999999999999:root"}}`))
		}},
		"EC2.3": {stack: "dev", fix: true, mutate: func(m *mutable) {
			m.set(tLaunchTemplate, "network-nat", "blockDeviceMappings", []any{map[string]any{"deviceName": "/dev/xvda", "ebs": map[string]any{"encrypted": "true"}}})
		}},
		"PP.EC2.1": {stack: "dev", fix: true, mutate: func(m *mutable) {
			m.set(tLaunchTemplate, "network-nat", "monitoring", map[string]any{"enabled": true})
		}},
		"PP.EC2.2": {stack: "dev", mutate: func(m *mutable) {
			m.set(tLaunchTemplate, "network-nat", "blockDeviceMappings", []any{map[string]any{"deviceName": "/dev/xvda", "ebs": map[string]any{"deleteOnTermination": "false"}}})
		}},
		"PP.ELB.2": {mutate: func(m *mutable) { m.set(tLB, "push-nlb", "accessLogs", nil) }},
		"EC2.15": {fix: true, mutate: func(m *mutable) {
			m.set(tVPC, "network-vpc", "subnetSpecs", []any{map[string]any{"type": "Private"}})
		}},
		"EC2.21":           {fix: true, mutate: func(m *mutable) { add(m, "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", "acl", map[string]any{}) }},
		"EC2.56":           {mutate: func(m *mutable) { m.drop("aws:ec2/vpcEndpoint:VpcEndpoint", "network-ecr-dkr") }},
		"SecretsManager.4": {fix: true, mutate: func(m *mutable) { m.rotate("logs-api-token", 30) }},
		"PP.CF.2":          {mutate: func(m *mutable) { m.drop(tLogSource, m.stack.Res.OfType(tLogSource)[0].Name) }},
		"CloudFront.4": {fix: true, mutate: func(m *mutable) {
			m.set(tDistribution, "frontend", "originGroups", []any{map[string]any{"originId": "g"}})
		}},
		"PP.CF.4": {fix: true, mutate: func(m *mutable) {
			m.set(tDistribution, "frontend", "restrictions.geoRestriction.restrictionType", "blacklist")
		}},
		"S3.7": {fix: true, mutate: func(m *mutable) {
			add(m, "aws:s3/bucketReplicationConfig:BucketReplicationConfig", "replica", map[string]any{"bucket": m.find(tBucket, "datastores-assets").ID})
		}},
		"Lambda.7": {fix: true, mutate: func(m *mutable) {
			m.set(tFunction, "logs-processor", "tracingConfig.mode", "Active")
		}},
		"PP.LAMBDA.2": {fix: true, mutate: func(m *mutable) {
			m.set(tFunction, "logs-processor", "codeSigningConfigArn", "arn:aws:lambda:eu-central-1:1:code-signing-config:csc-1")
		}},
		"CloudFront.15": {fix: true, mutate: func(m *mutable) {
			m.set(tDistribution, "frontend", "viewerCertificate", map[string]any{
				"acmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/seed", "sslSupportMethod": "sni-only", "minimumProtocolVersion": "TLSv1.2_2021"})
		}},
		"PP.NET.2": {mutate: func(m *mutable) {
			r := m.stack.Res.OfType(tSecurityGroup)[0]
			m.set(tSecurityGroup, r.Name, "ingress", []any{map[string]any{"protocol": "tcp", "fromPort": 443, "toPort": 443}})
		}},
		"PP.IAM.3": {mutate: func(m *mutable) {
			m.set(tRole, "app-producer-task", "managedPolicyArns", []any{"arn:aws:iam::aws:policy/ReadOnlyAccess"})
		}},
	} {
		seeds[id] = sd
	}
}

// rotate gives a secret a rotation schedule.
func (m *mutable) rotate(secret string, days int) {
	m.add(&plan.Resource{Type: "aws:secretsmanager/secretRotation:SecretRotation", Name: "rotate-" + secret, Custom: true,
		Inputs: resource.NewPropertyMapFromMap(map[string]any{
			"secretId":      m.find(tSecret, secret).ID,
			"rotationRules": map[string]any{"automaticallyAfterDays": days},
		})})
}

// A secret's value copied anywhere in plain text (here a tag) is found,
// whatever the input is called.
func TestSecretValueCopiedInPlainText(t *testing.T) {
	s, _ := committed(t, "prod")
	m := newMutable(t, s)
	token := m.find(tPassword, "datastores-cache-auth")
	var value string
	for _, r := range m.stack.Res.OfType(tCache) {
		v := r.Inputs["authToken"]
		for v.IsSecret() || v.IsOutput() {
			if v.IsSecret() {
				v = v.SecretValue().Element
			} else {
				v = v.OutputValue().Element
			}
		}
		value = v.StringValue()
	}
	if len(value) < 8 {
		t.Fatalf("no recorded cache token to copy (password resource %s)", token.Name)
	}
	m.set(tQueue, "logs-processor-failures", "tags", map[string]any{"debug": "token=" + value})
	got := Find("PP.SECRET.1").Run(m.stack)
	if !slices.ContainsFunc(got, func(f Finding) bool {
		return strings.Contains(f.Problem, "logs-processor-failures: input tags holds a secret value")
	}) {
		t.Errorf("a secret value copied into a tag is not flagged: %v", got)
	}
	for _, f := range got {
		if strings.Contains(f.Problem, value) {
			t.Errorf("the finding prints the secret: %s", f.Problem)
		}
	}
}

// Partial wildcards that name no resource fail PP.IAM.1; a named bucket's
// objects do not.
func TestAllOfAKind(t *testing.T) {
	for res, want := range map[string]bool{
		"*": true, "arn:aws:s3:::*": true, "arn:aws:dynamodb:eu-central-1:1:table/*": true, "arn:aws:logs:eu-central-1:1:log-group:*": true,
		"arn:aws:s3:::bucket/*": false, "arn:aws:dynamodb:eu-central-1:1:table/t/index/*": false, "arn:aws:logs:eu-central-1:1:log-group:/x:*": false,
	} {
		if got := allOfAKind(res); got != want {
			t.Errorf("allOfAKind(%q) = %v, want %v", res, got, want)
		}
	}
}

// TestInstanceWithoutLaunchTemplate: the EC2 rules read an instance's own
// inputs when no launch template carries them, and leave an instance
// from a template to the template's findings.
func TestInstanceWithoutLaunchTemplate(t *testing.T) {
	s, _ := committed(t, "dev")
	m := newMutable(t, s)
	m.add(&plan.Resource{Type: tInstance, Name: "bastion", Custom: true, URN: "urn:seed:bastion", Inputs: resource.NewPropertyMapFromMap(map[string]any{
		"associatePublicIpAddress": true,
		"rootBlockDevice":          map[string]any{"deleteOnTermination": false},
		"ebsBlockDevices":          []any{map[string]any{"deviceName": "/dev/sdf", "encrypted": "true"}},
	})})
	for id, want := range map[string]int{"EC2.9": 1, "EC2.3": 1, "PP.EC2.1": 1, "PP.EC2.2": 1} {
		var got []string
		for _, f := range Find(id).Run(m.stack) {
			if f.Resource == "bastion" {
				got = append(got, f.Problem)
			}
		}
		if len(got) != want {
			t.Errorf("%s on the bastion: %v, want %d finding(s)", id, got, want)
		}
	}
	for _, f := range append(Find("EC2.3").Run(s), Find("PP.EC2.1").Run(s)...) {
		if f.Type == tInstance {
			t.Errorf("%s flags the NAT instance itself (its launch template carries the setting): %s", f.Rule, f.Problem)
		}
	}
}
