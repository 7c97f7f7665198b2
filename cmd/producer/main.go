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
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pushplatform/pushplatform/internal/queue"
	"github.com/pushplatform/pushplatform/internal/settings"
	"github.com/pushplatform/pushplatform/internal/store"
)

func main() {
	healthcheck := flag.Bool("healthcheck", false, "probe the local server (container health check) and exit")
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	env := settings.FromOS()
	port := env.Int("HTTP_PORT", 5080, 1, 65535)
	if *healthcheck {
		os.Exit(probe(port))
	}
	qc, dc := queue.ConfigFromEnv(env), store.ConfigFromEnv(env)
	origin := env.String("CORS_ALLOW_ORIGIN", "*")
	if err := env.Err(); err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	if err := run(log, port, qc, dc, origin); err != nil {
		log.Error("producer stopped", "error", err.Error())
		os.Exit(1)
	}
}

func run(log *slog.Logger, port int, qc queue.Config, dc store.Config, origin string) error {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	rdb, err := queue.Connect(qc)
	if err != nil {
		return err
	}
	defer rdb.Close()
	db, err := store.Open(ctx, dc)
	if err != nil {
		return err
	}
	defer db.Close()
	host, _ := os.Hostname()
	enqueuer := queue.NewBatcher(rdb, qc.Stream, 128)
	defer enqueuer.Close()
	srv := &http.Server{
		Addr:              fmt.Sprintf(":%d", port),
		Handler:           &handler{rdb: rdb, enqueuer: enqueuer, db: db, stream: qc.Stream, hostname: host, allowOrigin: origin, log: log},
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errs := make(chan error, 1)
	go func() { errs <- srv.ListenAndServe() }()
	log.Info("producer listening", "port", port, "queue", qc.Stream)
	select {
	case err := <-errs:
		return err
	case <-ctx.Done():
	}
	log.Info("SIGTERM: draining requests")
	shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
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
