package migrate

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"log/slog"
)

// SecretStore is the part of Secrets Manager the migration uses, behind an
// interface so the whole deploy step runs in tests without AWS.
type SecretStore interface {
	// GetSecretString returns the current SecretString of the secret.
	GetSecretString(ctx context.Context, id string) (string, error)
	// PutSecretString stores a new current version of the secret.
	PutSecretString(ctx context.Context, id, value string) error
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

// appCredentials reads the app user's secret. Decision: a secret without a
// password (the infrastructure normally stores one) gets a generated one,
// written back with PutSecretValue before any SQL runs, so the secret the
// services read and the password MySQL checks can never disagree. Other
// keys of the secret are kept. It reports whether it generated.
func appCredentials(ctx context.Context, s SecretStore, id, defaultUser string) (Credentials, bool, error) {
	all, c, err := readCredentials(ctx, s, id)
	if err != nil {
		return Credentials{}, false, fmt.Errorf("app secret: %w", err)
	}
	if c.Username == "" {
		c.Username = defaultUser
	}
	if c.Password != "" {
		return c, false, nil
	}
	if c.Password, err = GeneratePassword(); err != nil {
		return Credentials{}, false, err
	}
	all["username"], all["password"] = c.Username, c.Password
	b, err := json.Marshal(all)
	if err != nil {
		return Credentials{}, false, err
	}
	if err := s.PutSecretString(ctx, id, string(b)); err != nil {
		return Credentials{}, false, fmt.Errorf("store the generated app password in %s: %w", id, err)
	}
	return c, true, nil
}

// GeneratePassword returns 40 random letters and digits (about 238 bits):
// the alphabet Run accepts, which needs no quoting in SQL or in a DSN.
func GeneratePassword() (string, error) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	const n = 40
	out := make([]byte, 0, n)
	buf := make([]byte, 64)
	for len(out) < n {
		if _, err := rand.Read(buf); err != nil {
			return "", fmt.Errorf("generate password: %w", err)
		}
		for _, b := range buf {
			// 248 = 4*62: rejecting larger bytes keeps every character equally likely.
			if b < 248 && len(out) < n {
				out = append(out, alphabet[int(b)%len(alphabet)])
			}
		}
	}
	return string(out), nil
}
