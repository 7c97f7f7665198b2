package datastores

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/dynamodb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/safety"
	"github.com/pushplatform/pushplatform/config"
)

// Table is a DynamoDB table as other components see it.
type Table struct {
	Name pulumi.StringOutput
	Arn  pulumi.StringOutput
}

// Tables are the platform's DynamoDB tables.
type Tables struct {
	// Router is autopush's router table: one item per user agent (uaid).
	Router Table
	// Message is autopush's message table: stored notifications and each
	// user's channel set, expired by DynamoDB TTL on `expiry`.
	Message Table
	// PushMessages is the per-VAPID-key message history the push-processor
	// writes and the Push Messages API reads.
	PushMessages Table
}

// Key schemas. The autopush ones are exactly what autopush-rs 1.71.x reads
// and writes (autopush-common/src/db/dynamodb): string keys, no index; neither
// autoconnect nor autoendpoint creates tables or turns TTL on, so the
// deployment does both.
const (
	AutopushUAID          = "uaid"          // S: the user agent ID, 32 hex characters
	AutopushChannelMsg    = "chidmessageid" // S: channel ID + message ID; " " holds the channel set
	AutopushExpiry        = "expiry"        // N: epoch seconds
	PushMessagesVAPIDKey  = "vapidKey"      // S: the sender's VAPID public key (base64url)
	PushMessagesSortKey   = "sentAtId"      // S: 13-digit epoch milliseconds, "#", message ID
	PushMessagesExpiresAt = "expiresAt"     // N: epoch seconds
)

type tableSpec struct {
	suffix, name, hash, rangeKey, ttl string
}

func newTables(ctx *pulumi.Context, name string, c config.Tables, parent pulumi.Resource) (*Tables, error) {
	specs := []tableSpec{
		{suffix: "router", name: c.RouterTable, hash: AutopushUAID},
		{suffix: "message", name: c.MessageTable, hash: AutopushUAID, rangeKey: AutopushChannelMsg, ttl: AutopushExpiry},
		{suffix: "push-messages", name: c.PushMessagesTable, hash: PushMessagesVAPIDKey, rangeKey: PushMessagesSortKey, ttl: PushMessagesExpiresAt},
	}
	made := make([]Table, 0, len(specs))
	for _, s := range specs {
		t, err := newTable(ctx, name+"-"+s.suffix, s, c, parent)
		if err != nil {
			return nil, err
		}
		made = append(made, t)
	}
	return &Tables{Router: made[0], Message: made[1], PushMessages: made[2]}, nil
}

func newTable(ctx *pulumi.Context, logical string, s tableSpec, c config.Tables, parent pulumi.Resource) (Table, error) {
	attrs := dynamodb.TableAttributeArray{&dynamodb.TableAttributeArgs{Name: pulumi.String(s.hash), Type: pulumi.String("S")}}
	args := &dynamodb.TableArgs{
		// The name comes from config so an existing deployment can be
		// adopted; autopush also stores the message table's name on every
		// user (current_month), so it must never change under a live system.
		Name:                      pulumi.String(s.name),
		BillingMode:               pulumi.String("PAY_PER_REQUEST"),
		HashKey:                   pulumi.String(s.hash),
		ServerSideEncryption:      &dynamodb.TableServerSideEncryptionArgs{Enabled: pulumi.Bool(true)},
		PointInTimeRecovery:       &dynamodb.TablePointInTimeRecoveryArgs{Enabled: pulumi.Bool(c.PointInTimeRecovery)},
		DeletionProtectionEnabled: pulumi.Bool(c.DeletionProtection),
		Tags:                      pulumi.StringMap{"Name": pulumi.String(s.name)},
	}
	if s.rangeKey != "" {
		args.RangeKey = pulumi.String(s.rangeKey)
		attrs = append(attrs, &dynamodb.TableAttributeArgs{Name: pulumi.String(s.rangeKey), Type: pulumi.String("S")})
	}
	// Only key attributes are declared: DynamoDB rejects others.
	args.Attributes = attrs
	if s.ttl != "" {
		args.Ttl = &dynamodb.TableTtlArgs{AttributeName: pulumi.String(s.ttl), Enabled: pulumi.Bool(true)}
	}
	t, err := dynamodb.NewTable(ctx, logical, args, safety.Stateful(c.Protect, pulumi.Parent(parent))...)
	if err != nil {
		return Table{}, fmt.Errorf("create table %s: %w", s.name, err)
	}
	return Table{Name: t.Name, Arn: t.Arn}, nil
}
