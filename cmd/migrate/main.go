// Command migrate creates the producer/consumer schema and the app user.
// On AWS it is a Lambda function (provided.al2023, build with -tags
// lambda.norpc) that the infrastructure invokes on deploy with the ARNs of
// the RDS-managed master secret and the app user's secret (migrate.Event);
// it returns a JSON summary without credentials. `migrate -local` runs the
// same SQL with DB_* settings (the master user) and APP_DB_USER /
// APP_DB_PASSWORD, for local runs.
package main

import (
	"context"
	"flag"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/pushplatform/pushplatform/internal/migrate"
	"github.com/pushplatform/pushplatform/internal/rdsca"
	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/store"
)

func main() {
	local := flag.Bool("local", false, "migrate with DB_* settings and APP_DB_PASSWORD instead of as a Lambda function")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	store.UseLogger(log)
	if !*local {
		lambda.Start(func(ctx context.Context, ev migrate.Event) (*migrate.Summary, error) { return handle(ctx, ev, log) })
		return
	}
	if err := runLocal(log); err != nil {
		log.Error("migration failed", "error", err.Error())
		os.Exit(1)
	}
}

func handle(ctx context.Context, ev migrate.Event, log *slog.Logger) (*migrate.Summary, error) {
	if err := ev.Validate(); err != nil {
		return nil, err
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	// The RDS CA bundle ships inside the binary: the function has no
	// route to the internet.
	ca, err := rdsca.File(os.TempDir())
	if err != nil {
		return nil, err
	}
	sum, err := migrate.Deploy(ctx, ev, secretsManager{secretsmanager.NewFromConfig(awsCfg)}, migrate.TLS{Enabled: true, CAFile: ca})
	if err != nil {
		log.Error("migration failed", "error", err.Error())
		return nil, err
	}
	log.Info("migrated", "database", sum.Database, "appUser", sum.AppUser, "grants", sum.Grants)
	return sum, nil
}

func runLocal(log *slog.Logger) error {
	env := settings.FromOS()
	cfg := store.ConfigFromEnv(env)
	env.Require("APP_DB_PASSWORD")
	appUser := env.String("APP_DB_USER", migrate.DefaultAppUser)
	appPassword := env.Secret("APP_DB_PASSWORD")
	if err := env.Err(); err != nil {
		return err
	}
	database := cfg.Name
	cfg.Name = "" // the database may not exist yet
	ctx := context.Background()
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	sum, err := migrate.Run(ctx, db, database, appUser, appPassword, cfg.TLS)
	if err != nil {
		return err
	}
	log.Info("migrated", "database", sum.Database, "appUser", sum.AppUser, "grants", sum.Grants, "steps", sum.Steps)
	return nil
}
