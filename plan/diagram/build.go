package diagram

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// nodeTypes are the resource types drawn as nodes, with their kind and
// the caption under the name.
var nodeTypes = map[string]struct{ kind, caption string }{
	"aws:cloudfront/distribution:Distribution":                  {KindCDN, "CloudFront distribution"},
	"aws:s3/bucketV2:BucketV2":                                  {KindBucket, "S3 bucket"},
	"aws:lb/loadBalancer:LoadBalancer":                          {KindLoadBalancer, "load balancer"},
	"aws:ecs/service:Service":                                   {KindService, "ECS service"},
	"aws:elasticache/replicationGroup:ReplicationGroup":         {KindCache, "ElastiCache"},
	"aws:rds/instance:Instance":                                 {KindDatabase, "RDS"},
	"aws:dynamodb/table:Table":                                  {KindTable, "DynamoDB table"},
	"aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": {KindStream, "Firehose stream"},
	"aws:lambda/function:Function":                              {KindFunction, "Lambda function"},
	"aws:sqs/queue:Queue":                                       {KindQueue, "SQS queue"},
}

// builder holds the indexes one Build uses.
type builder struct {
	res       *plan.Result
	resources []*plan.Resource // sorted by URN: registration order varies
	byURN     map[string]*plan.Resource
	// outputs indexes every string output: key -> value -> resources.
	outputs map[string]map[string][]*plan.Resource
	nodeOf  map[*plan.Resource]string
	nodes   map[string]*Node
	groups  map[string]Group
	edges   []*Edge
}

func newBuilder(res *plan.Result) *builder {
	b := &builder{
		res:     res,
		byURN:   map[string]*plan.Resource{},
		outputs: map[string]map[string][]*plan.Resource{},
		nodeOf:  map[*plan.Resource]string{},
		nodes:   map[string]*Node{},
		groups:  map[string]Group{},
	}
	b.resources = slices.Clone(res.Resources)
	slices.SortFunc(b.resources, func(x, y *plan.Resource) int { return strings.Compare(x.URN, y.URN) })
	for _, r := range b.resources {
		b.byURN[r.URN] = r
		for k, v := range r.Outputs {
			if v.IsString() && v.StringValue() != "" {
				key := string(k)
				if b.outputs[key] == nil {
					b.outputs[key] = map[string][]*plan.Resource{}
				}
				b.outputs[key][v.StringValue()] = append(b.outputs[key][v.StringValue()], r)
			}
		}
	}
	return b
}

// byOutput finds the resources of a type whose output key has this value:
// the mock engine invents outputs (ARNs, names) deterministically, so an
// input that holds one names the resource that produced it.
func (b *builder) byOutput(typ, key, value string) []*plan.Resource {
	var out []*plan.Resource
	for _, r := range b.outputs[key][value] {
		if typ == "" || r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// byARN finds the resource of a type with this ARN, or nil.
func (b *builder) byARN(typ, arn string) *plan.Resource {
	if rs := b.byOutput(typ, "arn", arn); len(rs) > 0 {
		return rs[0]
	}
	return nil
}

// bucket finds a bucket by what inputs refer to it with: its name (the
// bucket output) or its ID.
func (b *builder) bucket(ref string) *plan.Resource {
	const typ = "aws:s3/bucketV2:BucketV2"
	if rs := b.byOutput(typ, "bucket", ref); len(rs) > 0 {
		return rs[0]
	}
	if r := b.res.ByID(ref); r != nil && r.Type == typ {
		return r
	}
	return nil
}

// component is the top-level pushplatform:* component above a resource.
func (b *builder) component(r *plan.Resource) *plan.Resource {
	var top *plan.Resource
	for cur := r; cur != nil; cur = b.byURN[cur.Parent] {
		if strings.HasPrefix(cur.Type, "pushplatform:") {
			top = cur
		}
		if cur.Parent == "" {
			break
		}
	}
	return top
}

func (b *builder) addNodes() {
	for _, r := range b.resources {
		nt, ok := nodeTypes[r.Type]
		if !ok {
			continue
		}
		n := &Node{Kind: nt.kind, Name: r.Name, Type: r.Type, Label: r.Name + "\n" + caption(r, nt.caption)}
		n.ID = b.uniqueID(nt.kind + "_" + r.Name)
		if c := b.component(r); c != nil {
			n.Group = c.Name
			b.groups[c.Name] = Group{Name: c.Name, Type: c.Type, Label: fmt.Sprintf("%s (%s)", c.Name, componentKind(c.Type))}
		}
		b.nodes[n.ID] = n
		b.nodeOf[r] = n.ID
	}
}

// caption adds what tells two nodes of a kind apart: the engine, the
// load balancer's type and scheme.
func caption(r *plan.Resource, base string) string {
	switch r.Type {
	case "aws:lb/loadBalancer:LoadBalancer":
		scheme := "internet-facing"
		if r.Input("internal") == true {
			scheme = "internal"
		}
		return fmt.Sprintf("%s %s, %s", r.InputString("loadBalancerType"), base, scheme)
	case "aws:elasticache/replicationGroup:ReplicationGroup", "aws:rds/instance:Instance":
		return strings.TrimSpace(fmt.Sprintf("%s %s %s", base, r.InputString("engine"), r.InputString("engineVersion")))
	}
	return base
}

// componentKind turns "pushplatform:producerconsumer:ProducerConsumer"
// into "producerconsumer".
func componentKind(typ string) string {
	parts := strings.Split(typ, ":")
	if len(parts) == 3 {
		return parts[1]
	}
	return typ
}

// uniqueID makes a safe identifier from s, suffixed if already taken.
func (b *builder) uniqueID(s string) string {
	id := safeID(s)
	for i := 2; b.nodes[id] != nil; i++ {
		id = fmt.Sprintf("%s_%d", safeID(s), i)
	}
	return id
}

// safeID keeps letters and digits and turns everything else into "_", so
// the ID needs no quoting in Mermaid or DOT.
func safeID(s string) string {
	var sb strings.Builder
	for _, c := range s {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			sb.WriteRune(c)
		} else {
			sb.WriteByte('_')
		}
	}
	return sb.String()
}

// actor adds (once) a node for something outside AWS.
func (b *builder) actor(label string) string {
	id := safeID("actor_" + strings.ToLower(label))
	if b.nodes[id] == nil {
		b.nodes[id] = &Node{ID: id, Kind: KindActor, Name: label, Label: label}
	}
	return id
}

// link adds an edge. Evidence is added in order (requests, deliveries,
// security-group flows, IAM grants): a later, less specific kind of
// evidence for a pair already linked adds nothing (the load balancer's
// flow to a service its listener already routes to), while the same kind
// merges its label into the existing edge.
func (b *builder) link(from, to, kind, label, via string) {
	if from == "" || to == "" {
		return
	}
	for _, e := range b.edges {
		if e.From != from || e.To != to {
			continue
		}
		if e.Kind != kind {
			return
		}
		e.Label = merge(e.Label, label)
		e.Via = merge(e.Via, via)
		return
	}
	b.edges = append(b.edges, &Edge{From: from, To: to, Kind: kind, Label: label, Via: via})
}

func merge(a, b string) string {
	if b == "" || slices.Contains(strings.Split(a, "; "), b) {
		return a
	}
	if a == "" {
		return b
	}
	return a + "; " + b
}

func (b *builder) graph() *Graph {
	g := &Graph{Stack: b.res.Stack}
	for _, grp := range b.groups {
		g.Groups = append(g.Groups, grp)
	}
	for _, n := range b.nodes {
		g.Nodes = append(g.Nodes, *n)
	}
	for _, e := range b.edges {
		g.Edges = append(g.Edges, *e)
	}
	g.sortGraph()
	return g
}

// Plain-value helpers over recorded inputs.

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func strs(v any) []string {
	var out []string
	for _, e := range listOf(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// ofType lists the resources of a type in URN order, so that labels
// merged from several resources read the same on every run.
func (b *builder) ofType(typ string) []*plan.Resource {
	var out []*plan.Resource
	for _, r := range b.resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}
