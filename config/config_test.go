package config

import (
	"errors"
	"net/netip"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// base is a valid dev configuration, as the CLI would hand it over.
func base() map[string]string {
	return map[string]string{
		"aws:region":                    "eu-central-1",
		"pushplatform:highAvailability": "false",
		"pushplatform:network":          `{"availabilityZones":["eu-central-1a","eu-central-1b","eu-central-1c"]}`,
		"pushplatform:services":         `{}`,
	}
}

// withSetting is base(), highAvailability on or off, and one project key
// set to value (none when value is empty).
func withSetting(ha bool, key, value string) map[string]string {
	v := base()
	if ha {
		v["pushplatform:highAvailability"] = "true"
	}
	if value != "" {
		v["pushplatform:"+key] = value
	}
	return v
}

func resolve(t *testing.T, values map[string]string) *Config {
	t.Helper()
	cfg, err := Resolve("pushplatform", "test", values)
	if err != nil {
		t.Fatalf("Resolve: %v", err)
	}
	return cfg
}

func TestProfiles(t *testing.T) {
	dev := resolve(t, base())
	ha := base()
	ha["pushplatform:highAvailability"] = "true"
	prod := resolve(t, ha)

	if got := dev.Network.AvailabilityZones; !reflect.DeepEqual(got, []string{"eu-central-1a", "eu-central-1b"}) {
		t.Errorf("dev AZs = %v, want the first two", got)
	}
	if got := prod.Network.AvailabilityZones; len(got) != 3 {
		t.Errorf("prod AZs = %v, want three", got)
	}
	if dev.Network.NATGateways != NATInstance || prod.Network.NATGateways != NATNone {
		t.Errorf("NAT dev=%s prod=%s, want Instance and None", dev.Network.NATGateways, prod.Network.NATGateways)
	}
	if dev.Network.FlowLogRetentionDays != 7 || prod.Network.FlowLogRetentionDays != 365 {
		t.Errorf("flow log retention dev=%d prod=%d", dev.Network.FlowLogRetentionDays, prod.Network.FlowLogRetentionDays)
	}
	for _, s := range prod.Services.Named() {
		if s.MinCount < 2 {
			t.Errorf("prod %s minCount = %d, want >= 2", s.Name, s.MinCount)
		}
	}
	for _, s := range dev.Services.Named() {
		if s.DesiredCount != 1 || s.CPU != 256 || s.MemoryMiB != 512 {
			t.Errorf("dev %s = %v, want one 256/512 task", s.Name, s.Service)
		}
	}
}

func TestOverridesBeatTheProfile(t *testing.T) {
	v := base()
	v["pushplatform:highAvailability"] = "true"
	v["pushplatform:network"] = `{"availabilityZones":["eu-central-1a","eu-central-1b","eu-central-1c"],"azCount":2,"allowTwoAzHighAvailability":true,"natGateways":"Single","flowLogRetentionDays":30}`
	v["pushplatform:services"] = `{"producer":{"cpu":1024,"memoryMiB":4096,"minCount":3,"desiredCount":4,"maxCount":10}}`
	cfg := resolve(t, v)
	if len(cfg.Network.AvailabilityZones) != 2 || cfg.Network.NATGateways != NATSingle || cfg.Network.FlowLogRetentionDays != 30 {
		t.Errorf("network overrides ignored: %+v", cfg.Network)
	}
	want := Service{CPU: 1024, MemoryMiB: 4096, DesiredCount: 4, MinCount: 3, MaxCount: 10}
	if cfg.Services["producer"] != want {
		t.Errorf("producer = %+v, want %+v", cfg.Services["producer"], want)
	}
	if cfg.Services["consumer"].MinCount != 2 {
		t.Errorf("consumer keeps the HA profile: minCount = %d", cfg.Services["consumer"].MinCount)
	}
}

func TestPlanSubnets(t *testing.T) {
	masks := map[Tier]int{TierPublic: 24, TierPrivate: 20, TierIsolated: 24}
	vpc := netip.MustParsePrefix("10.0.0.0/16")
	two, err := planSubnets(vpc, 2, masks)
	if err != nil {
		t.Fatal(err)
	}
	three, err := planSubnets(vpc, 3, masks)
	if err != nil {
		t.Fatal(err)
	}
	want := map[Tier][]string{
		TierPublic:   {"10.0.16.0/24", "10.0.80.0/24", "10.0.144.0/24"},
		TierPrivate:  {"10.0.0.0/20", "10.0.64.0/20", "10.0.128.0/20"},
		TierIsolated: {"10.0.17.0/24", "10.0.81.0/24", "10.0.145.0/24"},
	}
	for _, p := range three {
		if !reflect.DeepEqual(p.CIDRs, want[p.Tier]) {
			t.Errorf("%s = %v, want %v", p.Tier, p.CIDRs, want[p.Tier])
		}
	}
	// Adding an AZ must not move the subnets of the existing ones.
	for i, p := range two {
		if !reflect.DeepEqual(p.CIDRs, three[i].CIDRs[:2]) {
			t.Errorf("%s moved when the third AZ was added: %v -> %v", p.Tier, p.CIDRs, three[i].CIDRs)
		}
	}
	// No two subnets overlap, and all lie in the VPC.
	var all []netip.Prefix
	for _, p := range three {
		for _, c := range p.CIDRs {
			all = append(all, netip.MustParsePrefix(c))
		}
	}
	for i, a := range all {
		if !vpc.Contains(a.Addr()) {
			t.Errorf("%s is outside %s", a, vpc)
		}
		for _, b := range all[i+1:] {
			if a.Overlaps(b) {
				t.Errorf("%s overlaps %s", a, b)
			}
		}
	}
}

func TestPlanSubnetsTooSmall(t *testing.T) {
	_, err := planSubnets(netip.MustParsePrefix("10.0.0.0/24"), 2, map[Tier]int{TierPublic: 24, TierPrivate: 20, TierIsolated: 24})
	if err == nil || !strings.Contains(err.Error(), "need") {
		t.Fatalf("a /24 VPC with /20 subnets must not fit, got %v", err)
	}
	// The smallest layout that fits a /24: /28 + /27 + /28 = 64 addresses per /26 block.
	plans, err := planSubnets(netip.MustParsePrefix("10.0.0.0/24"), 3, map[Tier]int{TierPublic: 28, TierPrivate: 27, TierIsolated: 28})
	if err != nil {
		t.Fatalf("a /24 VPC with /28,/27,/28 subnets fits: %v", err)
	}
	if got := plans[1].CIDRs; !reflect.DeepEqual(got, []string{"10.0.0.0/27", "10.0.0.64/27", "10.0.0.128/27"}) {
		t.Errorf("private = %v", got)
	}
}

// TestBadValues checks each bad value yields an error naming its key.
func TestBadValues(t *testing.T) {
	cases := []struct {
		name, key, value, wantKey string
	}{
		{"typo in a top-level key", "pushplatform:highAvailabilty", "true", "highAvailabilty"},
		{"flat dotted key", "pushplatform:network.azCount", "3", "network.azCount"},
		{"non-boolean switch", "pushplatform:highAvailability", "maybe", "highAvailability"},
		{"missing region", "aws:region", "", "aws:region"},
		{"network not an object", "pushplatform:network", `[1,2]`, "network"},
		{"services typo", "pushplatform:services", `{"prodcuer":{}}`, "services.prodcuer"},
		{"string count", "pushplatform:services", `{"producer":{"minCount":"two"}}`, "services.producer.minCount"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v := base()
			if c.value == "" {
				delete(v, c.key)
			} else {
				v[c.key] = c.value
			}
			_, err := Resolve("pushplatform", "test", v)
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want config.Errors, got %v", err)
			}
			if !strings.Contains(strings.Join(errs.Keys(), " "), c.wantKey) {
				t.Fatalf("errors %q do not name %s", err, c.wantKey)
			}
		})
	}
}

func TestSuggestsTheIntendedKey(t *testing.T) {
	v := base()
	v["pushplatform:network"] = `{"availabilityZones":["eu-central-1a","eu-central-1b"],"azcount":2}`
	_, err := Resolve("pushplatform", "test", v)
	if err == nil || !strings.Contains(err.Error(), "did you mean azCount?") {
		t.Fatalf("want a suggestion for azcount, got %v", err)
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	v := base()
	v["pushplatform:network"] = `{"cidr":"10.0.0.0/30","natGateways":"Double","availabilityZones":["us-east-1a"]}`
	v["pushplatform:services"] = `{"producer":{"cpu":300}}`
	_, err := Resolve("pushplatform", "test", v)
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want config.Errors, got %v", err)
	}
	want := []string{"network.availabilityZones", "network.availabilityZones[0]", "network.cidr", "network.natGateways", "services.producer.cpu"}
	if got := errs.Keys(); !reflect.DeepEqual(got, want) {
		t.Fatalf("keys = %v, want %v\n%v", got, want, err)
	}
}

func TestSubKeysMatchInputStructs(t *testing.T) {
	sk := SubKeys()
	if got := sk["network"]; len(got) != reflect.TypeFor[NetworkInput]().NumField() {
		t.Errorf("network sub-keys = %v", got)
	}
	if _, ok := sk["services.producer"]; !ok {
		t.Errorf("services.producer missing from %v", sk)
	}
}

// Keys outside the project's namespace are checked too: a misspelled
// namespace or aws: key would otherwise be silently ignored.
func TestUnknownNamespacesAndProviderKeys(t *testing.T) {
	cases := []struct{ key, want string }{
		{"pushplatfrom:highAvailability", "did you mean pushplatform:highAvailability?"},
		{"aws:regoin", "did you mean region?"},
		{"aws:defaultTag", "did you mean defaultTags?"},
		{"pulumi:disable-default-provider", "did you mean disable-default-providers?"},
		{"highAvailability", "needs a namespace"},
	}
	for _, c := range cases {
		v := base()
		v[c.key] = "true"
		_, err := Resolve("pushplatform", "test", v)
		var errs Errors
		if !errors.As(err, &errs) || len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want) {
			t.Errorf("%s: got %v, want one error saying %q", c.key, err, c.want)
		}
	}
	for _, ok := range []string{"aws:skipCredentialsValidation", "aws:profile", "pulumi:disable-default-providers"} {
		v := base()
		v[ok] = "true"
		if _, err := Resolve("pushplatform", "test", v); err != nil {
			t.Errorf("%s is a documented key: %v", ok, err)
		}
	}
}

func TestStackNames(t *testing.T) {
	for _, good := range []string{"dev", "prod", "prod-eu", strings.Repeat("a", MaxStackNameLength)} {
		if _, err := Resolve("pushplatform", good, base()); err != nil {
			t.Errorf("stack %q: %v", good, err)
		}
	}
	for _, bad := range []string{"Prod", "prod_eu", "-prod", "prod-", "pr--od", "1prod", strings.Repeat("a", MaxStackNameLength+1)} {
		_, err := Resolve("pushplatform", bad, base())
		var errs Errors
		if !errors.As(err, &errs) || !slices.Contains(errs.Keys(), "stack name") {
			t.Errorf("stack %q: got %v, want a stack name error", bad, err)
		}
	}
	if got := CacheFinalSnapshot(strings.Repeat("a", MaxStackNameLength)); len(got) != MaxReplicationGroupID {
		t.Errorf("the longest stack's final snapshot %q is %d characters, want exactly the limit %d", got, len(got), MaxReplicationGroupID)
	}
}

// An app-keyed map names only declared apps, and says which was meant.
func TestAppKeyedConfig(t *testing.T) {
	v := base()
	v["pushplatform:services"] = `{"consumr":{"cpu":512}}`
	_, err := Resolve("pushplatform", "test", v)
	if err == nil || !strings.Contains(err.Error(), "services.consumr: unknown service app; declared service apps: producer, consumer, autoconnect, autoendpoint, pushmessages (config/apps.go); did you mean consumer?") {
		t.Errorf("got %v", err)
	}
	v["pushplatform:services"] = `{"consumer":{"cpu":1024,"memoryMiB":2048}}`
	cfg := resolve(t, v)
	if cfg.Services["consumer"].CPU != 1024 || cfg.Services["producer"].CPU != 256 {
		t.Errorf("services = %+v", cfg.Services)
	}
	if names := cfg.Services.Named(); len(names) != 5 || names[0].Name != "producer" || names[1].Name != "consumer" || names[2].Name != "autoconnect" || names[3].Name != "autoendpoint" || names[4].Name != "pushmessages" {
		t.Errorf("Named() = %v, want the declared order", names)
	}
}

// The CloudFront prefix list comes from the region's table entry, an
// override, or, in a region outside the table, an error naming the key.
func TestCloudFrontPrefixList(t *testing.T) {
	if got := resolve(t, base()).Network.CloudFrontPrefixListID; got != "pl-a3a144ca" {
		t.Errorf("eu-central-1 default = %q", got)
	}
	v := base()
	v["pushplatform:network"] = `{"availabilityZones":["eu-central-1a","eu-central-1b"],"cloudFrontPrefixListId":"pl-0123456789abcdef0"}`
	if got := resolve(t, v).Network.CloudFrontPrefixListID; got != "pl-0123456789abcdef0" {
		t.Errorf("override = %q", got)
	}
	v = base()
	v["aws:region"] = "af-south-1"
	v["pushplatform:network"] = `{"availabilityZones":["af-south-1a","af-south-1b"]}`
	_, err := Resolve("pushplatform", "test", v)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Key != "network.cloudFrontPrefixListId" || !strings.Contains(err.Error(), "af-south-1") {
		t.Fatalf("a region outside the table: %v", err)
	}
	v["pushplatform:network"] = `{"availabilityZones":["af-south-1a","af-south-1b"],"cloudFrontPrefixListId":"pl-1a2b3c4d"}`
	resolve(t, v)
}

// The frontend's profile values, and a custom domain as a whole.
func TestFrontend(t *testing.T) {
	if got := resolve(t, base()).Frontend.PriceClass; got != "PriceClass_100" {
		t.Errorf("dev price class %s", got)
	}
	ha := base()
	ha["pushplatform:highAvailability"] = "true"
	if got := resolve(t, ha).Frontend.PriceClass; got != "PriceClass_All" {
		t.Errorf("prod price class %s", got)
	}
	v := base()
	v["pushplatform:frontend"] = `{"certificateArn":"arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-0b0a-0908-0706-050403020100","aliases":["app.example.com","*.cdn.example.com"]}`
	if f := resolve(t, v).Frontend; len(f.Aliases) != 2 || f.CertificateArn == "" {
		t.Errorf("custom domain = %+v", f)
	}
}
