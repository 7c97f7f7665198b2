package network_test

import (
	"reflect"
	"strings"
	"sync"
	"testing"

	awsec2 "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/network"
	"github.com/pushplatform/pushplatform/plan"
)

// The mock engine cannot hand back awsx's route tables (they are resource
// references), so the wiring from route tables to the gateway endpoints is
// proved here on route tables the test registers itself.
func TestRouteTableIDs(t *testing.T) {
	var got []string
	var mu sync.Mutex
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var tables awsec2.RouteTableArray
		for _, name := range []string{"rt-a", "rt-b", "rt-c"} {
			rt, err := awsec2.NewRouteTable(ctx, name, &awsec2.RouteTableArgs{VpcId: pulumi.String("vpc-1")})
			if err != nil {
				return err
			}
			tables = append(tables, rt)
		}
		ids := network.RouteTableIDs(tables.ToRouteTableArrayOutput())
		ctx.Export("ids", ids.ApplyT(func(ids []string) []string {
			mu.Lock()
			got = ids
			mu.Unlock()
			return ids
		}))
		return nil
	}, pulumi.WithMocks("p", "s", idMocks{}))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"rt-a-id", "rt-b-id", "rt-c-id"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("RouteTableIDs = %v, want %v", got, want)
	}
}

type idMocks struct{}

func (idMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name + "-id", args.Inputs, nil
}

func (idMocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// TestSecurityGroupGuards checks that the building block refuses what would
// open the platform up or fail at apply time, before registering a rule.
func TestSecurityGroupGuards(t *testing.T) {
	cases := []struct {
		name, wantErr string
		do            func(ctx *pulumi.Context, app, lb *network.SecurityGroup) error
	}{
		{"internet into a private group", "only internet-facing", func(ctx *pulumi.Context, app, _ *network.SecurityGroup) error {
			return app.AllowFromInternet(ctx, 443, "Clients")
		}},
		{"internet on a non-web port", "ports 80 and 443 only", func(ctx *pulumi.Context, _, lb *network.SecurityGroup) error {
			return lb.AllowFromInternet(ctx, 22, "SSH")
		}},
		{"rule without a reason", "needs a description", func(ctx *pulumi.Context, app, lb *network.SecurityGroup) error {
			return app.AllowFrom(ctx, lb, 8080, " ")
		}},
		{"description EC2 rejects", "must be 1-255", func(ctx *pulumi.Context, app, lb *network.SecurityGroup) error {
			return app.AllowFrom(ctx, lb, 8080, "ALB → app") // non-ASCII arrow
		}},
		{"port out of range", "outside 1-65535", func(ctx *pulumi.Context, app, lb *network.SecurityGroup) error {
			return app.AllowFrom(ctx, lb, 70000, "ALB to app")
		}},
		{"no source group", "needs a source group", func(ctx *pulumi.Context, app, _ *network.SecurityGroup) error {
			return app.AllowFrom(ctx, nil, 8080, "nobody")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var rules int
			mocks := &countingMocks{}
			err := pulumi.RunErr(func(ctx *pulumi.Context) error {
				app, err := network.NewSecurityGroup(ctx, "app", &network.SecurityGroupArgs{VpcID: pulumi.String("vpc-1"), Description: "App tasks"})
				if err != nil {
					return err
				}
				lb, err := network.NewSecurityGroup(ctx, "lb", &network.SecurityGroupArgs{VpcID: pulumi.String("vpc-1"), Description: "Load balancer", InternetFacing: true})
				if err != nil {
					return err
				}
				return c.do(ctx, app, lb)
			}, pulumi.WithMocks("p", "s", mocks))
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("want an error containing %q, got %v", c.wantErr, err)
			}
			rules = mocks.rules()
			if rules != 0 {
				t.Fatalf("%d rules registered despite the error", rules)
			}
		})
	}
}

// TestAllowFromAddsBothDirections checks one AllowFrom call yields the
// ingress rule on the target and the matching egress rule on the source.
func TestAllowFromAddsBothDirections(t *testing.T) {
	sc := &plan.StackConfig{Project: "p", Stack: "s", Values: map[string]string{"aws:region": "eu-central-1"}}
	res, err := plan.Run(sc, func(ctx *pulumi.Context) error {
		app, err := network.NewSecurityGroup(ctx, "app", &network.SecurityGroupArgs{VpcID: pulumi.String("vpc-1"), Description: "App tasks"})
		if err != nil {
			return err
		}
		lb, err := network.NewSecurityGroup(ctx, "lb", &network.SecurityGroupArgs{VpcID: pulumi.String("vpc-1"), Description: "Load balancer", InternetFacing: true})
		if err != nil {
			return err
		}
		return app.AllowFrom(ctx, lb, 8080, "ALB to the app")
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []plan.Rule{
		{Direction: "ingress", Group: "app", Peer: "lb", Protocol: "tcp", Ports: "8080", Description: "ALB to the app"},
		{Direction: "egress", Group: "lb", Peer: "app", Protocol: "tcp", Ports: "8080", Description: "ALB to the app"},
	}
	if got := res.SecurityMatrix(); !reflect.DeepEqual(got, want) {
		t.Fatalf("matrix:\n got %+v\nwant %+v", got, want)
	}
}

type countingMocks struct {
	mu sync.Mutex
	n  int
}

func (m *countingMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	if strings.Contains(args.TypeToken, "securityGroup") && strings.Contains(args.TypeToken, "Rule") {
		m.mu.Lock()
		m.n++
		m.mu.Unlock()
	}
	return args.Name + "-id", args.Inputs, nil
}

func (m *countingMocks) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

func (m *countingMocks) rules() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.n
}
