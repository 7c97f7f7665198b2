// Package diagram draws the architecture from the offline plan: one node
// per significant resource, grouped by the component that creates it, and
// edges read only from what the recorded resources say about each other
// (CloudFront origins, listener rules, target groups, security-group flows,
// bucket notifications, delivery streams, IAM grants). Nothing is drawn by
// hand, so the picture changes when the program does: a wire removed from
// the program is an edge gone from the diagram.
//
// It renders as Mermaid (GitHub draws it in markdown) and as Graphviz DOT.
package diagram

import (
	"cmp"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// Graph is the architecture of one stack.
type Graph struct {
	Stack  string  `json:"stack"`
	Groups []Group `json:"groups"`
	Nodes  []Node  `json:"nodes"`
	Edges  []Edge  `json:"edges"`
}

// Group is one top-level component (pushplatform:*) and the nodes in it.
type Group struct {
	Name  string `json:"name"`
	Type  string `json:"type"`
	Label string `json:"label"`
}

// Node kinds.
const (
	KindActor        = "actor"
	KindCDN          = "cdn"
	KindBucket       = "bucket"
	KindLoadBalancer = "loadBalancer"
	KindService      = "service"
	KindCache        = "cache"
	KindDatabase     = "database"
	KindTable        = "table"
	KindStream       = "stream"
	KindFunction     = "function"
	KindQueue        = "queue"
)

// Node is a resource (or an actor outside AWS) in the diagram.
type Node struct {
	// ID is safe as a Mermaid and DOT identifier and stable from run to run.
	ID   string `json:"id"`
	Kind string `json:"kind"`
	// Name is the resource's logical name; Type its type token ("" for
	// actors).
	Name string `json:"name"`
	Type string `json:"type,omitempty"`
	// Label is what the diagram shows, lines separated by "\n".
	Label string `json:"label"`
	// Group is the component's name, "" for actors.
	Group string `json:"group,omitempty"`
}

// Edge kinds, by the evidence that draws them.
const (
	// EdgeRequest: a CloudFront behaviour or a load balancer listener sends
	// requests there.
	EdgeRequest = "request"
	// EdgeNetwork: a security-group flow lets From open connections to To.
	EdgeNetwork = "network"
	// EdgeData: a resource is wired to deliver to another (a delivery
	// stream's bucket, a bucket notification, a failure destination).
	EdgeData = "data"
	// EdgeIAM: From's role is granted actions on To.
	EdgeIAM = "iam"
	// EdgeLogs: access logs written to a bucket.
	EdgeLogs = "logs"
)

// Edge is one labelled connection between two nodes.
type Edge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Kind  string `json:"kind"`
	Label string `json:"label"`
	// Via names the recorded resources the edge was read from.
	Via string `json:"via"`
}

// Build draws the graph of a plan run.
func Build(res *plan.Result) *Graph {
	b := newBuilder(res)
	b.addNodes()
	b.cloudFront()
	b.loadBalancers()
	b.deliveries()
	b.flows()
	b.grants()
	return b.graph()
}

// Node returns the node with this ID, or nil.
func (g *Graph) Node(id string) *Node {
	for i := range g.Nodes {
		if g.Nodes[i].ID == id {
			return &g.Nodes[i]
		}
	}
	return nil
}

// NodeFor returns the node of the resource with this type and logical
// name, or nil.
func (g *Graph) NodeFor(typ, name string) *Node {
	for i := range g.Nodes {
		if g.Nodes[i].Type == typ && g.Nodes[i].Name == name {
			return &g.Nodes[i]
		}
	}
	return nil
}

// EdgesFrom lists the edges leaving a node.
func (g *Graph) EdgesFrom(id string) []Edge {
	var out []Edge
	for _, e := range g.Edges {
		if e.From == id {
			out = append(out, e)
		}
	}
	return out
}

// Edge returns the edge from one node to another, or nil.
func (g *Graph) Edge(from, to string) *Edge {
	for i := range g.Edges {
		if g.Edges[i].From == from && g.Edges[i].To == to {
			return &g.Edges[i]
		}
	}
	return nil
}

// sortGraph orders everything, so the output is byte-identical between
// runs whatever order the engine registered the resources in.
func (g *Graph) sortGraph() {
	slices.SortFunc(g.Groups, func(a, b Group) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(g.Nodes, func(a, b Node) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.ID, b.ID))
	})
	slices.SortFunc(g.Edges, func(a, b Edge) int {
		return cmp.Or(strings.Compare(a.From, b.From), strings.Compare(a.To, b.To), strings.Compare(a.Kind, b.Kind), strings.Compare(a.Label, b.Label))
	})
}
