// Command pushgateway runs in the autoendpoint task in front of
// autoendpoint: the load balancer reaches it, it passes every request to
// autoendpoint on loopback unchanged, and ships one record per push
// message to the Firehose delivery stream (internal/gateway).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/firehose"

	"github.com/pushplatform/pushplatform/internal/gateway"
	"github.com/pushplatform/pushplatform/internal/settings"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	env := settings.FromOS()
	port := env.Int("GATEWAY_PORT", 8090, 1, 65535)
	backend := env.String("AUTOENDPOINT_URL", "http://127.0.0.1:8000")
	stream := env.String("FIREHOSE_STREAM", "")
	region := env.String("AWS_REGION", "")
	queue := env.Int("GATEWAY_QUEUE", 10000, 100, 1000000)
	var problems []error
	problems = append(problems, env.Err())
	u, err := url.Parse(backend)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		problems = append(problems, fmt.Errorf("AUTOENDPOINT_URL=%q: want http://host:port", backend))
	}
	if stream == "" || region == "" {
		problems = append(problems, errors.New("FIREHOSE_STREAM and AWS_REGION are required: the delivery stream records go to"))
	}
	if err := errors.Join(problems...); err != nil {
		log.Error("invalid settings", "error", err.Error())
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconfig.WithRegion(region))
	if err != nil {
		log.Error("aws configuration", "error", err.Error())
		os.Exit(1)
	}
	shipper := gateway.NewShipper(firehose.NewFromConfig(cfg), gateway.ShipperOptions{Stream: stream, Queue: queue, Log: log})
	srv := &http.Server{
		Addr: fmt.Sprintf(":%d", port), Handler: gateway.New(u, shipper),
		ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second,
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
		shipper.Close(shutdown) // what is queued goes out before the task stops
		st := shipper.Stats()
		log.Info("stopped", "sent", st.Sent, "dropped", st.Dropped, "retried", st.Retried)
	}()
	log.Info("push gateway listening", "port", port, "autoendpoint", backend, "stream", stream)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Error("serve", "error", err.Error())
		os.Exit(1)
	}
	<-stopped // the queued records are out (or the drain timed out)
}
