package migrate_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/pushplatform/pushplatform/internal/migrate"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

// fakeSecrets is an in-memory Secrets Manager; it can only be read, as
// the function's role only reads.
type fakeSecrets struct {
	mu     sync.Mutex
	values map[string]string
}

func (f *fakeSecrets) GetSecretString(_ context.Context, id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	v, ok := f.values[id]
	if !ok {
		return "", fmt.Errorf("ResourceNotFoundException: %s", id)
	}
	return v, nil
}

const (
	masterArn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!db-master"
	appArn    = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:pushplatform/dev/db-app"
)

// TestDeployOverTLS runs the deploy step as the function does, against a
// MariaDB serving TLS: the app user logs in over TLS only with the password
// the stack stored in its secret, and after a new password is stored (a
// rotation) a second deploy makes the new one work and the old one fail.
func TestDeployOverTLS(t *testing.T) {
	m := testservers.StartMariaDBWith(t, testservers.MariaDBOptions{TLS: true, AllowPlain: true})
	ctx := context.Background()
	root, err := store.Open(ctx, store.Config{Host: "127.0.0.1", Port: m.Port, User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	const masterPassword = "Master-pass:with/special@chars!"
	if _, err := root.Exec("CREATE USER 'admin'@'%' IDENTIFIED BY '" + masterPassword + "'"); err != nil {
		t.Fatal(err)
	}
	if _, err := root.Exec("GRANT ALL PRIVILEGES ON *.* TO 'admin'@'%' WITH GRANT OPTION"); err != nil {
		t.Fatal(err)
	}
	secrets := &fakeSecrets{values: map[string]string{
		masterArn: `{"username":"admin","password":"` + masterPassword + `","engine":"mysql"}`,
		appArn:    `{"username":"app","password":"FirstPassword0123456789abcdefghij"}`,
	}}
	ev := migrate.Event{MasterSecretArn: masterArn, AppSecretArn: appArn, Host: "127.0.0.1", Port: m.Port, Database: "pushplatform"}
	tls := migrate.TLS{Enabled: true, CAFile: m.CAFile}

	sum, err := migrate.Deploy(ctx, ev, secrets, tls)
	if err != nil {
		t.Fatal(err)
	}
	if !sum.TLSOnly || sum.AppUser != "app" || sum.Grants != migrate.Grants {
		t.Fatalf("first deploy: summary %+v; want the app user with SELECT, INSERT over TLS only", sum)
	}
	out, _ := json.Marshal(sum)
	if strings.Contains(string(out), "FirstPassword") || strings.Contains(string(out), masterPassword) {
		t.Fatalf("the summary shows a password: %s", out)
	}
	app := store.Config{Host: "127.0.0.1", Port: m.Port, User: "app", Password: "FirstPassword0123456789abcdefghij", Name: "pushplatform", TLS: true, CAFile: m.CAFile}
	db, err := store.Open(ctx, app)
	if err != nil {
		t.Fatalf("the app user cannot log in over TLS with the stored password: %v", err)
	}
	if _, err := store.InsertBatch(ctx, db, []store.Row{{MsgID: "1-0", Value: 7}}); err != nil {
		t.Errorf("the app user cannot insert: %v", err)
	}
	db.Close()

	// A new secret version, as a rotated random password writes it.
	secrets.values[appArn] = `{"username":"app","password":"SecondPassword0123456789abcdefgh"}`
	if _, err := migrate.Deploy(ctx, ev, secrets, tls); err != nil {
		t.Fatal(err)
	}
	if db, err := store.Open(ctx, app); err == nil {
		db.Close()
		t.Fatal("the old password still works after the secret changed")
	}
	app.Password = "SecondPassword0123456789abcdefgh"
	db, err = store.Open(ctx, app)
	if err != nil {
		t.Fatalf("the new password does not work after a second deploy: %v", err)
	}
	db.Close()

	plain := app
	plain.TLS = false
	if db, err := store.Open(ctx, plain); err == nil {
		db.Close()
		t.Fatal("the app user logged in without TLS; it must REQUIRE SSL")
	}
}

func TestDeployRefusesBadInput(t *testing.T) {
	good := migrate.Event{MasterSecretArn: masterArn, AppSecretArn: appArn, Host: "db", Port: 3306, Database: "pushplatform"}
	cases := []struct {
		name    string
		ev      migrate.Event
		secrets map[string]string
		want    string
	}{
		{"empty event", migrate.Event{}, nil, "masterSecretArn is missing; appSecretArn is missing; host is missing; database is missing; port 0"},
		{"missing master secret", good, map[string]string{appArn: `{}`}, "master secret: read secret " + masterArn},
		{"master secret not JSON", good, map[string]string{masterArn: `hunter2hunter2`, appArn: `{}`}, "not a JSON object"},
		{"master secret without password", good, map[string]string{masterArn: `{"username":"admin"}`, appArn: `{}`}, "want JSON keys username and password"},
		{"app secret without a password", good, map[string]string{masterArn: `{"username":"a","password":"hunter2hunter2"}`, appArn: `{"username":"app"}`}, "holds no password"},
		{"app secret with a number", good, map[string]string{masterArn: `{"username":"a","password":"hunter2hunter2"}`, appArn: `{"password":98765}`}, `key "password" must be a string`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := migrate.Deploy(context.Background(), c.ev, &fakeSecrets{values: c.secrets}, migrate.TLS{})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to contain %q", err, c.want)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "98765") {
				t.Fatalf("a secret value reached the error: %v", err)
			}
		})
	}
}
