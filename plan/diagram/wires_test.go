package diagram

import (
	"encoding/json"
	"maps"
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// TestWireRemoved: cutting one wire in a copy of the recorded resources
// removes exactly the edges that wire drew, and nothing else: the edges
// come from the inputs, not from names.
func TestWireRemoved(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		g := Build(res)
		for _, c := range []struct {
			name     string
			typ, res string
			edit     func(t *testing.T, in map[string]any)
			gone     [][2]string // the ends of each edge it removes, as type and name
			// flowStays: the removed edges stay drawn as the security-group
			// flow that still allows the connection.
			flowStays bool
		}{
			{
				name: "bucket notification without its function", typ: "aws:s3/bucketNotification:BucketNotification", res: "logs-records",
				edit: func(t *testing.T, in map[string]any) { in["lambdaFunctions"] = []any{} },
				gone: [][2]string{{tBucket, "datastores-pushmessages"}, {tFunc, "logs-processor"}},
			},
			{
				name: "producer out of its target group", typ: tService, res: "app-producer",
				edit: func(t *testing.T, in map[string]any) { in["loadBalancers"] = []any{} },
				gone: [][2]string{{tLB, "cluster-alb"}, {tService, "app-producer"}}, flowStays: true,
			},
			{
				name: "consumer without its security group", typ: tService, res: "app-consumer",
				edit: func(t *testing.T, in map[string]any) {
					in["networkConfiguration"].(map[string]any)["securityGroups"] = []any{}
				},
				gone: [][2]string{{tService, "app-consumer"}, {tCache, "datastores-cache"}, {tService, "app-consumer"}, {tDB, "datastores-mysql"}},
			},
			{
				name: "VPC origin to another ARN", typ: "aws:cloudfront/vpcOrigin:VpcOrigin", res: "frontend-alb",
				edit: func(t *testing.T, in map[string]any) {
					in["vpcOriginEndpointConfig"].(map[string]any)["arn"] = "arn:aws:elasticloadbalancing:elsewhere"
				},
				gone: [][2]string{{tCDN, "frontend"}, {tLB, "cluster-alb"}},
			},
			{
				name: "gateway's grant on the stream dropped", typ: "aws:iam/rolePolicy:RolePolicy", res: "push-autoendpoint-task",
				edit: func(t *testing.T, in map[string]any) {
					doc, err := plan.ParsePolicy(in["policy"].(string))
					if err != nil {
						t.Fatal(err)
					}
					doc.Statement = slices.DeleteFunc(doc.Statement, func(s plan.PolicyStatement) bool { return slices.Contains(s.Action, "firehose:PutRecordBatch") })
					b, _ := json.Marshal(doc)
					in["policy"] = string(b)
				},
				gone: [][2]string{{tService, "push-autoendpoint"}, {tStream, "logs"}},
			},
		} {
			t.Run(stack+"/"+c.name, func(t *testing.T) {
				cut := Build(withInputs(t, res, c.typ, c.res, c.edit))
				want := edgeSet(g)
				for i := 0; i+1 < len(c.gone); i += 2 {
					e := id(t, g, c.gone[i][0], c.gone[i][1]) + " -> " + id(t, g, c.gone[i+1][0], c.gone[i+1][1])
					if want[e] == "" {
						t.Fatalf("the full graph lacks %s, so its removal proves nothing", e)
					}
					delete(want, e)
					if c.flowStays {
						want[e] = EdgeNetwork
					}
				}
				got := edgeSet(cut)
				if !maps.Equal(got, want) {
					t.Errorf("edges after cutting the wire:\n extra %v\n missing %v", diff(got, want), diff(want, got))
				}
			})
		}
	}
}

// TestLogsOff: a stack run with log processing switched off draws the
// Firehose path without the processor and the API, and one with logs off
// draws neither the stream nor the gateway's grant on it.
func TestLogsOff(t *testing.T) {
	noProcessing, err := plantest.RunWith(t, "prod", func(v map[string]string) { v["pushplatform:logs"] = `{"processing":false}` })
	if err != nil {
		t.Fatal(err)
	}
	g := Build(noProcessing)
	stream, bucket := id(t, g, tStream, "logs"), id(t, g, tBucket, "datastores-pushmessages")
	walk(t, g, id(t, g, tService, "push-autoendpoint"), "->", stream, "->", bucket)
	if n := g.NodeFor(tFunc, "logs-processor"); n != nil {
		t.Errorf("processing off, yet the processor is drawn: %+v", n)
	}
	if n := g.NodeFor(tService, "logs-api"); n != nil {
		t.Errorf("processing off, yet the Push Messages API is drawn: %+v", n)
	}
	if es := g.EdgesFrom(bucket); len(es) != 0 {
		t.Errorf("processing off, yet the records bucket delivers: %v", es)
	}

	off, err := plantest.RunWith(t, "prod", func(v map[string]string) { v["pushplatform:logs"] = `{"enabled":false,"processing":false}` })
	if err != nil {
		t.Fatal(err)
	}
	g = Build(off)
	if n := g.NodeFor(tStream, "logs"); n != nil {
		t.Errorf("logs off, yet the stream is drawn: %+v", n)
	}
	for _, e := range g.EdgesFrom(id(t, g, tService, "push-autoendpoint")) {
		if n := g.Node(e.To); n != nil && n.Kind == KindStream {
			t.Errorf("logs off, yet autoendpoint reaches a stream: %+v", e)
		}
	}
	// The rest of the push path stays.
	walk(t, g, actorID(t, g, "Push clients"), "->", id(t, g, tLB, "push-nlb"), "->", id(t, g, tService, "push-autoconnect"), "<-", id(t, g, tService, "push-autoendpoint"))
}

// withInputs copies a result with one resource's inputs edited; the
// original is left as it was.
func withInputs(t *testing.T, res *plan.Result, typ, name string, edit func(*testing.T, map[string]any)) *plan.Result {
	t.Helper()
	cp := *res
	cp.Resources = slices.Clone(res.Resources)
	for i, r := range cp.Resources {
		if r.Type != typ || r.Name != name {
			continue
		}
		changed := *r
		in := map[string]any{}
		for k := range r.Inputs {
			in[string(k)] = r.Input(string(k))
		}
		edit(t, in)
		changed.Inputs = resource.NewPropertyMapFromMap(in)
		cp.Resources[i] = &changed
		return &cp
	}
	t.Fatalf("no %s %s to edit", typ, name)
	return nil
}

func diff(a, b map[string]string) []string {
	var out []string
	for k, kind := range a {
		if b[k] != kind {
			out = append(out, k+" ("+kind+")")
		}
	}
	slices.Sort(out)
	return out
}
