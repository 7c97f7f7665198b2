package config

import "regexp"

// CloudFrontPrefixLists are the IDs of the AWS-managed prefix list
// com.amazonaws.global.cloudfront.origin-facing by region. AWS documents
// the list's name, not its IDs (which differ per region and are found with
// `aws ec2 describe-managed-prefix-lists --filters
// Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`);
// these are the IDs that many independent public deployments use. Taking
// them from this table instead of a look-up keeps preview and the offline
// plan free of AWS calls; network.cloudFrontPrefixListId overrides the
// table, and a region missing from it must set that key.
var CloudFrontPrefixLists = map[string]string{
	"ap-northeast-1": "pl-58a04531",
	"ap-northeast-2": "pl-22a6434b",
	"ap-south-1":     "pl-9aa247f3",
	"ap-southeast-1": "pl-31a34658",
	"ap-southeast-2": "pl-b8a742d1",
	"ca-central-1":   "pl-38a64351",
	"eu-central-1":   "pl-a3a144ca",
	"eu-north-1":     "pl-fab65393",
	"eu-west-1":      "pl-4fa04526",
	"eu-west-2":      "pl-93a247fa",
	"eu-west-3":      "pl-75b1541c",
	"sa-east-1":      "pl-5da64334",
	"us-east-1":      "pl-3b927c52",
	"us-east-2":      "pl-b6a144df",
	"us-west-1":      "pl-4ea04527",
	"us-west-2":      "pl-82a045eb",
}

var prefixListID = regexp.MustCompile(`^pl-[0-9a-f]{8}([0-9a-f]{9})?$`)

func resolveCloudFrontPrefixList(in *string, region string, errs *Errors) string {
	if in != nil {
		if !prefixListID.MatchString(*in) {
			errs.add("network.cloudFrontPrefixListId", quote(*in), "must be a prefix list ID such as pl-a3a144ca: the ID of com.amazonaws.global.cloudfront.origin-facing in %s", region)
		}
		return *in
	}
	id, ok := CloudFrontPrefixLists[region]
	if !ok && region != "" {
		errs.add("network.cloudFrontPrefixListId", `""`, "has no default for %s; set it to the ID of com.amazonaws.global.cloudfront.origin-facing there (aws ec2 describe-managed-prefix-lists --region %s)", region, region)
	}
	return id
}
