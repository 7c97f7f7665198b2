// Package arn reads the parts of an ARN offline. The account ID and the
// partition come from ARNs the program already has, instead of
// sts:GetCallerIdentity, which would call AWS during preview.
package arn

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Parts of an ARN: arn:partition:service:region:account:resource.
type Parts struct {
	Partition, Service, Region, Account, Resource string
}

// Parse splits an ARN; a malformed one yields zero parts.
func Parse(s string) Parts {
	f := strings.SplitN(s, ":", 6)
	if len(f) != 6 || f[0] != "arn" {
		return Parts{}
	}
	return Parts{Partition: f[1], Service: f[2], Region: f[3], Account: f[4], Resource: f[5]}
}

// Account is the account ID of an ARN output.
func Account(a pulumi.StringOutput) pulumi.StringOutput {
	return a.ApplyT(func(s string) string { return Parse(s).Account }).(pulumi.StringOutput)
}

// Partition is the partition of an ARN output (aws, aws-cn, aws-us-gov).
func Partition(a pulumi.StringOutput) pulumi.StringOutput {
	return a.ApplyT(func(s string) string { return Parse(s).Partition }).(pulumi.StringOutput)
}
