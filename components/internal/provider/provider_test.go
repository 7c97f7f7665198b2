package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/config"
)

// Every aws: key the provider reads is either carried to the explicit
// provider or refused by config.Load; region is the one that differs.
func TestEveryAWSKeyIsCarriedOrRefused(t *testing.T) {
	for _, k := range config.AWSKeys {
		carried, refused := slices.Contains(Carried, k), slices.Contains(config.AWSKeysNotCarried, k)
		switch {
		case k == "region":
		case carried && refused:
			t.Errorf("aws:%s is both carried and refused", k)
		case !carried && !refused:
			t.Errorf("aws:%s is neither carried to the us-east-1 provider nor refused by config.Load", k)
		}
	}
	for _, k := range append(slices.Clone(Carried), config.AWSKeysNotCarried...) {
		if !slices.Contains(config.AWSKeys, k) {
			t.Errorf("%s is not an aws: key of pulumi-aws v6.83.4", k)
		}
	}
}

func TestCarry(t *testing.T) {
	values := map[string]string{
		"profile":              "deploy",
		"defaultTags":          `{"tags":{"Project":"pushplatform","Stack":"prod"}}`,
		"assumeRole":           `{"roleArn":"arn:aws:iam::123456789012:role/deploy","sessionName":"ci"}`,
		"allowedAccountIds":    `["123456789012"]`,
		"skipMetadataApiCheck": "true",
	}
	args, err := carry(func(k string) (string, bool) { v, ok := values[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if args.Profile == nil || args.DefaultTags == nil || args.AssumeRole == nil || args.AllowedAccountIds == nil || args.SkipMetadataApiCheck == nil {
		t.Fatalf("settings not carried: %+v", args)
	}
	tags := args.DefaultTags.(*aws.ProviderDefaultTagsArgs).Tags.(pulumi.StringMap)
	if len(tags) != 2 {
		t.Errorf("default tags %v", tags)
	}
	if args.AccessKey != nil || args.SharedConfigFiles != nil {
		t.Error("unset keys must stay unset")
	}

	_, err = carry(func(k string) (string, bool) {
		if k == "defaultTags" {
			return `["not", "an", "object"]`, true
		}
		return "", false
	})
	if err == nil || !strings.Contains(err.Error(), "aws:defaultTags") {
		t.Errorf("a malformed value must be an error naming the key, got %v", err)
	}
}
