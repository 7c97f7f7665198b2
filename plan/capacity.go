package plan

import (
	"fmt"
	"math"
	"strconv"
)

// Load balancer and Fargate unit prices, eu-central-1 (Frankfurt). Sources
// as collected for this project; "estimate" marks prices read for another
// region.
var (
	PriceALBHour   = UnitPrice{0.027, "$/ALB-hour", "FOCUS billing line eu-central-1 \"$0.027 per Application LoadBalancer-hour\" (2024-09)"}
	PriceLCUHour   = UnitPrice{0.008, "$/LCU-hour", "estimate: us-east-1 and eu-west-1 rate (ELB pricing page); no Frankfurt source"}
	PriceNLBHour   = UnitPrice{0.027, "$/NLB-hour", "estimate: equal to the ALB hour, as in us-east-1 and eu-west-1"}
	PriceNLCUHour  = UnitPrice{0.006, "$/NLCU-hour", "estimate: us-east-1, eu-west-1 and Seoul rate (ELB pricing page)"}
	PriceARMvCPU   = UnitPrice{0.03725, "$/vCPU-hour", "AWS pricing data ecs.json, EU (Frankfurt), ARM perCPU per hour"}
	PriceARMGB     = UnitPrice{0.00409, "$/GB-hour", "AWS pricing data ecs.json, EU (Frankfurt), ARM perGB per hour"}
	PriceX86vCPU   = UnitPrice{0.04656, "$/vCPU-hour", "AWS pricing data ecs.json, EU (Frankfurt), perCPU per hour"}
	PriceX86GB     = UnitPrice{0.00511, "$/GB-hour", "AWS pricing data ecs.json, EU (Frankfurt), perGB per hour"}
	capacityScales = []int{100_000, 1_000_000, 10_000_000}
)

// Load balancer capacity units (ELB pricing page): each hour is billed on
// the largest dimension.
const (
	lcuNewPerSec, lcuActive, lcuGBPerHour    = 25.0, 3000.0, 1.0    // ALB LCU
	nlcuNewPerSec, nlcuActive, nlcuGBPerHour = 800.0, 100000.0, 1.0 // NLB NLCU, TCP
	tlsNewPerSec, tlsActive, tlsGBPerHour    = 50.0, 3000.0, 1.0    // NLB NLCU, TLS listener
	pingBytesPerClientHour                   = 12_000.0             // a ~1 KB ping exchange every 300 s, both ways
	reconnectsPerClientHour                  = 0.10                 // a tenth of the clients reconnect each hour
	assumptions                              = "each client holds one WebSocket, exchanges a ~1 KB ping every 300 s (autoconnect's interval: 12 KB an hour) and reconnects once in 10 hours; only the upgrade is an HTTP request; billing takes each hour's largest capacity dimension; not included: public IPv4 addresses, data transfer out, cross-AZ traffic, autoendpoint"
)

// CapacityRow is one scale of the push tier's capacity table.
type CapacityRow struct {
	Connections int     `json:"connections"`
	Tasks       int     `json:"autoconnectTasks"`
	TasksUSD    float64 `json:"autoconnectMonthlyUsd"`
	NewPerSec   float64 `json:"newConnectionsPerSec"`
	GBPerHour   float64 `json:"gbPerHour"`
	NLBTCPUnits float64 `json:"nlbTcpNlcu"`
	NLBTCPUSD   float64 `json:"nlbTcpMonthlyUsd"`
	NLBTLSUnits float64 `json:"nlbTlsNlcu"`
	NLBTLSUSD   float64 `json:"nlbTlsMonthlyUsd"`
	ALBUnits    float64 `json:"albLcu"`
	ALBUSD      float64 `json:"albMonthlyUsd"`
	// ALBOverNLB is how many times the ALB costs the TCP pass-through NLB.
	ALBOverNLB float64 `json:"albOverNlbTcp"`
}

// Capacity is the push tier's capacity table for the stack's autoconnect
// task size.
type Capacity struct {
	TaskSize           string        `json:"taskSize"`
	ConnectionsPerTask int           `json:"connectionsPerTask"`
	TaskMonthlyUSD     float64       `json:"taskMonthlyUsd"`
	Rows               []CapacityRow `json:"rows"`
	Assumptions        string        `json:"assumptions"`
	Prices             []CostLine    `json:"prices"`
	PricesAsOf         string        `json:"pricesAsOf"`
}

// PushCapacity prices holding 100 k, 1 M and 10 M connections with the
// autoconnect task the run registers and connectionsPerTask of them each:
// the tasks, and the load balancer in front three ways (NLB passing TCP
// through, NLB terminating TLS, ALB). nil when the run has no autoconnect.
func (r *Result) PushCapacity(connectionsPerTask int) *Capacity {
	td := r.Named("aws:ecs/taskDefinition:TaskDefinition", "push-autoconnect")
	if td == nil || connectionsPerTask < 1 {
		return nil
	}
	cpu, _ := strconv.Atoi(td.InputString("cpu"))
	mem, _ := strconv.Atoi(td.InputString("memory"))
	arch, _ := td.Input("runtimePlatform").(map[string]any)["cpuArchitecture"].(string)
	vcpu, gb := PriceARMvCPU, PriceARMGB
	if arch == "X86_64" {
		vcpu, gb = PriceX86vCPU, PriceX86GB
	}
	task := (float64(cpu)/1024*vcpu.USD + float64(mem)/1024*gb.USD) * HoursPerMonth
	c := &Capacity{
		TaskSize: fmt.Sprintf("%.2g vCPU, %d MiB, %s", float64(cpu)/1024, mem, arch), ConnectionsPerTask: connectionsPerTask,
		TaskMonthlyUSD: round2(task), Assumptions: assumptions, PricesAsOf: PricesAsOf,
	}
	for _, p := range []struct {
		item string
		p    UnitPrice
	}{{"NLB hour", PriceNLBHour}, {"NLCU", PriceNLCUHour}, {"ALB hour", PriceALBHour}, {"LCU", PriceLCUHour}, {"Fargate vCPU", vcpu}, {"Fargate memory", gb}} {
		c.Prices = append(c.Prices, CostLine{Item: p.item, Unit: p.p.Unit, UnitUSD: p.p.USD, Source: p.p.Source})
	}
	for _, n := range capacityScales {
		newPerSec := float64(n) * reconnectsPerClientHour / 3600
		gbh := float64(n) * pingBytesPerClientHour / 1e9
		units := func(newCap, activeCap, gbCap float64) float64 {
			return round2(math.Max(newPerSec/newCap, math.Max(float64(n)/activeCap, gbh/gbCap)))
		}
		monthly := func(hour, unit UnitPrice, u float64) float64 {
			return round2((hour.USD + u*unit.USD) * HoursPerMonth)
		}
		row := CapacityRow{
			Connections: n, Tasks: (n + connectionsPerTask - 1) / connectionsPerTask,
			NewPerSec: round2(newPerSec), GBPerHour: round2(gbh),
			NLBTCPUnits: units(nlcuNewPerSec, nlcuActive, nlcuGBPerHour),
			NLBTLSUnits: units(tlsNewPerSec, tlsActive, tlsGBPerHour),
			ALBUnits:    units(lcuNewPerSec, lcuActive, lcuGBPerHour),
		}
		row.TasksUSD = round2(float64(row.Tasks) * task)
		row.NLBTCPUSD = monthly(PriceNLBHour, PriceNLCUHour, row.NLBTCPUnits)
		row.NLBTLSUSD = monthly(PriceNLBHour, PriceNLCUHour, row.NLBTLSUnits)
		row.ALBUSD = monthly(PriceALBHour, PriceLCUHour, row.ALBUnits)
		row.ALBOverNLB = math.Round(row.ALBUSD/row.NLBTCPUSD*10) / 10
		c.Rows = append(c.Rows, row)
	}
	return c
}
