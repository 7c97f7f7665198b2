// Command migrate creates the producer/consumer schema and the app user.
// On AWS it is a Lambda function (provided.al2023) that the infrastructure
// invokes on deploy with the ARNs of the RDS-managed master secret and the
// app user's secret; `migrate -local` runs the same migration with DB_*
// settings (the master user) and APP_DB_PASSWORD, for local runs.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/pushplatform/pushplatform/internal/migrate"
	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/store"
)

// Event is the invocation payload: locations and secret ARNs, no credential.
type Event struct {
	MasterSecretArn string `json:"masterSecretArn"`
	AppSecretArn    string `json:"appSecretArn"`
	Host            string `json:"host"`
	Port            int    `json:"port"`
	Database        string `json:"database"`
}

type credentials struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func main() {
	local := flag.Bool("local", false, "migrate with DB_* settings and APP_DB_PASSWORD instead of as a Lambda function")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	if !*local {
		lambda.Start(func(ctx context.Context, ev Event) (*migrate.Summary, error) { return handle(ctx, ev, log) })
		return
	}
	env := settings.FromOS()
	cfg := store.ConfigFromEnv(env)
	env.Require("APP_DB_PASSWORD")
	appUser := env.String("APP_DB_USER", "app")
	appPassword := env.Secret("APP_DB_PASSWORD")
	if err := env.Err(); err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	database := cfg.Name
	cfg.Name = "" // the database may not exist yet
	sum, err := runMigration(context.Background(), cfg, database, appUser, appPassword)
	if err != nil {
		log.Error("migration failed", "error", err.Error())
		os.Exit(1)
	}
	log.Info("migrated", "database", sum.Database, "appUser", sum.AppUser, "grants", sum.Grants)
}

func handle(ctx context.Context, ev Event, log *slog.Logger) (*migrate.Summary, error) {
	if ev.MasterSecretArn == "" || ev.AppSecretArn == "" || ev.Host == "" || ev.Port == 0 || ev.Database == "" {
		return nil, fmt.Errorf("event needs masterSecretArn, appSecretArn, host, port and database")
	}
	awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, err
	}
	sm := secretsmanager.NewFromConfig(awsCfg)
	master, err := readSecret(ctx, sm, ev.MasterSecretArn)
	if err != nil {
		return nil, fmt.Errorf("master secret: %w", err)
	}
	app, err := readSecret(ctx, sm, ev.AppSecretArn)
	if err != nil {
		return nil, fmt.Errorf("app secret: %w", err)
	}
	ca, err := fetchRDSBundle(ctx)
	if err != nil {
		return nil, err
	}
	cfg := store.Config{Host: ev.Host, Port: ev.Port, User: master.Username, Password: master.Password, TLS: true, CAFile: ca}
	sum, err := runMigration(ctx, cfg, ev.Database, app.Username, app.Password)
	if err != nil {
		return nil, err
	}
	log.Info("migrated", "database", sum.Database, "appUser", sum.AppUser, "grants", sum.Grants)
	return sum, nil
}

func readSecret(ctx context.Context, sm *secretsmanager.Client, arn string) (*credentials, error) {
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	var c credentials
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &c); err != nil || c.Username == "" || c.Password == "" {
		return nil, fmt.Errorf("secret %s must be JSON with username and password", arn)
	}
	return &c, nil
}

func runMigration(ctx context.Context, cfg store.Config, database, appUser, appPassword string) (*migrate.Summary, error) {
	db, err := store.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return migrate.Run(ctx, db, database, appUser, appPassword, cfg.TLS)
}

// RDSBundleURL is where AWS publishes the CA bundle of RDS server
// certificates (RDS user guide, "Using SSL/TLS to encrypt a connection").
// No system trust store holds these CAs, and the function package is a
// single binary, so the bundle is fetched once per cold start, over HTTPS
// verified against the system roots.
const RDSBundleURL = "https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem"

func fetchRDSBundle(ctx context.Context) (string, error) {
	path := filepath.Join(os.TempDir(), "rds-global-bundle.pem")
	if _, err := os.Stat(path); err == nil {
		return path, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, RDSBundleURL, nil)
	if err != nil {
		return "", err
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return "", fmt.Errorf("fetch the RDS CA bundle: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "BEGIN CERTIFICATE") {
		return "", fmt.Errorf("fetch the RDS CA bundle: status %d, %v", resp.StatusCode, err)
	}
	return path, os.WriteFile(path, body, 0o600)
}
