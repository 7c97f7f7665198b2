package diagram

import (
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// groupKeys are the inputs that attach security groups to a resource:
// a load balancer's securityGroups, an ECS service's
// networkConfiguration.securityGroups, an RDS instance's
// vpcSecurityGroupIds, a replication group's securityGroupIds, a
// function's vpcConfig.securityGroupIds.
var groupKeys = []string{"securityGroups", "vpcSecurityGroupIds", "securityGroupIds"}

// flows links the nodes the security-group matrix lets talk (res.Flows):
// each group is drawn as the nodes that use it. A flow from an address
// range to a group is drawn from an actor named by the rule's reason
// ("Push clients to the WebSocket listener on 80" gives "Push clients").
// A one-sided flow is left out: AWS drops it.
func (b *builder) flows() {
	users := b.groupUsers()
	for _, f := range b.res.Flows() {
		if f.OneSided {
			continue
		}
		label := fmt.Sprintf("%s/%s %s", f.Protocol, f.Ports, f.Description)
		if f.Protocol == "-1" {
			label = "all traffic " + f.Description
		}
		var froms []string
		if isCIDR(f.From) {
			froms = []string{b.actor(actorName(f))}
		} else {
			froms = users[f.From]
		}
		for _, from := range froms {
			for _, to := range users[f.To] {
				b.link(from, to, EdgeNetwork, label, "security groups "+f.From+" -> "+f.To)
			}
		}
	}
}

// groupUsers maps each security group's logical name to the nodes whose
// inputs name the group's ID.
func (b *builder) groupUsers() map[string][]string {
	users := map[string][]string{}
	for _, r := range b.resources {
		node, ok := b.nodeOf[r]
		if !ok {
			continue
		}
		for _, id := range groupIDs(r.PlainInputs()) {
			g := b.res.ByID(id)
			if g == nil || g.Type != "aws:ec2/securityGroup:SecurityGroup" {
				continue
			}
			if !slices.Contains(users[g.Name], node) {
				users[g.Name] = append(users[g.Name], node)
			}
		}
	}
	return users
}

// groupIDs collects the values of the group-attaching keys anywhere in a
// resource's inputs.
func groupIDs(v any) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if slices.Contains(groupKeys, k) {
				out = append(out, strs(e)...)
			} else {
				out = append(out, groupIDs(e)...)
			}
		}
	case []any:
		for _, e := range x {
			out = append(out, groupIDs(e)...)
		}
	}
	return out
}

func isCIDR(s string) bool {
	_, _, err := net.ParseCIDR(s)
	return err == nil
}

// actorName names the clients of an address-range flow by the rule's
// reason, up to " to ", or by the range itself.
func actorName(f plan.Flow) string {
	if who, _, ok := strings.Cut(f.Description, " to "); ok && who != "" {
		return who
	}
	return "Internet " + f.From
}
