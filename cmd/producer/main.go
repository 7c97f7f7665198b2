// Command producer is the REST producer: POST /count enqueues a count on the
// Valkey stream, GET /count reads MySQL. A drop-in for the seed's Flask
// producer (same paths, fields and settings), with TLS, AUTH, validation,
// readiness, CORS, JSON logs and a graceful shutdown.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pushplatform/pushplatform/internal/documents"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/store"
)

type config struct {
	port   int
	queue  queue.Config
	db     store.Config
	cors   corsPolicy
	drain  time.Duration
	batch  queue.BatcherOptions
	listen string
	docs   documents.Config
}

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe the local server (container health check) and exit")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	queue.UseLogger(log)
	store.UseLogger(log)
	cfg, err := readConfig(settings.FromOS())
	if *healthcheck {
		os.Exit(probe(cfg.port))
	}
	if err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	if err := run(log, cfg); err != nil {
		log.Error("producer stopped", "error", err.Error())
		os.Exit(1)
	}
}

// readConfig reads every setting and reports every problem at once.
func readConfig(env *settings.Env) (config, error) {
	c := config{
		port:  env.Int("HTTP_PORT", 5080, 1, 65535),
		queue: queue.ConfigFromEnv(env),
		db:    store.ConfigFromEnv(env),
		drain: time.Duration(env.Int("SHUTDOWN_TIMEOUT_S", 20, 1, 120)) * time.Second,
		batch: queue.BatcherOptions{
			MaxBatch: env.Int("PRODUCER_PIPELINE_MAX", 256, 1, 10000),
			// How many replicas must hold an entry before it is answered
			// 201 (WAIT); 0 answers once the primary has it.
			Replicas:       env.Int("REDIS_WAIT_REPLICAS", 0, 0, 5),
			ReplicaTimeout: time.Duration(env.Int("REDIS_WAIT_TIMEOUT_MS", 500, 10, 2000)) * time.Millisecond,
		},
	}
	c.listen = env.String("HTTP_HOST", "")
	c.docs = documents.ConfigFromEnv(env)
	var problems []error
	cors, err := parseCORS(env.String("CORS_ALLOW_ORIGIN", "*"))
	c.cors = cors
	problems = append(problems, env.Err(), err)
	if c.docs.Bucket != "" && c.docs.Region == "" {
		problems = append(problems, fmt.Errorf("DOCUMENTS_BUCKET=%q needs AWS_REGION, the bucket's region, to sign links (ECS sets it in AWS)", c.docs.Bucket))
	}
	if c.batch.Replicas > 0 && c.queue.Cluster {
		problems = append(problems, fmt.Errorf("REDIS_WAIT_REPLICAS=%d needs REDIS_CLUSTER=false: WAIT names no key, so a cluster client cannot route it to the shard that took the entry", c.batch.Replicas))
	}
	return c, errors.Join(problems...)
}

func run(log *slog.Logger, cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rdb, err := queue.Connect(cfg.queue)
	if err != nil {
		return err
	}
	defer rdb.Close()
	db, err := store.Open(ctx, cfg.db)
	if err != nil {
		return err
	}
	defer db.Close()
	enqueuer := queue.NewBatcher(rdb, cfg.queue.Stream, cfg.batch)
	if cfg.batch.Replicas > 0 {
		log.Info("answers 201 only once replicas hold the entry", "replicas", cfg.batch.Replicas, "timeout", cfg.batch.ReplicaTimeout.String())
	}
	// Deferred last, so it runs first: the pipelines in hand are answered
	// before the pools close.
	defer enqueuer.Close()

	host, _ := os.Hostname()
	h := &handler{rdb: rdb, enqueuer: enqueuer, db: db, hostname: host, cors: cfg.cors, log: log}
	if cfg.docs.Bucket != "" {
		store, err := documents.Open(ctx, cfg.docs)
		if err != nil {
			return err
		}
		h.docs = store
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.listen, fmt.Sprint(cfg.port)))
	if err != nil {
		return err
	}
	log.Info("producer listening", "port", cfg.port, "queue", cfg.queue.Stream, "redisTLS", cfg.queue.TLS, "redisAuth", cfg.queue.Password != "",
		"mysqlTLS", cfg.db.TLS, "mysqlUser", cfg.db.User, "corsAllowOrigin", cfg.cors.String(), "documentsBucket", cfg.docs.Bucket)
	return serve(ctx, srv, ln, cfg.drain, log)
}

// probe is the container health check: the server answers on "/". It does
// not check Redis or MySQL (that is /health, the load balancer's
// readiness), so an outage of a dependency does not restart every task.
func probe(port int) int {
	c := &http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
	if err != nil {
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
