package diagram

import (
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// Resource types the tests name nodes by.
const (
	tCDN     = "aws:cloudfront/distribution:Distribution"
	tBucket  = "aws:s3/bucketV2:BucketV2"
	tLB      = "aws:lb/loadBalancer:LoadBalancer"
	tService = "aws:ecs/service:Service"
	tCache   = "aws:elasticache/replicationGroup:ReplicationGroup"
	tDB      = "aws:rds/instance:Instance"
	tTable   = "aws:dynamodb/table:Table"
	tStream  = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream"
	tFunc    = "aws:lambda/function:Function"
)

// TestPaths follows the three paths edge by edge in the graph of
// each committed stack: the web path, the push path and (where the stack
// has it) the log path.
func TestPaths(t *testing.T) {
	for _, stack := range plantest.Stacks {
		t.Run(stack, func(t *testing.T) {
			res := plantest.Run(t, stack)
			g := Build(res)
			logs := stackLogs(t, stack)
			t.Logf("%s: %d nodes, %d edges, %d components; logs enabled %v, processing %v", stack, len(g.Nodes), len(g.Edges), len(g.Groups), logs.Enabled, logs.Processing)

			viewers := actorID(t, g, Viewers)
			cdn := id(t, g, tCDN, "frontend")
			alb := id(t, g, tLB, "cluster-alb")
			// Browser -> CloudFront -> S3 (the site by default, assets by path).
			walk(t, g, viewers, "->", cdn, "->", id(t, g, tBucket, "datastores-frontend"))
			label(t, g, cdn, id(t, g, tBucket, "datastores-frontend"), "default *")
			label(t, g, cdn, id(t, g, tBucket, "datastores-assets"), "/assets/*")
			// CloudFront -> ALB -> producer -> queue <- consumer -> MySQL.
			walk(t, g, cdn, "->", alb, "->", id(t, g, tService, "app-producer"), "->", id(t, g, tCache, "datastores-cache"),
				"<-", id(t, g, tService, "app-consumer"), "->", id(t, g, tDB, "datastores-mysql"))
			label(t, g, cdn, alb, "/api/*")
			label(t, g, alb, id(t, g, tService, "app-producer"), "/api/*")
			label(t, g, id(t, g, tService, "app-consumer"), id(t, g, tCache, "datastores-cache"), "6379")
			label(t, g, id(t, g, tService, "app-consumer"), id(t, g, tDB, "datastores-mysql"), "3306")

			// Push clients -> NLB -> autoconnect <- autoendpoint (router port),
			// and app servers through CloudFront and the ALB to autoendpoint.
			autoconnect, autoendpoint := id(t, g, tService, "push-autoconnect"), id(t, g, tService, "push-autoendpoint")
			walk(t, g, actorID(t, g, "Push clients"), "->", id(t, g, tLB, "push-nlb"), "->", autoconnect, "<-", autoendpoint)
			label(t, g, autoendpoint, autoconnect, "8081")
			walk(t, g, viewers, "->", cdn, "->", alb, "->", autoendpoint)
			label(t, g, alb, autoendpoint, "/wpush/*")

			stream := g.NodeFor(tStream, "logs")
			if !logs.Enabled {
				if stream != nil {
					t.Errorf("logs.enabled is false but the graph has the stream %s", stream.ID)
				}
				return
			}
			if stream == nil {
				t.Fatal("logs.enabled but no Firehose stream node")
			}
			// autoendpoint's gateway -> Firehose -> pushmessages bucket.
			bucket := id(t, g, tBucket, "datastores-pushmessages")
			walk(t, g, autoendpoint, "->", stream.ID, "->", bucket)
			label(t, g, autoendpoint, stream.ID, "PutRecordBatch")
			processor := g.NodeFor(tFunc, "logs-processor")
			if !logs.Processing {
				if processor != nil {
					t.Errorf("logs.processing is false but the graph has %s", processor.ID)
				}
				return
			}
			// -> processor -> Valkey and the table <- Push Messages API <- ALB.
			api, table, cache := id(t, g, tService, "logs-api"), id(t, g, tTable, "datastores-push-messages"), id(t, g, tCache, "datastores-cache")
			walk(t, g, bucket, "->", processor.ID, "->", cache, "<-", api)
			walk(t, g, processor.ID, "->", table, "<-", api, "<-", alb)
			label(t, g, bucket, processor.ID, "records/")
			label(t, g, alb, api, "/messages/*")
		})
	}
}

// TestNodes: every resource of a drawn type is one node, in the group of
// the component above it.
func TestNodes(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		g := Build(res)
		for typ, nt := range nodeTypes {
			for _, r := range res.OfType(typ) {
				n := g.NodeFor(typ, r.Name)
				if n == nil {
					t.Errorf("%s: no node for %s %s", stack, typ, r.Name)
					continue
				}
				if n.Kind != nt.kind || n.Group == "" {
					t.Errorf("%s: node %s: kind %q, group %q", stack, n.ID, n.Kind, n.Group)
				}
			}
		}
		groups := map[string]bool{}
		for _, grp := range g.Groups {
			groups[grp.Name] = true
			if res.Named(grp.Type, grp.Name) == nil || !strings.HasPrefix(grp.Type, "pushplatform:") {
				t.Errorf("%s: group %s (%s) is not a recorded component", stack, grp.Name, grp.Type)
			}
		}
		for _, n := range g.Nodes {
			if n.Kind != KindActor && !groups[n.Group] {
				t.Errorf("%s: node %s sits in no listed group (%q)", stack, n.ID, n.Group)
			}
		}
		for _, e := range g.Edges {
			if g.Node(e.From) == nil || g.Node(e.To) == nil || e.Label == "" || e.Via == "" {
				t.Errorf("%s: edge %+v: an end is missing or it has no label or source", stack, e)
			}
		}
		// The producer sits with the component that builds it, not the
		// service component it is made of.
		if n := g.NodeFor(tService, "app-producer"); n == nil || n.Group != "app" {
			t.Errorf("%s: app-producer's group: %+v", stack, n)
		}
	}
}

// TestStable: two runs (the engine registers in a different order each
// time) draw byte-identical diagrams.
func TestStable(t *testing.T) {
	a, b := Build(plantest.Run(t, "prod")), Build(plantest.Run(t, "prod"))
	if a.Mermaid() != b.Mermaid() || a.DOT() != b.DOT() {
		t.Errorf("two runs of prod drew different diagrams:\n%s\n---\n%s", a.Mermaid(), b.Mermaid())
	}
}

// stackLogs resolves the stack's logs settings as the program does.
func stackLogs(t *testing.T, stack string) config.Logs {
	t.Helper()
	sc := plantest.Config(t, stack)
	cfg, err := config.Resolve(sc.Project, sc.Stack, sc.Values)
	if err != nil {
		t.Fatal(err)
	}
	return cfg.Logs
}

// id is the node of a resource, failing the test without one.
func id(t *testing.T, g *Graph, typ, name string) string {
	t.Helper()
	n := g.NodeFor(typ, name)
	if n == nil {
		t.Fatalf("no node for %s %s", typ, name)
	}
	return n.ID
}

func actorID(t *testing.T, g *Graph, name string) string {
	t.Helper()
	for _, n := range g.Nodes {
		if n.Kind == KindActor && n.Name == name {
			return n.ID
		}
	}
	t.Fatalf("no actor %q", name)
	return ""
}

// walk follows a chain written as node, arrow, node, ...: "->" needs an
// edge from the left node to the right one, "<-" one from right to left.
func walk(t *testing.T, g *Graph, chain ...string) {
	t.Helper()
	for i := 1; i+1 < len(chain); i += 2 {
		from, to := chain[i-1], chain[i+1]
		if chain[i] == "<-" {
			from, to = to, from
		}
		if g.Edge(from, to) == nil {
			t.Errorf("no edge %s -> %s in %s; edges from %s: %v", from, to, strings.Join(chain, " "), from, g.EdgesFrom(from))
		}
	}
}

// label checks an edge's label names what it should.
func label(t *testing.T, g *Graph, from, to, want string) {
	t.Helper()
	e := g.Edge(from, to)
	if e == nil {
		t.Errorf("no edge %s -> %s", from, to)
		return
	}
	if !strings.Contains(e.Label, want) {
		t.Errorf("edge %s -> %s: label %q lacks %q", from, to, e.Label, want)
	}
}

// edgeSet maps a graph's edges, "from -> to", to their kinds.
func edgeSet(g *Graph) map[string]string {
	out := map[string]string{}
	for _, e := range g.Edges {
		out[e.From+" -> "+e.To] = e.Kind
	}
	return out
}
