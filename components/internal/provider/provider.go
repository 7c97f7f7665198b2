// Package provider makes the explicit AWS providers the platform needs
// outside the stack's region. An explicit provider does not read the
// stack's aws: config, so each one here is given the settings that decide
// who deploys and how resources are tagged, read from that config.
package provider

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// GlobalRegion is where CloudFront's regional control planes live: ACM
// certificates for CloudFront and its CloudWatch log delivery (CloudFront
// developer guide, "Configure standard logging (v2)": "you must specify
// the US East (N. Virginia) Region (us-east-1)").
const GlobalRegion = "us-east-1"

// Carried are the aws: keys copied onto the explicit provider; config.Load
// refuses the others that would make it act unlike the default provider
// (config.AWSKeysNotCarried). Credentials from the environment
// (AWS_PROFILE, AWS_ACCESS_KEY_ID, web identity in CI) reach it as they
// reach the default provider.
var Carried = []string{
	"profile", "sharedConfigFiles", "sharedCredentialsFiles", "accessKey", "secretKey", "token",
	"assumeRole", "allowedAccountIds", "forbiddenAccountIds", "defaultTags",
	"skipCredentialsValidation", "skipMetadataApiCheck", "skipRequestingAccountId", "maxRetries", "ignoreTags",
	"skipRegionValidation",
}

// InRegion returns an explicit provider for region with the stack's
// carried aws: settings.
func InRegion(ctx *pulumi.Context, name, region string, opts ...pulumi.ResourceOption) (*aws.Provider, error) {
	args, err := carry(func(k string) (string, bool) { return ctx.GetConfig("aws:" + k) })
	if err != nil {
		return nil, err
	}
	args.Region = pulumi.String(region)
	p, err := aws.NewProvider(ctx, name, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("provider %s in %s: %w", name, region, err)
	}
	return p, nil
}

// carry builds the provider arguments from the stack's aws: values (get
// returns a key's raw value and whether it is set).
func carry(get func(string) (string, bool)) (*aws.ProviderArgs, error) {
	args := &aws.ProviderArgs{}
	var problems []error
	str := func(k string) pulumi.StringPtrInput {
		if v, ok := get(k); ok {
			return pulumi.StringPtr(v)
		}
		return nil
	}
	secret := func(k string) pulumi.StringPtrInput {
		if v, ok := get(k); ok {
			return pulumi.ToSecret(pulumi.StringPtr(v)).(pulumi.StringPtrOutput)
		}
		return nil
	}
	list := func(k string) pulumi.StringArrayInput {
		v, ok := get(k)
		if !ok {
			return nil
		}
		var l []string
		if err := json.Unmarshal([]byte(v), &l); err != nil {
			problems = append(problems, fmt.Errorf("aws:%s = %s: want a list of strings: %w", k, v, err))
			return nil
		}
		return pulumi.ToStringArray(l)
	}
	flag := func(k string) pulumi.BoolPtrInput {
		v, ok := get(k)
		if !ok {
			return nil
		}
		var b bool
		if err := json.Unmarshal([]byte(v), &b); err != nil {
			problems = append(problems, fmt.Errorf("aws:%s = %s: want true or false", k, v))
			return nil
		}
		return pulumi.BoolPtr(b)
	}
	args.Profile = str("profile")
	args.SharedConfigFiles = list("sharedConfigFiles")
	args.SharedCredentialsFiles = list("sharedCredentialsFiles")
	args.AccessKey, args.SecretKey, args.Token = secret("accessKey"), secret("secretKey"), secret("token")
	args.AllowedAccountIds = list("allowedAccountIds")
	args.ForbiddenAccountIds = list("forbiddenAccountIds")
	args.SkipCredentialsValidation = flag("skipCredentialsValidation")
	args.SkipMetadataApiCheck = flag("skipMetadataApiCheck")
	args.SkipRequestingAccountId = flag("skipRequestingAccountId")
	args.SkipRegionValidation = flag("skipRegionValidation")
	if v, ok := get("ignoreTags"); ok {
		var it struct {
			Keys        []string `json:"keys"`
			KeyPrefixes []string `json:"keyPrefixes"`
		}
		if err := json.Unmarshal([]byte(v), &it); err != nil {
			problems = append(problems, fmt.Errorf("aws:ignoreTags = %s: want {keys, keyPrefixes}: %w", v, err))
		} else {
			args.IgnoreTags = &aws.ProviderIgnoreTagsArgs{Keys: pulumi.ToStringArray(it.Keys), KeyPrefixes: pulumi.ToStringArray(it.KeyPrefixes)}
		}
	}
	if v, ok := get("maxRetries"); ok {
		var n int
		if err := json.Unmarshal([]byte(v), &n); err != nil {
			problems = append(problems, fmt.Errorf("aws:maxRetries = %s: want a number", v))
		} else {
			args.MaxRetries = pulumi.IntPtr(n)
		}
	}
	if v, ok := get("defaultTags"); ok {
		var dt struct {
			Tags map[string]string `json:"tags"`
		}
		if err := json.Unmarshal([]byte(v), &dt); err != nil {
			problems = append(problems, fmt.Errorf("aws:defaultTags = %s: want {tags: {Key: value}}: %w", v, err))
		} else {
			args.DefaultTags = &aws.ProviderDefaultTagsArgs{Tags: pulumi.ToStringMap(dt.Tags)}
		}
	}
	if v, ok := get("assumeRole"); ok {
		var ar struct {
			RoleArn     string `json:"roleArn"`
			SessionName string `json:"sessionName"`
			ExternalID  string `json:"externalId"`
		}
		if err := json.Unmarshal([]byte(v), &ar); err != nil || ar.RoleArn == "" {
			problems = append(problems, fmt.Errorf("aws:assumeRole = %s: want {roleArn, sessionName?, externalId?}", v))
		} else {
			role := &aws.ProviderAssumeRoleArgs{RoleArn: pulumi.StringPtr(ar.RoleArn)}
			if ar.SessionName != "" {
				role.SessionName = pulumi.StringPtr(ar.SessionName)
			}
			if ar.ExternalID != "" {
				role.ExternalId = pulumi.StringPtr(ar.ExternalID)
			}
			args.AssumeRole = role
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("the stack's aws: settings cannot be carried to the %s provider: %v", GlobalRegion, problems)
	}
	return args, nil
}
