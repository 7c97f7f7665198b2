package observability

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// KeyDeletionDays is the waiting period before a deleted key is gone
// (KMS allows 7-30): the longest, since a key cannot be brought back.
const KeyDeletionDays = 30

// newTopic is the alarm topic with its key and the optional e-mail
// subscription.
//
// The topic is encrypted at rest (Security Hub SNS.1) with a key of its
// own, not the AWS-managed alias/aws/sns: CloudWatch alarms cannot publish
// to a topic under that key, because its key policy does not let
// cloudwatch.amazonaws.com call kms:GenerateDataKey* and kms:Decrypt and
// an AWS-managed key's policy cannot be changed (AWS re:Post,
// "cloudwatch-configure-alarm-sns"; the alarm history then says "CloudWatch
// Alarms does not have authorization to access the SNS topic encryption
// key"). A customer-managed key costs $1 a month.
func newTopic(ctx *pulumi.Context, name string, args *Args, parent pulumi.Resource, opts ...pulumi.ResourceOption) (*sns.Topic, error) {
	net := args.Cluster.Network
	key, err := kms.NewKey(ctx, name+"-topic", &kms.KeyArgs{
		Description:          pulumi.String("Encrypts the alarm topic; CloudWatch alarms may use it to publish"),
		EnableKeyRotation:    pulumi.Bool(true), // Security Hub KMS.4
		DeletionWindowInDays: pulumi.Int(KeyDeletionDays),
		Policy:               keyPolicy(ctx, parent, net.Partition, net.AccountID),
		Tags:                 pulumi.StringMap{"Name": pulumi.String(name + "-topic")},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create topic key: %w", err)
	}
	topic, err := sns.NewTopic(ctx, name, &sns.TopicArgs{
		KmsMasterKeyId: key.Arn,
		Tags:           pulumi.StringMap{"Name": pulumi.String(name)},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("create alarm topic: %w", err)
	}
	// The topic keeps SNS's default access policy, which lets principals
	// of this account publish; CloudWatch alarms of the same account
	// publish under it.
	if email := args.Config.Email; email != "" {
		// AWS mails a confirmation link; the subscription stays
		// "pending confirmation" and delivers nothing until it is
		// followed (the provider does not wait for it).
		if _, err := sns.NewTopicSubscription(ctx, name+"-email", &sns.TopicSubscriptionArgs{
			Topic: topic.Arn, Protocol: pulumi.String("email"), Endpoint: pulumi.String(email),
		}, opts...); err != nil {
			return nil, fmt.Errorf("subscribe %s: %w", "alarms.email", err)
		}
	}
	return topic, nil
}

// keyPolicy lets the account administer the key through IAM (the default
// key policy's root statement: without it nobody could manage the key)
// and CloudWatch use it to publish alarm notifications, with the two
// actions AWS's re:Post article grants. It is rendered by the provider's
// local iam.getPolicyDocument like every other document; it calls it
// directly because components/internal/policy's Principal takes plain
// identifiers, and the account's root ARN is an output here.
func keyPolicy(ctx *pulumi.Context, parent pulumi.Resource, partition, account pulumi.StringOutput) pulumi.StringOutput {
	all := pulumi.StringArray{pulumi.String("*")} // a key policy's resource is the key itself
	return iam.GetPolicyDocumentOutput(ctx, iam.GetPolicyDocumentOutputArgs{Statements: iam.GetPolicyDocumentStatementArray{
		iam.GetPolicyDocumentStatementArgs{
			Sid:     pulumi.String("AccountAdministersThroughIAM"),
			Effect:  pulumi.String("Allow"),
			Actions: pulumi.ToStringArray([]string{"kms:*"}),
			Principals: iam.GetPolicyDocumentStatementPrincipalArray{iam.GetPolicyDocumentStatementPrincipalArgs{
				Type: pulumi.String("AWS"), Identifiers: pulumi.StringArray{pulumi.Sprintf("arn:%s:iam::%s:root", partition, account)},
			}},
			Resources: all,
		},
		iam.GetPolicyDocumentStatementArgs{
			Sid:     pulumi.String("CloudWatchAlarmsPublish"),
			Effect:  pulumi.String("Allow"),
			Actions: pulumi.ToStringArray([]string{"kms:Decrypt", "kms:GenerateDataKey*"}),
			Principals: iam.GetPolicyDocumentStatementPrincipalArray{iam.GetPolicyDocumentStatementPrincipalArgs{
				Type: pulumi.String("Service"), Identifiers: pulumi.ToStringArray([]string{"cloudwatch.amazonaws.com"}),
			}},
			Resources: all,
		},
	}}, pulumi.Parent(parent)).Json()
}
