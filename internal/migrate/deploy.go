package migrate

import (
	"context"
	"fmt"
	"strings"

	"github.com/pushplatform/pushplatform/internal/store"
)

// Event is what the infrastructure invokes the migrate function with on
// deploy: where the database is and which secrets hold the credentials,
// never a credential itself.
type Event struct {
	MasterSecretArn string `json:"masterSecretArn"`
	AppSecretArn    string `json:"appSecretArn"`
	Host            string `json:"host"`
	Port            int    `json:"port"`
	Database        string `json:"database"`
}

// Validate names every missing or invalid field at once.
func (e Event) Validate() error {
	var problems []string
	for _, f := range []struct{ name, value string }{
		{"masterSecretArn", e.MasterSecretArn}, {"appSecretArn", e.AppSecretArn}, {"host", e.Host}, {"database", e.Database},
	} {
		if strings.TrimSpace(f.value) == "" {
			problems = append(problems, f.name+" is missing")
		}
	}
	if e.Port < 1 || e.Port > 65535 {
		problems = append(problems, fmt.Sprintf("port %d: want 1 to 65535", e.Port))
	}
	if len(problems) > 0 {
		return fmt.Errorf("bad migrate event: %s (want {\"masterSecretArn\", \"appSecretArn\", \"host\", \"port\", \"database\"})", strings.Join(problems, "; "))
	}
	return nil
}

// TLS is how Deploy reaches the database: RDS enforces TLS, so the
// function always uses it; CAFile is the RDS CA bundle.
type TLS struct {
	Enabled bool
	CAFile  string
}

// DefaultAppUser is the app user's name when its secret names none.
const DefaultAppUser = "app"

// Deploy is the whole deploy-time step: read the master secret, read the
// app secret, connect as master and Run. It is safe to run
// again; the summary it returns holds no credential.
func Deploy(ctx context.Context, ev Event, secrets SecretStore, tls TLS) (*Summary, error) {
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	master, err := masterCredentials(ctx, secrets, ev.MasterSecretArn)
	if err != nil {
		return nil, err
	}
	app, err := appCredentials(ctx, secrets, ev.AppSecretArn, DefaultAppUser)
	if err != nil {
		return nil, err
	}
	// No database in the DSN: it may not exist yet.
	db, err := store.Open(ctx, store.Config{Host: ev.Host, Port: ev.Port, User: master.Username, Password: master.Password, TLS: tls.Enabled, CAFile: tls.CAFile})
	if err != nil {
		return nil, fmt.Errorf("connect as the master user: %w", err)
	}
	defer db.Close()
	return Run(ctx, db, ev.Database, app.Username, app.Password, tls.Enabled)
}
