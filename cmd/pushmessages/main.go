// Command pushmessages serves the Push Messages API (internal/pushmessages)
// on the Fargate building block, behind the internal ALB.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/pushplatform/pushplatform/internal/pushmessages"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/settings"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe the local server (container health check) and exit")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	env := settings.FromOS()
	port := env.Int("HTTP_PORT", 8000, 1, 65535)
	if *healthcheck {
		c := &http.Client{Timeout: 2 * time.Second}
		res, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/__lbheartbeat__", port))
		if err != nil || res.StatusCode != http.StatusOK {
			os.Exit(1)
		}
		os.Exit(0)
	}
	rc := queue.ConfigFromEnv(env)
	table := env.String("PUSH_MESSAGES_TABLE", "")
	token := env.String("API_TOKEN", "")
	region := env.String("AWS_REGION", "")
	var problems []error
	problems = append(problems, env.Err())
	if table == "" || region == "" {
		problems = append(problems, errors.New("PUSH_MESSAGES_TABLE and AWS_REGION are required"))
	}
	if len(token) < 16 {
		problems = append(problems, errors.New("API_TOKEN (from the API's secret) must be at least 16 characters"))
	}
	if err := errors.Join(problems...); err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rdb, err := queue.Connect(rc)
	if err != nil {
		log.Error("redis", "error", err.Error())
		os.Exit(1)
	}
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		log.Error("aws configuration", "error", err.Error())
		os.Exit(1)
	}
	api := &pushmessages.API{Redis: rdb, DB: dynamodb.NewFromConfig(cfg), Table: table, Token: token, Version: "pushplatform", Log: log}
	srv := &http.Server{Addr: fmt.Sprintf(":%d", port), Handler: api, ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	log.Info("push messages API listening", "port", port, "table", table)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve", "error", err.Error())
		os.Exit(1)
	}
}
