package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// metadata is the container response of the ECS task metadata endpoint v4
// on Fargate (awsvpc), trimmed to the fields around the one read.
const metadata = `{"DockerId":"cd189a933e5849daa93386466019ab50-2495160603","Name":"autoconnect","Image":"x","Limits":{"CPU":2},
"Networks":[{"NetworkMode":"awsvpc","IPv4Addresses":["10.0.2.106"],"AttachmentIndex":0,"MACAddress":"12:9e:59:2d:0b:57",
"IPv4SubnetCIDRBlock":"10.0.2.0/24","PrivateDNSName":"ip-10-0-2-106.ec2.internal","SubnetGatewayIpv4Address":"10.0.2.1/24"}]}`

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestAutoconnectAdvertisesTheTaskIP(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			http.Error(w, "agent starting", http.StatusServiceUnavailable) // the first call fails: retried
			return
		}
		w.Write([]byte(metadata))
	}))
	defer srv.Close()
	got, err := environment("autoconnect", []string{"PATH=/bin"}, env(map[string]string{"ECS_CONTAINER_METADATA_URI_V4": srv.URL}))
	if err != nil {
		t.Fatal(err)
	}
	if got[len(got)-1] != "AUTOCONNECT__ROUTER_HOSTNAME=10.0.2.106" || got[0] != "PATH=/bin" {
		t.Fatalf("environment %v, want the task IP as the router hostname", got)
	}
}

func TestAnExplicitRouterHostnameWins(t *testing.T) {
	in := []string{"AUTOCONNECT__ROUTER_HOSTNAME=10.9.9.9"}
	got, err := environment("autoconnect", in, env(map[string]string{"AUTOCONNECT__ROUTER_HOSTNAME": "10.9.9.9"}))
	if err != nil || len(got) != 1 || got[0] != in[0] {
		t.Fatalf("environment %v %v", got, err)
	}
}

func TestAutoendpointNeedsNoMetadata(t *testing.T) {
	got, err := environment("autoendpoint", []string{"A=1"}, env(nil))
	if err != nil || len(got) != 1 {
		t.Fatalf("environment %v %v", got, err)
	}
}

func TestOutsideECSIsAClearError(t *testing.T) {
	_, err := environment("autoconnect", nil, env(nil))
	if err == nil || !strings.Contains(err.Error(), "ECS_CONTAINER_METADATA_URI_V4") || !strings.Contains(err.Error(), "AUTOCONNECT__ROUTER_HOSTNAME") {
		t.Fatalf("want an error naming both variables, got %v", err)
	}
}

func TestMetadataWithoutAPrivateAddress(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"Networks":[{"NetworkMode":"awsvpc","IPv4Addresses":["8.8.8.8"]}]}`))
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	if _, err := taskIP(ctx, srv.Client(), srv.URL); err == nil || !strings.Contains(err.Error(), "no awsvpc IPv4 address") {
		t.Fatalf("want the missing address named, got %v", err)
	}
}
