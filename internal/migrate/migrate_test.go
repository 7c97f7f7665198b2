package migrate_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/internal/migrate"
	"github.com/pushplatform/pushplatform/internal/store"
	"github.com/pushplatform/pushplatform/internal/testservers"
)

const appPassword = "Abcdefghij0123456789XYZ"

func TestMigrationCreatesSchemaAndLeastPrivilegeUser(t *testing.T) {
	m := testservers.StartMariaDB(t)
	master, err := store.Open(context.Background(), store.Config{Host: "127.0.0.1", Port: m.Port, User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	defer master.Close()
	ctx := context.Background()
	for run := 1; run <= 2; run++ { // idempotent: a second deploy runs it again
		sum, err := migrate.Run(ctx, master, "pushplatform", "app", appPassword, false)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		if sum.Database != "pushplatform" || sum.AppUser != "app" || strings.Contains(fmt.Sprint(sum), appPassword) {
			t.Fatalf("summary = %+v", sum)
		}
	}

	app, err := store.Open(ctx, store.Config{Host: "127.0.0.1", Port: m.Port, User: "app", Password: appPassword, Name: "pushplatform"})
	if err != nil {
		t.Fatalf("the app user cannot log in: %v", err)
	}
	defer app.Close()
	if _, err := store.InsertBatch(ctx, app, []store.Row{{MsgID: "1-0", Value: 1}}); err != nil {
		t.Fatalf("app cannot insert: %v", err)
	}
	if rows, latest, err := store.Counts(ctx, app); err != nil || rows != 1 || latest != 1 {
		t.Fatalf("app reads %d/%d: %v", rows, latest, err)
	}
	for _, stmt := range []string{
		"DELETE FROM `count`",
		"UPDATE `count` SET count_value = 2",
		"DELETE FROM `count_stats`",
		"INSERT INTO `count_stats` VALUES (2, 0, 0, 0)",
		"DROP TABLE `count`",
		"CREATE TABLE x (id INT)",
		"SELECT user FROM mysql.user",
	} {
		if _, err := app.Exec(stmt); err == nil {
			t.Errorf("the app user may %q; it must only SELECT and INSERT on count, SELECT and UPDATE on count_stats", stmt)
		}
	}
	assertDenied(t, app)
}

func assertDenied(t *testing.T, app *sql.DB) {
	t.Helper()
	var grants []string
	rows, err := app.Query("SHOW GRANTS")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var g string
		_ = rows.Scan(&g)
		grants = append(grants, g)
	}
	joined := strings.Join(grants, "\n")
	if !strings.Contains(joined, "GRANT SELECT, INSERT ON `pushplatform`.`count`") || !strings.Contains(joined, "GRANT SELECT, UPDATE ON `pushplatform`.`count_stats`") || strings.Contains(joined, "ALL PRIVILEGES") {
		t.Errorf("grants:\n%s", joined)
	}
}

func TestRefusesUnsafeInput(t *testing.T) {
	for _, c := range []struct{ db, user, pw, want string }{
		{"push`platform", "app", appPassword, "database name"},
		{"pushplatform", "app'--", appPassword, "app user"},
		{"pushplatform", "app", "short", "app password"},
		{"pushplatform", "app", "quote'" + appPassword, "app password"},
	} {
		_, err := migrate.Run(context.Background(), nil, c.db, c.user, c.pw, false)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), c.pw) && c.want == "app password" {
			t.Errorf("Run(%q, %q) = %v, want an error about the %s that does not show it", c.db, c.user, err, c.want)
		}
	}
}
