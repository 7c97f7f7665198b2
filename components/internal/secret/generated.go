// Package secret makes the secrets the program generates itself (the cache
// AUTH token, the MySQL app user's password, later the push crypto key):
// a random value, a Secrets Manager secret holding it as a JSON object, and
// the version that stores it, all with the same protection.
package secret

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi-random/sdk/v4/go/random"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/safety"
)

// GeneratedArgs describes one generated secret.
type GeneratedArgs struct {
	// NamePrefix is the Secrets Manager name prefix (AWS appends a suffix).
	NamePrefix string
	// Description says what the secret holds, including its JSON keys.
	Description string
	// Length is the number of characters generated: letters and digits
	// only, which need no quoting in any client, DSN or SQL statement.
	Length int
	// Bytes, instead of Length, generates that many random bytes and hands
	// Fields their URL-safe base64 (a Fernet key is 32 such bytes).
	Bytes int
	// Given, instead of generating, stores a configured value (a secret
	// config value the operator chose).
	Given string
	// Fields renders the secret's JSON object from the generated value,
	// e.g. {"username": "app", "password": value}.
	Fields func(value string) map[string]string
	// Protect (prod) protects and retains the value, the secret and its
	// version, and gives a deleted secret a 30-day recovery window; dev
	// deletes at once, so a re-created stack does not collide with it.
	Protect bool
}

// Generated is a generated secret.
type Generated struct {
	// Value is the generated value, marked secret: only for resources that
	// need it as an input (an ElastiCache AUTH token). Never export it.
	Value pulumi.StringOutput
	// Arn is the secret's ARN, what task definitions and roles reference.
	Arn pulumi.StringOutput
	// Version stores the value: whatever reads the secret must depend on it,
	// or it may read the secret before it holds anything.
	Version *secretsmanager.SecretVersion
}

// RecoveryWindowDays is how long a deleted secret stays recoverable.
func RecoveryWindowDays(protect bool) int {
	if protect {
		return 30
	}
	return 0
}

// NewGenerated creates the value, the secret and its version.
func NewGenerated(ctx *pulumi.Context, name string, args GeneratedArgs, opts ...pulumi.ResourceOption) (*Generated, error) {
	if args.Length < 16 && args.Bytes < 16 && args.Given == "" || args.Fields == nil || args.NamePrefix == "" {
		return nil, fmt.Errorf("generated secret %s: need a NamePrefix, Fields and a Length or Bytes of at least 16 (or a Given value)", name)
	}
	stateful := safety.Stateful(args.Protect, opts...)
	result, err := generate(ctx, name, args, stateful)
	if err != nil {
		return nil, err
	}
	s, err := secretsmanager.NewSecret(ctx, name, &secretsmanager.SecretArgs{
		NamePrefix:           pulumi.String(args.NamePrefix),
		Description:          pulumi.String(args.Description),
		RecoveryWindowInDays: pulumi.Int(RecoveryWindowDays(args.Protect)),
		Tags:                 pulumi.StringMap{"Name": pulumi.String(name)},
	}, stateful...)
	if err != nil {
		return nil, fmt.Errorf("create secret %s: %w", name, err)
	}
	body := result.ApplyT(func(v string) (string, error) {
		b, err := json.Marshal(args.Fields(v))
		return string(b), err
	}).(pulumi.StringOutput)
	version, err := secretsmanager.NewSecretVersion(ctx, name, &secretsmanager.SecretVersionArgs{
		SecretId:     s.ID(),
		SecretString: pulumi.ToSecret(body).(pulumi.StringOutput),
	}, stateful...)
	if err != nil {
		return nil, fmt.Errorf("store secret %s: %w", name, err)
	}
	return &Generated{Value: pulumi.ToSecret(result).(pulumi.StringOutput), Arn: s.Arn, Version: version}, nil
}

// generate makes the value: a configured one (kept secret), random bytes
// in URL-safe base64, or a random password of letters and digits.
func generate(ctx *pulumi.Context, name string, args GeneratedArgs, opts []pulumi.ResourceOption) (pulumi.StringOutput, error) {
	switch {
	case args.Given != "":
		return pulumi.ToSecret(pulumi.String(args.Given)).(pulumi.StringOutput), nil
	case args.Bytes > 0:
		b, err := random.NewRandomBytes(ctx, name, &random.RandomBytesArgs{Length: pulumi.Int(args.Bytes)}, opts...)
		if err != nil {
			return pulumi.StringOutput{}, fmt.Errorf("generate %s: %w", name, err)
		}
		// RandomBytes gives standard base64; Fernet wants the URL-safe
		// alphabet, with padding.
		return b.Base64.ApplyT(func(s string) string {
			return strings.NewReplacer("+", "-", "/", "_").Replace(s)
		}).(pulumi.StringOutput), nil
	}
	p, err := random.NewRandomPassword(ctx, name, &random.RandomPasswordArgs{
		Length:  pulumi.Int(args.Length),
		Special: pulumi.Bool(false),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("generate %s: %w", name, err)
	}
	return p.Result, nil
}
