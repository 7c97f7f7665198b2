package migrate

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
)

// SecretStore is the part of Secrets Manager the migration uses, behind an
// interface so the whole deploy step runs in tests without AWS. It only
// reads: the infrastructure owns every secret's value (a secret version in
// the stack), so the migration can never make the secret the services read
// and the password MySQL checks disagree, and its role needs no write.
type SecretStore interface {
	// GetSecretString returns the current SecretString of the secret.
	GetSecretString(ctx context.Context, id string) (string, error)
}

// Credentials are a secret's JSON keys username and password, the shape of
// an RDS-managed master secret and of the app user's secret.
type Credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// String keeps the password out of anything that formats Credentials.
func (c Credentials) String() string {
	return fmt.Sprintf("{username:%s password:<hidden>}", c.Username)
}

// LogValue keeps the password out of slog output.
func (c Credentials) LogValue() slog.Value { return slog.StringValue(c.String()) }

// readCredentials reads a secret holding JSON credentials. Errors name the
// secret and what is missing, never its content.
func readCredentials(ctx context.Context, s SecretStore, id string) (map[string]any, Credentials, error) {
	raw, err := s.GetSecretString(ctx, id)
	if err != nil {
		return nil, Credentials{}, fmt.Errorf("read secret %s: %w", id, err)
	}
	var all map[string]any
	if raw != "" {
		if err := json.Unmarshal([]byte(raw), &all); err != nil {
			return nil, Credentials{}, fmt.Errorf("secret %s is not a JSON object with keys username and password", id)
		}
	}
	if all == nil {
		all = map[string]any{}
	}
	var c Credentials
	for key, dst := range map[string]*string{"username": &c.Username, "password": &c.Password} {
		switch v := all[key].(type) {
		case nil:
		case string:
			*dst = v
		default:
			return nil, Credentials{}, fmt.Errorf("secret %s: key %q must be a string", id, key)
		}
	}
	return all, c, nil
}

// masterCredentials reads the RDS-managed master secret, which must hold both keys.
func masterCredentials(ctx context.Context, s SecretStore, id string) (Credentials, error) {
	_, c, err := readCredentials(ctx, s, id)
	if err != nil {
		return Credentials{}, fmt.Errorf("master secret: %w", err)
	}
	if c.Username == "" || c.Password == "" {
		return Credentials{}, fmt.Errorf("master secret %s: want JSON keys username and password, both non-empty", id)
	}
	return c, nil
}

// appCredentials reads the app user's secret, which the infrastructure
// fills (username and password) before it invokes the migration. A missing
// password is an error naming the secret: the migration never invents one.
func appCredentials(ctx context.Context, s SecretStore, id, defaultUser string) (Credentials, error) {
	_, c, err := readCredentials(ctx, s, id)
	if err != nil {
		return Credentials{}, fmt.Errorf("app secret: %w", err)
	}
	if c.Username == "" {
		c.Username = defaultUser
	}
	if c.Password == "" {
		return Credentials{}, fmt.Errorf("app secret %s holds no password (JSON key \"password\"); the stack stores one in the secret's version before it invokes the migration", id)
	}
	return c, nil
}
