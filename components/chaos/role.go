package chaos

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/policy"
)

// logDelivery is what FIS needs to deliver experiment logs to CloudWatch
// Logs (the FIS user guide's "Experiment logging" points to the CloudWatch
// Logs user guide, "Logs sent to CloudWatch Logs"): a log delivery and the
// account's log resource policy that admits it. These calls have no
// resource-level permission.
var logDelivery = policy.Statement{Sid: "DeliverExperimentLogs",
	Actions:   []string{"logs:CreateLogDelivery", "logs:DescribeLogGroups", "logs:DescribeResourcePolicies", "logs:PutResourcePolicy"},
	Resources: star}

// newRole is the role one experiment runs with: trusted by FIS for this
// account only, holding exactly its action's permissions and the log
// delivery. Stop conditions need nothing here: FIS reads the alarms with
// its service-linked role (AmazonFISServiceRolePolicy).
// The template waits for the grants: an experiment started right after
// the deploy must find them in place.
func (c *Chaos) newRole(ctx *pulumi.Context, name string, e experiment, s *scope, opts pulumi.ResourceOption) (*iam.Role, *iam.RolePolicy, error) {
	role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
		Description:      pulumi.String(fmt.Sprintf("FIS experiment %s", e.Key)),
		AssumeRolePolicy: policy.TrustedBy(ctx, c, "fis.amazonaws.com", s.account),
		Tags:             pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("experiment %s role: %w", e.Key, err)
	}
	grants, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{
		Role:   role.Name,
		Policy: policy.Document(ctx, c, append(slices.Clone(e.Statements), logDelivery)...),
	}, opts)
	if err != nil {
		return nil, nil, fmt.Errorf("experiment %s grants: %w", e.Key, err)
	}
	return role, grants, nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
