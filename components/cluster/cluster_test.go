package cluster_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan/plantest"
)

func TestCluster(t *testing.T) {
	want := map[string]struct {
		insights  string
		providers []string
	}{
		"dev":  {"enabled", []string{"FARGATE", "FARGATE_SPOT"}},
		"prod": {"enhanced", []string{"FARGATE"}}, // no Spot in prod
	}
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		c := plantest.One(t, res, "aws:ecs/cluster:Cluster", "cluster")
		if !strings.Contains(plantest.JSON(c.PlainInputs()), `{"name":"containerInsights","value":"`+want[stack].insights+`"}`) {
			t.Errorf("%s cluster settings = %v", stack, c.PlainInputs())
		}
		cp := plantest.One(t, res, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "cluster")
		if got := plantest.Strings(cp.Input("capacityProviders")); !reflect.DeepEqual(got, want[stack].providers) {
			t.Errorf("%s capacity providers = %v, want %v", stack, got, want[stack].providers)
		}
		ns := plantest.One(t, res, "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "cluster-namespace")
		if ns.InputString("name") != stack+".pushplatform.internal" || ns.InputString("vpc") != "vpc-network-vpc" {
			t.Errorf("%s namespace = %v", stack, ns.PlainInputs())
		}
		alb := plantest.One(t, res, "aws:lb/loadBalancer:LoadBalancer", "cluster-alb")
		if alb.Input("idleTimeout") != float64(60) || alb.InputString("loadBalancerType") != "application" {
			t.Errorf("%s ALB = %v", stack, alb.PlainInputs())
		}
		logsPolicy := plantest.One(t, res, "aws:s3/bucketPolicy:BucketPolicy", "datastores-logs")
		var waits bool
		for _, d := range alb.Dependencies {
			waits = waits || d == logsPolicy.URN
		}
		if !waits {
			t.Errorf("%s: the ALB must wait for the logs bucket's policy (AWS checks it when logging is on)", stack)
		}
	}
}
