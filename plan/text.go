package plan

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
)

// WriteText renders the report for a terminal.
func (rep *Report) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Offline plan of stack %q (project %s): mock engine, no AWS calls, no Pulumi CLI.\n", rep.Stack, rep.Project)
	if rep.Config != nil {
		fmt.Fprintf(w, "Artifacts: the stack's mode is %s; the plan builds nothing and shows each image as the reference a build would push (its content tag).\n", rep.Config.Artifacts.Mode)
	}
	fmt.Fprintf(w, "Values only AWS knows (IDs, ARNs, DNS names, the account) read %s.\n", KnownAfterDeploy)
	sections := []struct {
		title string
		write func(io.Writer)
	}{
		{"Configuration", rep.writeConfig},
		{"Component tree", rep.WriteTree},
		{"Resources by type", rep.writeCounts},
		{"Data stores", rep.writeStores},
		{"Services", rep.writeServices},
		{"Content delivery", rep.writeEdge},
		{"Log processing", rep.writeLogs},
		{"Stack outputs", rep.writeOutputs},
		{"Security-group matrix", rep.writeMatrix},
		{"Calls that would reach AWS during preview", rep.writeAWSCalls},
	}
	for _, s := range sections {
		fmt.Fprintf(w, "\n== %s ==\n", s.title)
		s.write(w)
	}
}

func (rep *Report) writeConfig(w io.Writer) {
	c := rep.Config
	if c == nil {
		fmt.Fprintln(w, "(configuration did not resolve)")
		return
	}
	profile := "dev (cheapest working copy)"
	if c.HighAvailability {
		profile = "high availability"
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "region\t%s\n", c.Region)
	fmt.Fprintf(tw, "profile\t%s\n", profile)
	fmt.Fprintf(tw, "VPC\t%s over %d AZs: %s\n", c.Network.CIDR, len(c.Network.AvailabilityZones), strings.Join(c.Network.AvailabilityZones, ", "))
	fmt.Fprintf(tw, "NAT\t%s\n", c.Network.NATGateways)
	endpoints := "none (AWS APIs through NAT)"
	if len(c.Network.InterfaceEndpoints) > 0 {
		endpoints = strings.Join(c.Network.InterfaceEndpoints, ", ")
	}
	fmt.Fprintf(tw, "interface endpoints\t%s\n", endpoints)
	for _, t := range c.Network.Tiers {
		fmt.Fprintf(tw, "%s subnets\t/%d: %s\n", strings.ToLower(string(t.Tier)), t.Mask, strings.Join(t.CIDRs, ", "))
	}
	fmt.Fprintf(tw, "flow log retention\t%s\n", Days(c.Network.FlowLogRetentionDays))
	for _, s := range c.Services.Named() {
		fmt.Fprintf(tw, "service %s\t%s\n", s.Name, s.Service)
	}
	tw.Flush()
}

// WriteTree prints the component tree alone.
func (rep *Report) WriteTree(w io.Writer) { rep.writeTree(w, false) }

// WriteCompactTree prints the components with their resource counts and,
// of the plain resources, only the protected or retained ones (what holds
// data): the pull-request comment's tree, which must fit GitHub's limit.
func (rep *Report) WriteCompactTree(w io.Writer) { rep.writeTree(w, true) }

func (rep *Report) writeTree(w io.Writer, compact bool) {
	fmt.Fprintf(w, "%s-%s (pulumi:pulumi:Stack)\n", rep.Project, rep.Stack)
	expansions := map[string]Expansion{}
	for _, e := range rep.Remote {
		expansions[e.Component] = e
	}
	var walk func(nodes []*Node, indent string)
	walk = func(nodes []*Node, indent string) {
		if compact {
			nodes = slices.DeleteFunc(slices.Clone(nodes), func(n *Node) bool {
				return len(n.Children) == 0 && len(n.Counts) == 0 && !n.Remote && !n.Protect && !n.Retain
			})
		}
		for i, n := range nodes {
			branch, next := "├─ ", "│  "
			if i == len(nodes)-1 {
				branch, next = "└─ ", "   "
			}
			fmt.Fprintf(w, "%s%s%s %s%s%s\n", indent, branch, shortType(n.Type), n.Name, flags(n), counts(n))
			if e, ok := expansions[n.Name]; ok && n.Remote {
				fmt.Fprintf(w, "%s%s   created by awsx at deploy: %s\n", indent, next, e.Summary)
			}
			walk(n.Children, indent+next)
		}
	}
	walk(rep.Tree, "")
}

// counts summarises a component's resources: "(12 resources: 5 BucketV2, ...)".
func counts(n *Node) string {
	if len(n.Counts) == 0 {
		return ""
	}
	total := 0
	var parts []string
	for _, typ := range slices.Sorted(maps.Keys(n.Counts)) {
		total += n.Counts[typ]
		name := strings.TrimPrefix(strings.TrimPrefix(shortType(typ), "aws:"), "random:")
		parts = append(parts, fmt.Sprintf("%d %s", n.Counts[typ], name))
	}
	return fmt.Sprintf("  (%d resources: %s)", total, strings.Join(parts, ", "))
}

func flags(n *Node) string {
	var f []string
	if n.Remote {
		f = append(f, "remote component")
	}
	if n.Protect {
		f = append(f, "protected")
	}
	if n.Retain {
		f = append(f, "retained on delete")
	}
	if len(f) == 0 {
		return ""
	}
	return "  [" + strings.Join(f, ", ") + "]"
}

func (rep *Report) writeCounts(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, typ := range slices.Sorted(maps.Keys(rep.ResourceCounts)) {
		fmt.Fprintf(tw, "%d\t%s\n", rep.ResourceCounts[typ], typ)
	}
	fmt.Fprintf(tw, "%d\ttotal registered by the program\n", rep.TotalResources)
	for _, e := range rep.Remote {
		total := 0
		for _, typ := range slices.Sorted(maps.Keys(e.Counts)) {
			total += e.Counts[typ]
		}
		fmt.Fprintf(tw, "%d\tmore created by awsx inside %s (see the tree)\n", total, e.Component)
	}
	tw.Flush()
}

func (rep *Report) writeOutputs(w io.Writer) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, k := range slices.Sorted(maps.Keys(rep.Outputs)) {
		fmt.Fprintf(tw, "%s\t%v\n", k, rep.Outputs[k])
	}
	tw.Flush()
}

func (rep *Report) writeMatrix(w io.Writer) {
	if len(rep.SecurityMatrix) == 0 {
		fmt.Fprintln(w, "(no rules)")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FROM\tTO\tPORT\tWHY")
	for _, f := range rep.SecurityMatrix {
		why := f.Description
		if f.OneSided {
			why += " [ONE SIDE ONLY: AWS drops it]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s/%s\t%s\n", f.From, f.To, f.Protocol, f.Ports, why)
	}
	tw.Flush()
}

func (rep *Report) writeAWSCalls(w io.Writer) {
	if len(rep.AWSCalls) == 0 {
		fmt.Fprintln(w, "none: every invoke is computed locally (iam.getPolicyDocument, getPartition, getRegion)")
		return
	}
	for _, c := range rep.AWSCalls {
		fmt.Fprintf(w, "WOULD CALL AWS: %s\n", c)
	}
}

func (rep *Report) writeStores(w io.Writer) {
	if len(rep.Stores) == 0 {
		fmt.Fprintln(w, "(none)")
		return
	}
	for _, s := range rep.Stores {
		protected := "not protected"
		if s.Protected {
			protected = "protected + retained on delete"
		}
		fmt.Fprintf(w, "%-6s %s [%s]\n       %s\n", s.Kind, s.Name, protected, strings.Join(s.Properties, "; "))
	}
}

func (rep *Report) writeLogs(w io.Writer) {
	if rep.Logs == nil {
		fmt.Fprintln(w, "(logs.enabled false: no records)")
		return
	}
	for _, l := range rep.Logs.Lines {
		fmt.Fprintln(w, l)
	}
}

func (rep *Report) writeEdge(w io.Writer) {
	if len(rep.Edge) == 0 {
		fmt.Fprintln(w, "(none)")
		return
	}
	for _, e := range rep.Edge {
		fmt.Fprintf(w, "distribution %s\n       %s\n", e.Name, strings.Join(e.Properties, "; "))
		for _, group := range []struct {
			title string
			lines []string
		}{{"origins", e.Origins}, {"behaviours", e.Behaviours}, {"behind it", e.LoadBalancer}} {
			fmt.Fprintf(w, "  %s\n", group.title)
			for _, l := range group.lines {
				fmt.Fprintf(w, "       %s\n", l)
			}
		}
	}
}

func (rep *Report) writeServices(w io.Writer) {
	if len(rep.Services) == 0 {
		fmt.Fprintln(w, "(none)")
		return
	}
	for _, s := range rep.Services {
		fmt.Fprintf(w, "%s\n       %s\n", s.Name, strings.Join(s.Properties, "; "))
	}
}

// Days renders a number of days as a person writes it: "off" for 0,
// "1 day", "14 days".
func Days(v any) string {
	n, ok := v.(int)
	if f, isFloat := v.(float64); isFloat {
		n, ok = int(f), f == float64(int(f))
	}
	switch {
	case !ok:
		return fmt.Sprint(v, " days")
	case n == 0:
		return "off"
	case n == 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}
