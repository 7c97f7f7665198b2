package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// RDSBundleURL is where AWS publishes the CA bundle of RDS server
// certificates (RDS user guide, "Using SSL/TLS to encrypt a connection").
// No system trust store holds these CAs and the function package is a
// single binary, so the bundle is fetched once per cold start over HTTPS,
// verified against the system roots (the function reaches it through NAT).
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
		return "", fmt.Errorf("fetch the RDS CA bundle from %s: status %d, %v", RDSBundleURL, resp.StatusCode, err)
	}
	return path, os.WriteFile(path, body, 0o600)
}
