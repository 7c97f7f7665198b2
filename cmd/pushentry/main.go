// Command pushentry is the entrypoint of the autopush image: it starts
// autoconnect or autoendpoint (the argument) with exec, so the program is
// PID 1's only child and gets ECS's signals. For autoconnect it first sets
// AUTOCONNECT__ROUTER_HOSTNAME to the task's own private IP, read from the
// ECS task metadata endpoint (v4): autoconnect stores
// http://<router hostname>:<router port> as the node address endpoint
// nodes call, and a Fargate task's hostname is not an address other tasks
// can reach. With PUSH_TLS_PORT set (push.tlsTermination task) it instead
// runs autoconnect as its child and terminates TLS in front of it
// (internal/tlsproxy), so the NLB can pass TCP through. With
// FIREHOSE_STREAM set, autoendpoint runs as its child behind the push
// gateway (internal/gateway), which records every push message.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// binDir holds the autopush binaries in the image (images/autopush/Dockerfile).
const binDir = "/app/bin"

// Programs pushentry starts.
var programs = map[string]bool{"autoconnect": true, "autoendpoint": true}

const routerHostnameVar = "AUTOCONNECT__ROUTER_HOSTNAME"

func main() {
	if len(os.Args) != 2 || !programs[os.Args[1]] {
		fmt.Fprintln(os.Stderr, "usage: pushentry autoconnect|autoendpoint")
		os.Exit(2)
	}
	prog := os.Args[1]
	env, err := environment(prog, os.Environ(), os.Getenv)
	if err != nil {
		fmt.Fprintf(os.Stderr, "pushentry: %v\n", err)
		os.Exit(1)
	}
	bin := filepath.Join(binDir, prog)
	if prog == "autoconnect" && os.Getenv(tlsPortVar) != "" {
		code, err := superviseWithTLS([]string{bin}, env, os.Getenv)
		if err != nil {
			fmt.Fprintf(os.Stderr, "pushentry: %v\n", err)
		}
		os.Exit(code)
	}
	if prog == "autoendpoint" && os.Getenv(streamVar) != "" {
		code, err := superviseWithGateway([]string{bin}, env, os.Getenv)
		if err != nil {
			fmt.Fprintf(os.Stderr, "pushentry: %v\n", err)
		}
		os.Exit(code)
	}
	if err := syscall.Exec(bin, []string{bin}, env); err != nil {
		fmt.Fprintf(os.Stderr, "pushentry: exec %s: %v\n", bin, err)
		os.Exit(1)
	}
}

// environment is the environment the program starts with: autoconnect's
// gains the router hostname unless one is set already.
func environment(prog string, env []string, getenv func(string) string) ([]string, error) {
	if prog != "autoconnect" || getenv(routerHostnameVar) != "" {
		return env, nil
	}
	uri := getenv("ECS_CONTAINER_METADATA_URI_V4")
	if uri == "" {
		return nil, fmt.Errorf("%s is unset and ECS_CONTAINER_METADATA_URI_V4 is missing (not on ECS/Fargate platform 1.4.0+): set %s to an address endpoint nodes reach", routerHostnameVar, routerHostnameVar)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ip, err := taskIP(ctx, http.DefaultClient, uri)
	if err != nil {
		return nil, err
	}
	return append(env, routerHostnameVar+"="+ip), nil
}

// containerMetadata is the part of the container metadata (v4) read here:
// the awsvpc network's addresses.
type containerMetadata struct {
	Networks []struct {
		NetworkMode   string   `json:"NetworkMode"`
		IPv4Addresses []string `json:"IPv4Addresses"`
	} `json:"Networks"`
}

// taskIP asks the container metadata endpoint for the task's private IPv4
// address, retrying briefly while the agent comes up.
func taskIP(ctx context.Context, c *http.Client, uri string) (string, error) {
	var last error
	for attempt := 0; ; attempt++ {
		ip, err := fetchIP(ctx, c, uri)
		if err == nil {
			return ip, nil
		}
		last = err
		select {
		case <-ctx.Done():
			return "", fmt.Errorf("task IP from %s: %w (last error: %v)", uri, ctx.Err(), last)
		case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
		}
	}
}

var errNoAddress = errors.New("the container metadata lists no awsvpc IPv4 address")

func fetchIP(ctx context.Context, c *http.Client, uri string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, uri, nil)
	if err != nil {
		return "", err
	}
	res, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("metadata endpoint answered %s", res.Status)
	}
	var md containerMetadata
	if err := json.NewDecoder(res.Body).Decode(&md); err != nil {
		return "", fmt.Errorf("container metadata: %w", err)
	}
	for _, n := range md.Networks {
		for _, a := range n.IPv4Addresses {
			if addr, err := netip.ParseAddr(a); err == nil && addr.Is4() && addr.IsPrivate() {
				return addr.String(), nil
			}
		}
	}
	return "", errNoAddress
}
