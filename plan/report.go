package plan

import (
	"sort"

	"github.com/pushplatform/pushplatform/config"
)

// Report is the offline plan of one stack. Each field is one section; the
// text and JSON renderings show the same sections.
type Report struct {
	Project string `json:"project"`
	Stack   string `json:"stack"`
	// Config is the resolved configuration the program ran with.
	Config *config.Config `json:"config"`
	// Tree is the component tree with every registered resource.
	Tree []*Node `json:"tree"`
	// ResourceCounts counts registered resources by type token.
	ResourceCounts map[string]int `json:"resourceCounts"`
	// TotalResources counts every registered resource.
	TotalResources int `json:"totalResources"`
	// Remote is what remote (awsx) components create at deploy time.
	Remote []Expansion `json:"remoteComponents"`
	// Stores are the stateful stores with their safety properties.
	Stores []Store `json:"stores"`
	// Services are the ECS services with placement, deployment and scaling.
	Services []ServiceView `json:"services"`
	// Edge lists the CloudFront distributions and what sits behind them.
	Edge []EdgeView `json:"edge"`
	// Logs is log processing (nil without a delivery stream).
	Logs *LogsView `json:"logs,omitempty"`
	// PushCapacity is the push tier's capacity table (nil without one).
	PushCapacity *Capacity `json:"pushCapacity,omitempty"`
	// Outputs are the stack outputs.
	Outputs map[string]any `json:"outputs"`
	// SecurityMatrix lists every permitted flow once: source, destination,
	// port, why.
	SecurityMatrix []Flow `json:"securityMatrix"`
	// NetworkCost is the network's monthly estimate (the first rows of the
	// cost table).
	NetworkCost Cost `json:"networkCost"`
	// AWSCalls lists invokes that would call AWS during preview (should be none).
	AWSCalls []string `json:"awsCalls"`
	// Resources lists every registered resource with its options and its
	// inputs, secrets shown as "[secret]" (JSON only).
	Resources []ResourceView `json:"resources"`
}

// ResourceView is one recorded resource for the JSON report.
type ResourceView struct {
	Type string `json:"type"`
	Name string `json:"name"`
	// URN identifies the resource in state; Parent is its parent's URN ("" for
	// the stack) and Aliases the URNs it answers to after a rename.
	URN            string         `json:"urn"`
	Parent         string         `json:"parent,omitempty"`
	Aliases        []string       `json:"aliases,omitempty"`
	Custom         bool           `json:"custom"`
	Protect        bool           `json:"protect,omitempty"`
	RetainOnDelete bool           `json:"retainOnDelete,omitempty"`
	IgnoreChanges  []string       `json:"ignoreChanges,omitempty"`
	Inputs         map[string]any `json:"inputs"`
}

// Node is one resource in the component tree.
type Node struct {
	Type     string  `json:"type"`
	Name     string  `json:"name"`
	Remote   bool    `json:"remote,omitempty"`
	Protect  bool    `json:"protect,omitempty"`
	Retain   bool    `json:"retainOnDelete,omitempty"`
	Children []*Node `json:"children,omitempty"`
	// Counts are a component's resources below it, by type (components only).
	Counts map[string]int `json:"counts,omitempty"`
}

// NewReport reviews a run. cfg may be nil when the config did not resolve.
func NewReport(res *Result, cfg *config.Config) *Report {
	rep := &Report{
		Project:        res.Project,
		Stack:          res.Stack,
		Config:         cfg,
		Tree:           res.tree(""),
		ResourceCounts: res.Counts(),
		TotalResources: len(res.Resources),
		Remote:         res.Expansions(),
		Stores:         res.Stores(),
		Services:       res.Services(),
		Edge:           res.Edge(),
		Logs:           res.Logs(),
		Outputs:        res.KnownAfterDeploy(res.Outputs).(map[string]any),
		SecurityMatrix: res.Flows(),
		NetworkCost:    res.NetworkCost(),
		AWSCalls:       res.UnsafeInvokes(),
	}
	for _, r := range res.Resources {
		rep.Resources = append(rep.Resources, ResourceView{
			Type: r.Type, Name: r.Name, URN: r.URN, Parent: r.Parent, Aliases: r.Aliases, Custom: r.Custom, Protect: r.Protect, RetainOnDelete: r.RetainOnDelete,
			IgnoreChanges: r.IgnoreChanges, Inputs: res.KnownAfterDeploy(r.PlainInputs()).(map[string]any),
		})
	}
	sort.Slice(rep.Resources, func(i, j int) bool {
		a, b := rep.Resources[i], rep.Resources[j]
		return a.Type < b.Type || a.Type == b.Type && a.Name < b.Name
	})
	if cfg != nil {
		rep.PushCapacity = res.PushCapacity(cfg.Push.ConnectionsPerTask)
	}
	if rep.AWSCalls == nil {
		rep.AWSCalls = []string{}
	}
	return rep
}

func (r *Result) tree(parent string) []*Node {
	children := r.Children(parent)
	sort.Slice(children, func(i, j int) bool {
		if children[i].Custom != children[j].Custom {
			return !children[i].Custom // components first
		}
		if children[i].Type != children[j].Type {
			return children[i].Type < children[j].Type
		}
		return children[i].Name < children[j].Name
	})
	nodes := make([]*Node, 0, len(children))
	for _, c := range children {
		n := &Node{
			Type: c.Type, Name: c.Name, Remote: c.Remote, Protect: c.Protect, Retain: c.RetainOnDelete,
			Children: r.tree(c.URN),
		}
		if !c.Custom && !c.Remote {
			n.Counts = map[string]int{}
			n.count(n.Counts)
		}
		nodes = append(nodes, n)
	}
	return nodes
}

// count adds the custom resources below n, by type, into into.
func (n *Node) count(into map[string]int) {
	for _, c := range n.Children {
		if c.Counts == nil && !c.Remote {
			into[c.Type]++
		}
		c.count(into)
	}
}
