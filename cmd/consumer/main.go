// Command consumer moves counts from the Valkey stream into MySQL with no
// loss and no duplicates (see internal/consumer), publishes the queue
// backlog for autoscaling when QUEUE_METRIC_NAMESPACE is set, and drains
// on SIGTERM: the batch in hand is committed and acknowledged, then it exits.
package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"

	"github.com/pushplatform/pushplatform/internal/backlog"
	"github.com/pushplatform/pushplatform/internal/backoff"
	"github.com/pushplatform/pushplatform/internal/consumer"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/store"
)

type config struct {
	queue   queue.Config
	db      store.Config
	name    string
	batch   int
	block   time.Duration
	minIdle time.Duration
	prune   time.Duration
	drain   time.Duration
	metric  metricConfig
	// healthPort is where the process answers its own health check, on
	// loopback only; stall is how long without progress, with work
	// waiting, makes it unhealthy.
	healthPort int
	stall      time.Duration
}

// metricConfig is the backlog metric; an empty Namespace disables it, so
// local runs and tests need no AWS.
type metricConfig struct {
	Namespace, Name, Stack string
	Every                  time.Duration
}

func readConfig(env *settings.Env) (config, error) {
	ms := func(name string, def, min, max int) time.Duration {
		return time.Duration(env.Int(name, def, min, max)) * time.Millisecond
	}
	c := config{
		queue:      queue.ConfigFromEnv(env),
		db:         store.ConfigFromEnv(env),
		name:       env.String("CONSUMER_NAME", defaultName()),
		batch:      env.Int("CONSUMER_BATCH", 500, 1, 10000),
		block:      ms("CONSUMER_BLOCK_MS", 1000, 10, 60000),
		minIdle:    ms("CONSUMER_MIN_IDLE_MS", 30000, 100, 3600000),
		prune:      ms("CONSUMER_PRUNE_IDLE_MS", 3600000, 60000, 604800000),
		drain:      ms("CONSUMER_DRAIN_TIMEOUT_MS", 20000, 100, 120000),
		healthPort: env.Int("CONSUMER_HEALTH_PORT", 8079, 1, 65535),
		stall:      time.Duration(env.Int("CONSUMER_STALL_S", 120, 5, 3600)) * time.Second,
		metric: metricConfig{
			Namespace: env.String("QUEUE_METRIC_NAMESPACE", ""),
			Name:      env.String("QUEUE_METRIC_NAME", "Backlog"),
			Stack:     env.String("QUEUE_METRIC_STACK", ""),
			Every:     time.Duration(env.Int("QUEUE_METRIC_INTERVAL_S", 60, 1, 3600)) * time.Second,
		},
	}
	// A message must be given up on by its consumer (the drain bound) before
	// another may claim it, or both could be inserting it at once. The unique
	// msg_id would still prevent a duplicate row, but the work is wasted.
	if c.minIdle <= c.drain {
		return c, fmt.Errorf("bad settings: CONSUMER_MIN_IDLE_MS=%d must be greater than CONSUMER_DRAIN_TIMEOUT_MS=%d", c.minIdle.Milliseconds(), c.drain.Milliseconds())
	}
	return c, env.Err()
}

func main() {
	healthcheck := flag.Bool("healthcheck", false, "ask the running consumer whether it makes progress (container health check) and exit")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	queue.UseLogger(log)
	store.UseLogger(log)
	cfg, err := readConfig(settings.FromOS())
	if err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	if *healthcheck {
		os.Exit(probe(cfg.healthPort))
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := run(ctx, log, cfg); err != nil {
		log.Error("consumer stopped", "error", err.Error())
		os.Exit(1)
	}
}

func run(ctx context.Context, log *slog.Logger, cfg config) error {
	rdb, err := queue.Connect(cfg.queue)
	if err != nil {
		return err
	}
	defer rdb.Close()
	// The health check answers from the start: while MySQL is still
	// coming up the consumer has made no progress, which counts as a stall
	// only once work has waited CONSUMER_STALL_S.
	c := &consumer.Consumer{
		Reader: &queue.Reader{RDB: rdb, Stream: cfg.queue.Stream, Consumer: cfg.name, MinIdle: cfg.minIdle},
		Log:    log, Batch: cfg.batch, Block: cfg.block, DrainTimeout: cfg.drain, PruneIdle: cfg.prune,
	}
	c.Starting()
	health := &consumer.Health{Consumer: c, Stall: cfg.stall, Backlog: func(ctx context.Context) (int64, error) {
		return queue.Backlog(ctx, rdb, cfg.queue.Stream)
	}}
	stopHealth, err := serveHealth(cfg.healthPort, health, log)
	if err != nil {
		return err
	}
	defer stopHealth()
	// MySQL may be starting or failing over: wait for it with backoff
	// rather than crash-loop the task.
	var db *sql.DB
	if err := backoff.Retry(ctx, log, "connect to mysql", func() (err error) {
		db, err = store.Open(ctx, cfg.db)
		return err
	}); err != nil {
		return nil // stopped before MySQL answered: nothing was in hand
	}
	defer db.Close()
	c.DB = db

	if cfg.metric.Namespace != "" {
		awsCfg, err := awsconfig.LoadDefaultConfig(ctx)
		if err != nil {
			return fmt.Errorf("aws config for the backlog metric: %w", err)
		}
		pub := &backlog.CloudWatch{API: cloudwatch.NewFromConfig(awsCfg), Namespace: cfg.metric.Namespace, Name: cfg.metric.Name, Queue: cfg.queue.Stream, Stack: cfg.metric.Stack}
		go (&backlog.Reporter{RDB: rdb, Stream: cfg.queue.Stream, Every: cfg.metric.Every, Publisher: pub, Log: log}).Run(ctx)
	}

	log.Info("consumer started", "consumer", cfg.name, "queue", cfg.queue.Stream, "batch", cfg.batch,
		"redisTLS", cfg.queue.TLS, "redisAuth", cfg.queue.Password != "", "mysqlTLS", cfg.db.TLS, "mysqlUser", cfg.db.User,
		"backlogMetric", cfg.metric.Namespace != "")
	return c.Run(ctx)
}

// defaultName is unique per process: a restarted consumer is a new member
// of the group, and the old one's pending messages are claimed after MinIdle.
func defaultName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

// serveHealth answers the container health check on loopback only: the
// check runs inside the task, and nothing outside needs it.
func serveHealth(port int, h http.Handler, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("health endpoint: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 2 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("health endpoint stopped", "error", err.Error())
		}
	}()
	return func() { _ = srv.Close() }, nil
}

// probe is the container health check: the running consumer says whether
// it makes progress (or has nothing to do). No answer is unhealthy too.
func probe(port int) int {
	c := &http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/", port))
	if err != nil {
		fmt.Fprintln(os.Stderr, "consumer health:", err)
		return 1
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	fmt.Fprintln(os.Stderr, "consumer health:", strings.TrimSpace(string(body)))
	if resp.StatusCode != http.StatusOK {
		return 1
	}
	return 0
}
