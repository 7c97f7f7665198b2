package cost

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pushplatform/pushplatform/plan"
)

// verdict says whether the estimate meets the idle target and, if not,
// which three lines to cut first.
func (e *Estimate) verdict() string {
	if e.TargetUSD == 0 {
		return fmt.Sprintf("$%.2f a month at idle; no idle target (the $%d target is the dev profile's).", e.TotalUSD, DevIdleTargetUSD)
	}
	if e.WithinTarget() {
		return fmt.Sprintf("At or below the $%.0f/month idle target: $%.2f.", e.TargetUSD, e.TotalUSD)
	}
	var cuts []string
	saved, byConfig := 0.0, 0
	for _, l := range e.Cuts(3) {
		hint, config := cutHint(l)
		cuts = append(cuts, fmt.Sprintf("%s: %s ($%.2f; %s)", l.Component, l.Item, l.MonthlyUSD, hint))
		saved += l.MonthlyUSD
		if config {
			byConfig++
		}
	}
	out := fmt.Sprintf("Above the $%.0f/month idle target by $%.2f. The three lines to cut: %s; without them $%.2f.",
		e.TargetUSD, e.TotalUSD-e.TargetUSD, strings.Join(cuts, "; "), e.TotalUSD-saved)
	if byConfig == 0 {
		out += fmt.Sprintf(" None of the three goes by config alone: the $%.0f target is out of reach for this architecture (two load balancers alone cost $%.2f of it).", e.TargetUSD, lbCost(e))
	}
	return out
}

// lbCost is what the stack's load balancers cost, the floor any stack
// with both entry points pays.
func lbCost(e *Estimate) float64 {
	sum := 0.0
	for _, l := range e.Lines() {
		if l.Type == "aws:lb/loadBalancer:LoadBalancer" {
			sum += l.MonthlyUSD
		}
	}
	return sum
}

// cutHint says what cutting a line takes, and whether config alone can:
// a config key where one exists, otherwise the code change or why the
// line stays, so the named cuts are honest about being actionable.
func cutHint(l Line) (string, bool) {
	switch {
	case strings.Contains(l.Item, "Container Insights"):
		return "a code change: the consumer's per-task scaling and the services' task-count alarms read ECS/ContainerInsights RunningTaskCount, so config refuses to turn it off", false
	case strings.Contains(l.Item, "Application Load Balancer"):
		return "none by config: it is the API's only origin behind CloudFront", false
	case strings.Contains(l.Item, "Network Load Balancer"):
		return "none by config: it is the push clients' only entry", false
	case l.Type == "aws:rds/instance:Instance":
		return "database.instanceClass, database.multiAz", true
	case l.Type == "aws:elasticache/replicationGroup:ReplicationGroup":
		return "cache.nodeType, cache.nodes", true
	case l.Type == "aws:ecs/service:Service":
		return "services.<app>.cpu, memoryMiB, desiredCount, or cluster.spot", true
	case l.Type == "aws:ec2/vpcEndpoint:VpcEndpoint":
		return "network.interfaceEndpoints, with network.natGateways Instance for egress", true
	}
	return "see its component's config keys", false
}

// WriteText prints the estimate as plain-text tables.
func (e *Estimate) WriteText(w io.Writer) {
	fmt.Fprintf(w, "Monthly cost estimate, stack %s (eu-central-1, on-demand; Fargate Spot lines at the assumed discount; USD)\n\n", e.Stack)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "COMPONENT\tITEM\tQUANTITY\tUNIT\tUNIT USD\tMONTHLY USD\tSTATUS\t")
	for _, c := range e.Components {
		for _, l := range c.Lines {
			fmt.Fprintf(tw, "%s\t%s\t%g\t%s\t%g\t%.2f\t%s\t\n", l.Component, l.Item, l.Quantity, l.Unit, l.UnitUSD, l.MonthlyUSD, l.Status)
		}
		fmt.Fprintf(tw, "%s\tsubtotal\t\t\t\t%.2f\t\t\n", c.Name, c.SubtotalUSD)
	}
	fmt.Fprintf(tw, "TOTAL\t\t\t\t\t%.2f\t\t\n", e.TotalUSD)
	tw.Flush()
	fmt.Fprintf(w, "\n%s\n", e.verdict())
	writeUnpriced(w, e.Unpriced, "")
	fmt.Fprintln(w, "\nAssumptions:")
	for _, a := range e.Assumptions {
		fmt.Fprintf(w, "  - %s\n", a)
	}
	if len(e.PerUsage) > 0 {
		fmt.Fprintln(w, "\nOn top with usage:")
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, p := range e.PerUsage {
			fmt.Fprintf(tw, "  %s\t%g\t%s\t%s\n", p.Item, p.USD, p.Unit, p.Status)
		}
		tw.Flush()
	}
	fmt.Fprintln(w, "\nSources (per line):")
	for _, l := range e.Lines() {
		fmt.Fprintf(w, "  - %s: %s [%s, %s]", l.Item, l.Source, l.Status, l.AsOf)
		if l.Assumption != "" {
			fmt.Fprintf(w, "; %s", l.Assumption)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Prices as of: %s\n", e.PricesAsOf)
	if e.Capacity != nil {
		fmt.Fprintln(w)
		writeCapacityText(w, e.Capacity)
	}
}

// WriteMarkdown prints the estimate as GitHub-flavoured markdown.
func (e *Estimate) WriteMarkdown(w io.Writer) {
	fmt.Fprintf(w, "### Monthly cost estimate: `%s` (eu-central-1, on-demand; Fargate Spot lines at the assumed discount; USD)\n\n", e.Stack)
	fmt.Fprintln(w, "| Component | Item | Quantity | Unit | Unit USD | Monthly USD | Status |")
	fmt.Fprintln(w, "|---|---|--:|---|--:|--:|---|")
	for _, c := range e.Components {
		for _, l := range c.Lines {
			fmt.Fprintf(w, "| %s | %s | %g | %s | %g | %.2f | %s |\n", l.Component, md(l.Item), l.Quantity, md(l.Unit), l.UnitUSD, l.MonthlyUSD, l.Status)
		}
		fmt.Fprintf(w, "| **%s** | subtotal | | | | **%.2f** | |\n", c.Name, c.SubtotalUSD)
	}
	fmt.Fprintf(w, "| **Total** | | | | | **%.2f** | |\n\n", e.TotalUSD)
	fmt.Fprintf(w, "%s\n", e.verdict())
	writeUnpriced(w, e.Unpriced, "**")
	fmt.Fprintln(w, "\n**Assumptions**")
	fmt.Fprintln(w)
	for _, a := range e.Assumptions {
		fmt.Fprintf(w, "- %s\n", md(a))
	}
	if len(e.PerUsage) > 0 {
		fmt.Fprintln(w, "\n**On top with usage**")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "| Item | USD | Unit | Status |")
		fmt.Fprintln(w, "|---|--:|---|---|")
		for _, p := range e.PerUsage {
			fmt.Fprintf(w, "| %s | %g | %s | %s |\n", md(p.Item), p.USD, md(p.Unit), p.Status)
		}
	}
	fmt.Fprintln(w, "\n<details><summary>Sources</summary>")
	fmt.Fprintln(w)
	for _, l := range e.Lines() {
		fmt.Fprintf(w, "- %s: %s (%s, %s)", md(l.Item), md(l.Source), l.Status, l.AsOf)
		if l.Assumption != "" {
			fmt.Fprintf(w, "; %s", md(l.Assumption))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\nPrices as of: %s\n\n</details>\n", md(e.PricesAsOf))
	if e.Capacity != nil {
		fmt.Fprintln(w)
		writeCapacityMarkdown(w, e.Capacity)
	}
}

func writeUnpriced(w io.Writer, types []string, bold string) {
	if len(types) > 0 {
		fmt.Fprintf(w, "%sNot priced (add to the price table or to Free):%s %s\n", bold, bold, strings.Join(types, ", "))
	}
}

// md escapes the characters that would break a table cell.
func md(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }

// writeCapacityText prints plan.Capacity's rows: the arithmetic lives in
// package plan.
func writeCapacityText(w io.Writer, c *plan.Capacity) {
	fmt.Fprintf(w, "Push tier capacity (autoconnect %s, %d connections a task, $%.2f a task-month)\n", c.TaskSize, c.ConnectionsPerTask, c.TaskMonthlyUSD)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "CONNECTIONS\tTASKS\tTASKS USD\tNLB TCP NLCU\tNLB TCP USD\tNLB TLS NLCU\tNLB TLS USD\tALB LCU\tALB USD\tALB/NLB\t")
	for _, r := range c.Rows {
		fmt.Fprintf(tw, "%d\t%d\t%.2f\t%g\t%.2f\t%g\t%.2f\t%g\t%.2f\t%gx\t\n", r.Connections, r.Tasks, r.TasksUSD, r.NLBTCPUnits, r.NLBTCPUSD, r.NLBTLSUnits, r.NLBTLSUSD, r.ALBUnits, r.ALBUSD, r.ALBOverNLB)
	}
	tw.Flush()
	fmt.Fprintf(w, "Assumptions: %s\n", c.Assumptions)
}

func writeCapacityMarkdown(w io.Writer, c *plan.Capacity) {
	fmt.Fprintf(w, "#### Push tier capacity (autoconnect %s, %d connections a task, $%.2f a task-month)\n\n", c.TaskSize, c.ConnectionsPerTask, c.TaskMonthlyUSD)
	fmt.Fprintln(w, "| Connections | Tasks | Tasks USD | NLB TCP NLCU | NLB TCP USD | NLB TLS NLCU | NLB TLS USD | ALB LCU | ALB USD | ALB / NLB |")
	fmt.Fprintln(w, "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range c.Rows {
		fmt.Fprintf(w, "| %d | %d | %.2f | %g | %.2f | %g | %.2f | %g | %.2f | %gx |\n", r.Connections, r.Tasks, r.TasksUSD, r.NLBTCPUnits, r.NLBTCPUSD, r.NLBTLSUnits, r.NLBTLSUSD, r.ALBUnits, r.ALBUSD, r.ALBOverNLB)
	}
	fmt.Fprintf(w, "\n%s\n", md(c.Assumptions))
}
