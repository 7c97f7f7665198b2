package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"

	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/firehose"

	"github.com/pushplatform/pushplatform/internal/gateway"
)

// Settings of the push gateway in the autoendpoint task (logs.enabled):
// the port the load balancer reaches, and the delivery stream.
const (
	gatewayPortVar = "GATEWAY_PORT"
	streamVar      = "FIREHOSE_STREAM"
)

// superviseWithGateway runs autoendpoint as a child (bound to loopback by
// its settings) and serves the push gateway in front of it: every request
// passes through unchanged, and each push message becomes a record
// shipped to Firehose (internal/gateway). When autoendpoint ends, the
// queued records go out and pushentry exits with its status.
func superviseWithGateway(argv, env []string, getenv func(string) string) (int, error) {
	ln, err := net.Listen("tcp", ":"+getenv(gatewayPortVar))
	if err != nil {
		return 1, fmt.Errorf("listen for the gateway on %s: %w", getenv(gatewayPortVar), err)
	}
	cfg, err := awsconfig.LoadDefaultConfig(context.Background())
	if err != nil {
		return 1, fmt.Errorf("aws configuration: %w", err)
	}
	return serveGateway(ln, firehose.NewFromConfig(cfg), argv, env, getenv)
}

func serveGateway(ln net.Listener, fh gateway.Putter, argv, env []string, getenv func(string) string) (int, error) {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	port := getenv("AUTOEND__PORT")
	if port == "" {
		port = "8000" // autoendpoint's default
	}
	backend, _ := url.Parse("http://127.0.0.1:" + port)
	shipper := gateway.NewShipper(fh, gateway.ShipperOptions{Stream: getenv(streamVar), Log: log})
	srv := &http.Server{Handler: gateway.New(backend, shipper), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 120 * time.Second}
	go srv.Serve(ln)
	code, err := runChild(argv, env)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	srv.Shutdown(ctx)
	shipper.Close(ctx)
	st := shipper.Stats()
	log.Info("push gateway stopped", "sent", st.Sent, "dropped", st.Dropped, "retried", st.Retried)
	return code, err
}
