// Package cost estimates the monthly AWS bill of a recorded run: one line
// per billable resource, grouped by the top-level component it belongs to,
// from a price table in the code with each price's source and date.
package cost

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// DevIdleTargetUSD is the monthly budget of the cheapest working copy at
// idle; the renderers say whether an estimate is at or below it.
const DevIdleTargetUSD = 90

// Line is one billable item of the month.
type Line struct {
	Component string `json:"component"`
	Item      string `json:"item"`
	// Type is the resource type token the line prices.
	Type       string  `json:"type"`
	Quantity   float64 `json:"quantity"`
	Unit       string  `json:"unit"`
	UnitUSD    float64 `json:"unitUsd"`
	MonthlyUSD float64 `json:"monthlyUsd"`
	Source     string  `json:"source"`
	AsOf       string  `json:"asOf"`
	Status     Status  `json:"status"`
	Assumption string  `json:"assumption,omitempty"`
}

// Component is the lines of one top-level component and their sum.
type Component struct {
	Name        string  `json:"name"`
	Lines       []Line  `json:"lines"`
	SubtotalUSD float64 `json:"subtotalUsd"`
}

// UsagePrice is a price that comes on top with traffic.
type UsagePrice struct {
	Item   string  `json:"item"`
	USD    float64 `json:"usd"`
	Unit   string  `json:"unit"`
	Source string  `json:"source"`
	Status Status  `json:"status"`
}

// Estimate is a stack's monthly cost at idle.
type Estimate struct {
	Stack       string       `json:"stack"`
	Components  []Component  `json:"components"`
	TotalUSD    float64      `json:"totalUsd"`
	TargetUSD   float64      `json:"targetUsd"`
	Assumptions []string     `json:"assumptions"`
	Usage       Usage        `json:"usage"`
	PerUsage    []UsagePrice `json:"perUsage"`
	PricesAsOf  string       `json:"pricesAsOf"`
	// Unpriced lists resource types the run recorded that are neither
	// priced nor known to be free; empty for the committed stacks.
	Unpriced []string `json:"unpriced,omitempty"`
	// Capacity is the push tier's capacity table, printed under the cost
	// table when set.
	Capacity *plan.Capacity `json:"capacity,omitempty"`
}

// Of estimates a run's idle month with DefaultUsage. (The type is
// Estimate, so the constructor cannot share its name.)
func Of(res *plan.Result) *Estimate { return WithUsage(res, DefaultUsage) }

// WithUsage estimates a run's month under the given usage assumptions.
// Every quantity comes from the recorded inputs, never from the stack name.
func WithUsage(res *plan.Result, u Usage) *Estimate {
	b := &builder{res: res, usage: u, seenUsage: map[string]bool{}}
	for _, r := range res.Resources {
		if p, ok := pricers[r.Type]; ok {
			p(b, r)
		}
	}
	priceExpansions(b)
	e := &Estimate{
		Stack: res.Stack, TargetUSD: DevIdleTargetUSD, Assumptions: u.statements(), Usage: u,
		PerUsage: sortedUsage(b.perUsage), PricesAsOf: PricesAsOf, Unpriced: Unpriced(res),
	}
	byName := map[string]*Component{}
	var order []string
	for _, l := range b.lines {
		c, ok := byName[l.Component]
		if !ok {
			c = &Component{Name: l.Component}
			byName[l.Component] = c
			order = append(order, l.Component)
		}
		c.Lines = append(c.Lines, l)
	}
	for _, name := range order {
		c := byName[name]
		// Dearest first, so a reader sees what matters in each component.
		slices.SortStableFunc(c.Lines, func(a, b Line) int { return byCost(a, b) })
		var sum float64
		for _, l := range c.Lines {
			sum += l.MonthlyUSD
		}
		c.SubtotalUSD = round2(sum)
		e.TotalUSD += sum
		e.Components = append(e.Components, *c)
	}
	e.TotalUSD = round2(e.TotalUSD)
	slices.SortStableFunc(e.Components, func(a, b Component) int {
		if c := cmp.Compare(b.SubtotalUSD, a.SubtotalUSD); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return e
}

// WithCapacity attaches the push tier's capacity table for the renderers.
func (e *Estimate) WithCapacity(c *plan.Capacity) *Estimate {
	e.Capacity = c
	return e
}

// Lines returns every line, component by component.
func (e *Estimate) Lines() []Line {
	var out []Line
	for _, c := range e.Components {
		out = append(out, c.Lines...)
	}
	return out
}

// Subtotal returns a component's subtotal (0 when absent).
func (e *Estimate) Subtotal(component string) float64 {
	for _, c := range e.Components {
		if c.Name == component {
			return c.SubtotalUSD
		}
	}
	return 0
}

// Cuts returns the n most expensive lines, the first candidates to cut.
func (e *Estimate) Cuts(n int) []Line {
	lines := e.Lines()
	slices.SortStableFunc(lines, func(a, b Line) int { return byCost(a, b) })
	return lines[:min(n, len(lines))]
}

// WithinTarget reports whether the total is at or below the target.
func (e *Estimate) WithinTarget() bool { return e.TargetUSD == 0 || e.TotalUSD <= e.TargetUSD }

// WithoutTarget drops the idle target: it is the dev profile's budget,
// and a highly available stack is not measured against it.
func (e *Estimate) WithoutTarget() *Estimate {
	e.TargetUSD = 0
	return e
}

// builder collects lines while the pricers walk the run.
type builder struct {
	res       *plan.Result
	usage     Usage
	lines     []Line
	perUsage  []UsagePrice
	seenUsage map[string]bool
}

// add appends a line of qty units at price p to the resource's component.
func (b *builder) add(r *plan.Resource, item string, qty float64, p Price, assumption string) {
	b.addTo(componentOf(b.res, r), r.Type, item, qty, p, assumption)
}

func (b *builder) addTo(component, typ, item string, qty float64, p Price, assumption string) {
	b.lines = append(b.lines, Line{
		Component: component, Item: item, Type: typ, Quantity: round4(qty), Unit: strings.TrimPrefix(p.Unit, "$/"),
		UnitUSD: p.USD, MonthlyUSD: round2(qty * p.USD), Source: p.Source, AsOf: p.AsOf, Status: p.Status, Assumption: assumption,
	})
}

// onTop records a per-usage price once per estimate.
func (b *builder) onTop(item string, p Price) {
	if b.seenUsage[item] {
		return
	}
	b.seenUsage[item] = true
	b.perUsage = append(b.perUsage, UsagePrice{Item: item, USD: p.USD, Unit: p.Unit, Source: p.Source, Status: p.Status})
}

// componentOf names the top-level component a resource belongs to: the
// module of its outermost ancestor's type ("pushplatform:pushtier:PushTier"
// gives "pushtier"); "stack" for custom resources directly under the stack.
func componentOf(res *plan.Result, r *plan.Resource) string {
	top := r
	for top.Parent != "" {
		p := res.ByURN(top.Parent)
		if p == nil {
			break
		}
		top = p
	}
	parts := strings.Split(top.Type, ":")
	if top.Custom || len(parts) != 3 {
		return "stack"
	}
	return parts[1]
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

// byCost orders lines most expensive first, then by item, so two runs of
// the program (whose resources register in any order) print the same.
func byCost(a, b Line) int {
	if c := cmp.Compare(b.MonthlyUSD, a.MonthlyUSD); c != 0 {
		return c
	}
	return cmp.Compare(a.Component+a.Item, b.Component+b.Item)
}

func sortedUsage(u []UsagePrice) []UsagePrice {
	slices.SortStableFunc(u, func(a, b UsagePrice) int { return cmp.Compare(a.Item, b.Item) })
	return u
}
