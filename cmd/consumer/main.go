// Command consumer moves counts from the Valkey stream into MySQL with no
// loss and no duplicates (see internal/consumer), publishes the queue
// backlog for autoscaling, and drains on SIGTERM.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pushplatform/pushplatform/internal/consumer"
	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/store"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "check the queue is reachable (container health check) and exit")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	env := settings.FromOS()
	qc, dc := queue.ConfigFromEnv(env), store.ConfigFromEnv(env)
	batch := env.Int("CONSUMER_BATCH", 500, 1, 10000)
	block := time.Duration(env.Int("CONSUMER_BLOCK_MS", 1000, 10, 60000)) * time.Millisecond
	minIdle := time.Duration(env.Int("CONSUMER_MIN_IDLE_MS", 30000, 100, 3600000)) * time.Millisecond
	name := env.String("CONSUMER_NAME", defaultName())
	metrics := metricsConfig{
		Namespace: env.String("QUEUE_METRIC_NAMESPACE", ""),
		Name:      env.String("QUEUE_METRIC_NAME", "Backlog"),
		Stack:     env.String("QUEUE_METRIC_STACK", ""),
		Every:     time.Duration(env.Int("QUEUE_METRIC_INTERVAL_S", 60, 1, 3600)) * time.Second,
	}
	if err := env.Err(); err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	if *healthcheck {
		os.Exit(probe(qc))
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rdb, err := queue.Connect(qc)
	if err != nil {
		log.Error("queue", "error", err.Error())
		os.Exit(1)
	}
	defer rdb.Close()
	db, err := store.Open(ctx, dc)
	if err != nil {
		log.Error("database", "error", err.Error())
		os.Exit(1)
	}
	defer db.Close()

	if metrics.Namespace != "" {
		pub, err := newCloudWatch(ctx, metrics, qc.Stream)
		if err != nil {
			log.Error("metrics", "error", err.Error())
			os.Exit(1)
		}
		go publishBacklog(ctx, log, rdb, qc.Stream, metrics.Every, pub)
	}

	c := &consumer.Consumer{
		Reader: &queue.Reader{RDB: rdb, Stream: qc.Stream, Consumer: name, MinIdle: minIdle},
		DB:     db, Log: log, Batch: batch, Block: block,
	}
	log.Info("consumer started", "consumer", name, "queue", qc.Stream, "batch", batch)
	if err := c.Run(ctx); err != nil {
		log.Error("consumer stopped", "error", err.Error())
		os.Exit(1)
	}
}

// defaultName is unique per process: a restarted consumer is a new member
// of the group, and the old one's pending messages are claimed after MinIdle.
func defaultName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))
}

func probe(qc queue.Config) int {
	rdb, err := queue.Connect(qc)
	if err != nil {
		return 1
	}
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if rdb.Ping(ctx).Err() != nil {
		return 1
	}
	return 0
}
