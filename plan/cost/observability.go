package cost

import (
	"fmt"

	"github.com/pushplatform/pushplatform/plan"
)

// retentionMonths is how many months of ingestion a log group holds at
// steady state; a group that never expires is counted at a year.
func retentionMonths(r *plan.Resource) float64 {
	days := num(r, "retentionInDays")
	if days == 0 {
		return 12
	}
	return days / 30.4
}

// priceLogGroup prices ingestion into a log group and what it stores; a
// flow log's group has its ingestion priced on the flow log line (vended
// logs).
func priceLogGroup(b *builder, r *plan.Resource) {
	gb := b.usage.LogGBPerGroup
	flow := false
	for _, fl := range b.res.OfType("aws:ec2/flowLog:FlowLog") {
		if dependsOn(fl, "logDestination", r.URN) || dependsOn(fl, "logGroupName", r.URN) {
			flow, gb = true, b.usage.FlowLogGB
		}
	}
	if !flow {
		b.add(r, "CloudWatch Logs ingestion, "+r.Name, gb, PriceLogsIngestGB, fmt.Sprintf("%.2g GB a month (assumed)", gb))
	}
	months := retentionMonths(r)
	b.add(r, "CloudWatch Logs storage, "+r.Name, gb*months, PriceLogsStoreGB, fmt.Sprintf("%.2g GB x %.1f months retained", gb, months))
}

// priceAlarm prices an alarm; a component's alarms of one resolution
// share one line (quantity = how many), so dozens of alarms do not crowd
// the estimate and the pull-request comment.
func priceAlarm(b *builder, r *plan.Resource) {
	highRes := func(a *plan.Resource) bool { period := num(a, "period"); return period > 0 && period < 60 }
	p := PriceAlarm
	if highRes(r) {
		p = PriceAlarmHighRes
	}
	var same []*plan.Resource
	metrics := 0
	for _, a := range b.res.OfType(r.Type) {
		if a.Parent == r.Parent && highRes(a) == highRes(r) {
			same = append(same, a)
			metrics += alarmMetrics(a)
		}
	}
	if len(same) < 2 {
		b.add(r, "CloudWatch alarm "+r.Name, float64(alarmMetrics(r)), p, metricsNote(alarmMetrics(r), 1))
		return
	}
	if same[0] != r {
		return // priced on the first one's line
	}
	parent := r.Parent
	if owner := b.res.ByURN(r.Parent); owner != nil {
		parent = owner.Name
	}
	b.add(r, fmt.Sprintf("CloudWatch alarms of %s (%d)", parent, len(same)), float64(metrics), p, metricsNote(metrics, len(same)))
}

// alarmMetrics is how many metrics an alarm is billed for: CloudWatch
// charges per metric an alarm evaluates, so a metric-math alarm counts
// each metric its expression reads (aws.amazon.com/cloudwatch/pricing,
// "Alarms": per alarm metric).
func alarmMetrics(r *plan.Resource) int {
	queries, _ := r.Input("metricQueries").([]any)
	n := 0
	for _, q := range queries {
		if m, ok := q.(map[string]any); ok && m["metric"] != nil {
			n++
		}
	}
	return max(n, 1)
}

func metricsNote(metrics, alarms int) string {
	if metrics == alarms {
		return ""
	}
	return fmt.Sprintf("%d alarm metrics: metric-math alarms count each metric they read", metrics)
}

func priceDashboard(b *builder, r *plan.Resource) {
	b.add(r, "CloudWatch dashboard "+r.Name, 1, PriceDashboard, "first 3 a month free per account (not deducted)")
}

// priceLogDelivery: CloudWatch vended-log delivery (CloudFront access logs)
// bills per GB delivered, nothing at idle.
func priceLogDelivery(b *builder, r *plan.Resource) {
	b.add(r, "Log delivery "+r.Name, 0, PriceVendedToS3GB, "idle: no requests, no logs")
	b.onTop("Vended log delivery to S3", PriceVendedToS3GB)
}
