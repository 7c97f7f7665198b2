package service_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components"
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
		{"size Fargate does not run", "Fargate accepts with cpu 256", func(a *service.Args) { a.Sizing.MemoryMiB = 4096 }},
		{"ALB route without a condition", "1-5 path patterns and/or host headers", func(a *service.Args) {
			a.Port = 8080
			a.ALB = &service.ALBRoute{Priority: 10, HealthCheckPath: "/"}
		}},
		{"per-task scaling without a target", "per-task scaling needs", func(a *service.Args) {
			a.Scaling.PerTask = &service.PerTaskMetric{Namespace: "App/Queue", Name: "Backlog", Statistic: "Maximum"}
		}},
		{"NLB route without a load balancer", "an NLB route needs", func(a *service.Args) {
			a.Port = 8080
			a.NLB = &service.NLBRoute{ListenerPort: 443, HealthCheckPath: "/"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sc := plantest.Config(t, "dev") // a Spot cluster
			res, err := plan.Run(sc, func(ctx *pulumi.Context) error {
				p, err := components.NewPlatform(ctx)
				if err != nil {
					return err
				}
				args := &service.Args{Cluster: p.Cluster, Image: pulumi.String("public.ecr.aws/x/y@sha256:00"), Architecture: service.ArchX8664, Sizing: sizing}
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

// TestNLBRoute builds a service behind a network load balancer, as the push
// tier's connection nodes will be: a TCP target group by IP with an HTTP
// health check, a TCP listener with the idle timeout asked for, the service
// waiting for that listener, and only the NLB's group let in.
func TestNLBRoute(t *testing.T) {
	sc := plantest.Config(t, "prod")
	res, err := plan.Run(sc, func(ctx *pulumi.Context) error {
		p, err := components.NewPlatform(ctx)
		if err != nil {
			return err
		}
		net := p.Network
		nlb, err := lb.NewLoadBalancer(ctx, "push-nlb", &lb.LoadBalancerArgs{
			LoadBalancerType: pulumi.String("network"), Subnets: net.PublicSubnetIDs,
			SecurityGroups: pulumi.StringArray{net.ALB.ID},
		})
		if err != nil {
			return err
		}
		_, err = service.New(ctx, "ws", &service.Args{
			Cluster: p.Cluster, Image: pulumi.String("public.ecr.aws/x/y@sha256:00"), Port: 8080,
			Sizing: config.Service{CPU: 1024, MemoryMiB: 2048, DesiredCount: 2, MinCount: 2, MaxCount: 4},
			NLB: &service.NLBRoute{LoadBalancerArn: nlb.Arn, SecurityGroup: net.ALB, ListenerPort: 443,
				IdleTimeoutSeconds: 900, HealthCheckPath: "/__lbheartbeat__"},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	tg := plantest.One(t, res, "aws:lb/targetGroup:TargetGroup", "ws-nlb")
	hc := tg.Input("healthCheck").(map[string]any)
	if tg.InputString("protocol") != "TCP" || tg.InputString("targetType") != "ip" || tg.Input("port") != float64(8080) || hc["path"] != "/__lbheartbeat__" || hc["protocol"] != "HTTP" {
		t.Errorf("target group = %v", tg.PlainInputs())
	}
	listener := plantest.One(t, res, "aws:lb/listener:Listener", "ws-nlb")
	if listener.InputString("protocol") != "TCP" || listener.Input("port") != float64(443) || listener.Input("tcpIdleTimeoutSeconds") != float64(900) {
		t.Errorf("listener = %v", listener.PlainInputs())
	}
	svc := plantest.One(t, res, "aws:ecs/service:Service", "ws")
	lbs := svc.Input("loadBalancers").([]any)
	if len(lbs) != 1 || lbs[0].(map[string]any)["containerPort"] != float64(8080) || !slices.Contains(svc.Dependencies, listener.URN) {
		t.Errorf("service load balancers %v, depends on %v", lbs, svc.Dependencies)
	}
	var in []plan.Rule
	for _, r := range res.SecurityMatrix() {
		if r.Group == "ws" && r.Direction == "ingress" {
			in = append(in, r)
		}
	}
	if len(in) != 1 || in[0].Peer != "network-alb" || in[0].Ports != "8080" {
		t.Errorf("ingress into the service = %+v, want only the NLB's group on 8080", in)
	}
}

// TestALBRouteByHost routes by host name and path together.
func TestALBRouteByHost(t *testing.T) {
	sc := plantest.Config(t, "prod")
	res, err := plan.Run(sc, func(ctx *pulumi.Context) error {
		p, err := components.NewPlatform(ctx)
		if err != nil {
			return err
		}
		_, err = service.New(ctx, "api", &service.Args{
			Cluster: p.Cluster, Image: pulumi.String("public.ecr.aws/x/y@sha256:00"), Port: 8000,
			Sizing: config.Service{CPU: 256, MemoryMiB: 512, DesiredCount: 2, MinCount: 2, MaxCount: 2},
			ALB:    &service.ALBRoute{HostHeaders: []string{"push.example.com"}, PathPatterns: []string{"/wpush/*"}, Priority: 20, HealthCheckPath: "/health"},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rule := plantest.One(t, res, "aws:lb/listenerRule:ListenerRule", "api")
	got := plantest.JSON(rule.Input("conditions"))
	for _, want := range []string{`"hostHeader":{"values":["push.example.com"]}`, `"pathPattern":{"values":["/wpush/*"]}`} {
		if !strings.Contains(got, want) {
			t.Errorf("conditions %s lack %s", got, want)
		}
	}
}
