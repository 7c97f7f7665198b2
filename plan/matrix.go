package plan

import (
	"fmt"
	"sort"
	"strings"
)

// Rule is one line of the security matrix: who may reach whom, on what, why.
type Rule struct {
	// Direction is "ingress" (Peer may reach Group) or "egress" (Group may
	// reach Peer).
	Direction string `json:"direction"`
	Group     string `json:"group"`
	// Peer is another group's logical name, or a CIDR such as 0.0.0.0/0.
	Peer        string `json:"peer"`
	PeerIsCIDR  bool   `json:"peerIsCidr"`
	Protocol    string `json:"protocol"`
	Ports       string `json:"ports"`
	Description string `json:"description"`
}

// Rule resource types; the program never uses inline group rules.
const (
	typeSecurityGroup = "aws:ec2/securityGroup:SecurityGroup"
	typeIngressRule   = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	typeEgressRule    = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
)

// SecurityMatrix lists every security-group rule the program registers,
// with groups named by their logical names.
func (r *Result) SecurityMatrix() []Rule {
	var rules []Rule
	for _, res := range r.Resources {
		var direction string
		switch res.Type {
		case typeIngressRule:
			direction = "ingress"
		case typeEgressRule:
			direction = "egress"
		default:
			continue
		}
		rule := Rule{
			Direction:   direction,
			Group:       r.groupName(res.InputString("securityGroupId")),
			Protocol:    res.InputString("ipProtocol"),
			Ports:       ports(res),
			Description: res.InputString("description"),
		}
		switch {
		case res.InputString("referencedSecurityGroupId") != "":
			rule.Peer = r.groupName(res.InputString("referencedSecurityGroupId"))
		case res.InputString("cidrIpv4") != "":
			rule.Peer, rule.PeerIsCIDR = res.InputString("cidrIpv4"), true
		case res.InputString("cidrIpv6") != "":
			rule.Peer, rule.PeerIsCIDR = res.InputString("cidrIpv6"), true
		case res.InputString("prefixListId") != "":
			rule.Peer = r.prefixListName(res.InputString("prefixListId"), res)
		}
		rules = append(rules, rule)
	}
	sort.Slice(rules, func(i, j int) bool {
		a, b := rules[i], rules[j]
		if a.Group != b.Group {
			return a.Group < b.Group
		}
		if a.Direction != b.Direction {
			return a.Direction > b.Direction // ingress first
		}
		if a.Peer != b.Peer {
			return a.Peer < b.Peer
		}
		if a.Ports != b.Ports {
			return a.Ports < b.Ports
		}
		return a.Description < b.Description
	})
	return rules
}

// prefixListName names a prefix list by the gateway endpoint that owns it,
// or by the name the rule gives it (network.PrefixListTag).
func (r *Result) prefixListName(id string, rule *Resource) string {
	if tags, ok := rule.Input("tags").(map[string]any); ok {
		if name, ok := tags["PrefixList"].(string); ok {
			return name + " (prefix list " + id + ")"
		}
	}
	for _, ep := range r.OfType("aws:ec2/vpcEndpoint:VpcEndpoint") {
		if v, ok := ep.Outputs["prefixListId"]; ok && v.IsString() && v.StringValue() == id {
			return ep.Name + " (prefix list)"
		}
	}
	return "prefix list " + id
}

func (r *Result) groupName(id string) string {
	if g := r.ByID(id); g != nil && g.Type == typeSecurityGroup {
		return g.Name
	}
	return id
}

func ports(res *Resource) string {
	if res.InputString("ipProtocol") == "-1" {
		return "all"
	}
	from, _ := res.Input("fromPort").(float64)
	to, _ := res.Input("toPort").(float64)
	if from == to {
		return fmt.Sprint(int(from))
	}
	return fmt.Sprintf("%d-%d", int(from), int(to))
}

// Flow is one permitted connection, listed once however many rules open
// it: From may open connections to To on Ports, and Why says what for.
type Flow struct {
	From        string `json:"from"`
	To          string `json:"to"`
	Protocol    string `json:"protocol"`
	Ports       string `json:"ports"`
	Description string `json:"why"`
	// OneSided marks a flow between two groups that only one side opens
	// (an ingress rule without the source's egress, or the reverse): AWS
	// drops it, since every group here starts closed both ways. AllowFrom
	// always opens both sides; a CIDR or prefix-list end has only one.
	OneSided bool `json:"oneSided,omitempty"`
}

// Flows merges the rules into flows: an ingress rule on G from P and an
// egress rule on P to G with the same port and reason are one flow P -> G.
// Sorted by source, destination, port and reason, so the plan's matrix is
// stable from run to run.
func (r *Result) Flows() []Flow {
	type key struct {
		from, to, protocol, ports, why string
		groups                         bool // both ends are security groups
	}
	rules := map[key]int{}
	for _, rule := range r.SecurityMatrix() {
		k := key{rule.Peer, rule.Group, rule.Protocol, rule.Ports, rule.Description, !rule.PeerIsCIDR && !strings.Contains(rule.Peer, "prefix list")}
		if rule.Direction == "egress" {
			k.from, k.to = rule.Group, rule.Peer
		}
		rules[k]++
	}
	flows := make([]Flow, 0, len(rules))
	for k, n := range rules {
		flows = append(flows, Flow{From: k.from, To: k.to, Protocol: k.protocol, Ports: k.ports, Description: k.why, OneSided: k.groups && n == 1})
	}
	sort.Slice(flows, func(i, j int) bool {
		a, b := flows[i], flows[j]
		for _, cmp := range [][2]string{{a.From, b.From}, {a.To, b.To}, {a.Protocol, b.Protocol}, {a.Ports, b.Ports}, {a.Description, b.Description}} {
			if cmp[0] != cmp[1] {
				return cmp[0] < cmp[1]
			}
		}
		return false
	})
	return flows
}
