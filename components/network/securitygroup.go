package network

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	awsec2 "github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SecurityGroup is the one way the platform makes a security group. A group
// starts closed in both directions; every opening is one rule resource with a
// description and, except on load balancers, a source group instead of a
// CIDR, so the whole matrix can be listed and tested.
type SecurityGroup struct {
	pulumi.ResourceState

	// Name is the logical name, used in rule names and the security matrix.
	Name string
	// ID is the security group's ID.
	ID pulumi.IDOutput

	internetFacing bool
	rules          []pulumi.Resource
	internet       map[string]bool // "in/443", "out/443": rules to 0.0.0.0/0 made
}

// Rules are the rule resources that open this group or let it out, on
// either side: a resource that must be reachable the moment it runs (a
// function invoked during the deploy) depends on them.
func (g *SecurityGroup) Rules() []pulumi.Resource { return slices.Clone(g.rules) }

// SecurityGroupArgs says where a group lives and what sits in it.
type SecurityGroupArgs struct {
	// VpcID is the VPC the group belongs to.
	VpcID pulumi.StringInput
	// Description says what sits in the group. AWS cannot change a group's
	// description in place, so changing it replaces the group.
	Description string
	// InternetFacing allows AllowFromInternet. Only load balancers set it.
	InternetFacing bool
}

// NewSecurityGroup creates a closed security group.
func NewSecurityGroup(ctx *pulumi.Context, name string, args *SecurityGroupArgs, opts ...pulumi.ResourceOption) (*SecurityGroup, error) {
	if args == nil || args.VpcID == nil {
		return nil, fmt.Errorf("security group %s: VpcID is required", name)
	}
	if err := checkDescription(name, args.Description); err != nil {
		return nil, err
	}
	g := &SecurityGroup{Name: name, internetFacing: args.InternetFacing}
	if err := ctx.RegisterComponentResource("pushplatform:network:SecurityGroup", name, g, opts...); err != nil {
		return nil, err
	}
	sg, err := awsec2.NewSecurityGroup(ctx, name, &awsec2.SecurityGroupArgs{
		VpcId:       args.VpcID,
		Description: pulumi.String(args.Description),
		// Rules live in their own resources (never inline: the two fight).
		// Revoking them on delete lets a group that others reference go away.
		RevokeRulesOnDelete: pulumi.Bool(true),
		Tags:                pulumi.StringMap{"Name": pulumi.String(name)},
	}, pulumi.Parent(g))
	if err != nil {
		return nil, fmt.Errorf("create security group %s: %w", name, err)
	}
	g.ID = sg.ID()
	if err := ctx.RegisterResourceOutputs(g, pulumi.Map{"id": sg.ID()}); err != nil {
		return nil, err
	}
	return g, nil
}

// AllowFrom lets src reach this group on a TCP port: one ingress rule here
// and the matching egress rule on src, both described with why.
func (g *SecurityGroup) AllowFrom(ctx *pulumi.Context, src *SecurityGroup, port int, why string) error {
	if src == nil {
		return fmt.Errorf("security group %s: AllowFrom needs a source group", g.Name)
	}
	if err := checkRule(g.Name, port, why); err != nil {
		return err
	}
	in, err := vpc.NewSecurityGroupIngressRule(ctx, fmt.Sprintf("%s-from-%s-%d", g.Name, src.Name, port), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           g.ID,
		ReferencedSecurityGroupId: src.ID,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(port),
		ToPort:                    pulumi.Int(port),
		Description:               pulumi.String(why),
		Tags:                      pulumi.StringMap{"Name": pulumi.String(g.Name + " from " + src.Name)},
	}, pulumi.Parent(g))
	if err != nil {
		return fmt.Errorf("allow %s into %s on %d: %w", src.Name, g.Name, port, err)
	}
	out, err := vpc.NewSecurityGroupEgressRule(ctx, fmt.Sprintf("%s-to-%s-%d", src.Name, g.Name, port), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId:           src.ID,
		ReferencedSecurityGroupId: g.ID,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(port),
		ToPort:                    pulumi.Int(port),
		Description:               pulumi.String(why),
		Tags:                      pulumi.StringMap{"Name": pulumi.String(src.Name + " to " + g.Name)},
	}, pulumi.Parent(src))
	if err != nil {
		return fmt.Errorf("allow %s out to %s on %d: %w", src.Name, g.Name, port, err)
	}
	g.rules = append(g.rules, in, out)
	src.rules = append(src.rules, in, out)
	return nil
}

// AllowFromInternet opens a TCP port to every IPv4 address. Only an
// internet-facing group (a load balancer) may, and only on 80 or 443.
func (g *SecurityGroup) AllowFromInternet(ctx *pulumi.Context, port int, why string) error {
	if !g.internetFacing {
		return fmt.Errorf("security group %s: only internet-facing groups (load balancers) may take traffic from 0.0.0.0/0", g.Name)
	}
	if port != 80 && port != 443 {
		return fmt.Errorf("security group %s: the internet may reach ports 80 and 443 only, got %d", g.Name, port)
	}
	return g.internetRule(ctx, true, port, why)
}

// AllowToInternet lets the group open TCP connections to any IPv4 address on
// one port, e.g. 443 for AWS APIs and image pulls through NAT.
func (g *SecurityGroup) AllowToInternet(ctx *pulumi.Context, port int, why string) error {
	return g.internetRule(ctx, false, port, why)
}

// internetRule is one rule between the group and 0.0.0.0/0.
func (g *SecurityGroup) internetRule(ctx *pulumi.Context, ingress bool, port int, why string) error {
	if err := checkRule(g.Name, port, why); err != nil {
		return err
	}
	// One rule per direction and port: AWS refuses a duplicate, and its
	// logical name would clash.
	key := fmt.Sprintf("%v/%d", ingress, port)
	if g.internet[key] {
		return fmt.Errorf("security group %s: the internet rule on %d exists already; give it one description covering both uses (%q)", g.Name, port, why)
	}
	if g.internet == nil {
		g.internet = map[string]bool{}
	}
	g.internet[key] = true
	var (
		rule pulumi.Resource
		err  error
	)
	if ingress {
		rule, err = vpc.NewSecurityGroupIngressRule(ctx, fmt.Sprintf("%s-from-internet-%d", g.Name, port), &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: g.ID, CidrIpv4: pulumi.String(AnyIPv4), IpProtocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(port), ToPort: pulumi.Int(port), Description: pulumi.String(why),
			Tags: pulumi.StringMap{"Name": pulumi.String(g.Name + " from internet")},
		}, pulumi.Parent(g))
	} else {
		rule, err = vpc.NewSecurityGroupEgressRule(ctx, fmt.Sprintf("%s-to-internet-%d", g.Name, port), &vpc.SecurityGroupEgressRuleArgs{
			SecurityGroupId: g.ID, CidrIpv4: pulumi.String(AnyIPv4), IpProtocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(port), ToPort: pulumi.Int(port), Description: pulumi.String(why),
			Tags: pulumi.StringMap{"Name": pulumi.String(g.Name + " to internet")},
		}, pulumi.Parent(g))
	}
	if err != nil {
		return fmt.Errorf("rule between %s and the internet on %d: %w", g.Name, port, err)
	}
	g.rules = append(g.rules, rule)
	return nil
}

// AllowFromPrefixList admits a managed prefix list's addresses on one TCP
// port (CloudFront's origin-facing list into the load balancer).
func (g *SecurityGroup) AllowFromPrefixList(ctx *pulumi.Context, listName string, prefixListID pulumi.StringInput, port int, why string) error {
	if err := checkRule(g.Name, port, why); err != nil {
		return err
	}
	rule, err := vpc.NewSecurityGroupIngressRule(ctx, fmt.Sprintf("%s-from-%s-%d", g.Name, listName, port), &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId: g.ID, PrefixListId: prefixListID, IpProtocol: pulumi.String("tcp"),
		FromPort: pulumi.Int(port), ToPort: pulumi.Int(port), Description: pulumi.String(why),
		Tags: pulumi.StringMap{"Name": pulumi.String(g.Name + " from " + listName), PrefixListTag: pulumi.String(listName)},
	}, pulumi.Parent(g))
	if err != nil {
		return fmt.Errorf("allow %s into %s on %d: %w", listName, g.Name, port, err)
	}
	g.rules = append(g.rules, rule)
	return nil
}

// PrefixListTag names, on a rule, the prefix list it admits, for the
// security matrix (an ID such as pl-a3a144ca says nothing to a reviewer).
const PrefixListTag = "PrefixList"

// AllowToPrefixList lets the group open TCP connections on one port to a
// managed prefix list (a gateway endpoint's service addresses).
func (g *SecurityGroup) AllowToPrefixList(ctx *pulumi.Context, listName string, prefixListID pulumi.StringInput, port int, why string) error {
	if err := checkRule(g.Name, port, why); err != nil {
		return err
	}
	rule, err := vpc.NewSecurityGroupEgressRule(ctx, fmt.Sprintf("%s-to-%s-%d", g.Name, listName, port), &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: g.ID, PrefixListId: prefixListID, IpProtocol: pulumi.String("tcp"),
		FromPort: pulumi.Int(port), ToPort: pulumi.Int(port), Description: pulumi.String(why),
		Tags: pulumi.StringMap{"Name": pulumi.String(g.Name + " to " + listName)},
	}, pulumi.Parent(g))
	if err != nil {
		return fmt.Errorf("allow %s out to %s on %d: %w", g.Name, listName, port, err)
	}
	g.rules = append(g.rules, rule)
	return nil
}

// AnyIPv4 is the only CIDR a rule may name.
const AnyIPv4 = "0.0.0.0/0"

func checkRule(group string, port int, why string) error {
	if port < 1 || port > 65535 {
		return fmt.Errorf("security group %s: port %d is outside 1-65535", group, port)
	}
	if strings.TrimSpace(why) == "" {
		return fmt.Errorf("security group %s: every rule needs a description saying why", group)
	}
	return checkDescription(group, why)
}

// descriptionPattern is what EC2 accepts in group and rule descriptions
// (EC2 API reference, CreateSecurityGroup / IpRange.Description): up to 255
// of a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*. Checking here turns a
// failed apply into an error at preview.
var descriptionPattern = regexp.MustCompile(`^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]{1,255}$`)

func checkDescription(group, text string) error {
	if !descriptionPattern.MatchString(text) {
		return fmt.Errorf("security group %s: description %q must be 1-255 of a-z A-Z 0-9 space ._-:/()#,@[]+=&;{}!$*", group, text)
	}
	return nil
}
