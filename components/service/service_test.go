package service_test

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/cluster"
	"github.com/pushplatform/pushplatform/components/datastores"
	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/components/service"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// TestRefusesUnsafeOrUndeployableServices builds the dev platform and then
// one service with a flaw: the block must refuse it before registering it.
func TestRefusesUnsafeOrUndeployableServices(t *testing.T) {
	sizing := config.Service{CPU: 256, MemoryMiB: 512, DesiredCount: 1, MinCount: 1, MaxCount: 2}
	cases := []struct {
		name, wantErr string
		edit          func(a *service.Args)
	}{
		{"ARM64 on Spot", "Fargate Spot runs X86_64 tasks only", func(a *service.Args) { a.Architecture = service.ArchARM64 }},
		{"root user", "never run as root", func(a *service.Args) { a.User = "0:0" }},
		{"unknown architecture", `Architecture "ppc64"`, func(a *service.Args) { a.Architecture = "ppc64" }},
		{"ALB route without a port", "an ALB route needs", func(a *service.Args) {
			a.ALB = &service.ALBRoute{PathPatterns: []string{"/x"}, Priority: 10, HealthCheckPath: "/"}
		}},
		{"secret without an ARN", "every secret needs", func(a *service.Args) { a.Secrets = []service.Secret{{Name: "X"}} }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := plantest.Config(t, "dev") // a Spot cluster
			res, err := plan.Run(sc, func(ctx *pulumi.Context) error {
				cfg, err := config.Load(ctx)
				if err != nil {
					return err
				}
				net, err := network.New(ctx, "network", &network.Args{Config: cfg.Network, Region: cfg.Region})
				if err != nil {
					return err
				}
				stores, err := datastores.New(ctx, "datastores", &datastores.Args{Config: cfg, Network: net})
				if err != nil {
					return err
				}
				cl, err := cluster.New(ctx, "cluster", &cluster.Args{Config: cfg, Network: net, Stores: stores})
				if err != nil {
					return err
				}
				args := &service.Args{Cluster: cl, Image: pulumi.String("public.ecr.aws/x/y@sha256:00"), Architecture: service.ArchX8664, Sizing: sizing}
				c.edit(args)
				_, err = service.New(ctx, "svc", args)
				return err
			})
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("want an error containing %q, got %v", c.wantErr, err)
			}
			for _, r := range res.Resources {
				if strings.HasPrefix(r.Name, "svc") {
					t.Fatalf("%s %s registered despite the error", r.Type, r.Name)
				}
			}
		})
	}
}
