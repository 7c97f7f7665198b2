package cost

import (
	"fmt"
	"strings"

	"github.com/pushplatform/pushplatform/plan"
)

// priceScalingPolicy prices what a target-tracking policy makes AWS bill:
// Application Auto Scaling creates two CloudWatch alarms per policy (one
// to scale out, one to scale in), each billed per metric it evaluates, and
// a metric the program publishes itself (the consumer's queue backlog) is
// a custom metric.
func priceScalingPolicy(b *builder, r *plan.Resource) {
	cfg, _ := r.Input("targetTrackingScalingPolicyConfiguration").(map[string]any)
	if cfg == nil {
		return
	}
	metrics := 1 // a predefined metric
	var custom []string
	if spec, _ := cfg["customizedMetricSpecification"].(map[string]any); spec != nil {
		metrics = 0
		queries, _ := spec["metrics"].([]any)
		for _, e := range queries {
			q, _ := e.(map[string]any)
			stat, _ := q["metricStat"].(map[string]any)
			m, _ := stat["metric"].(map[string]any)
			if m == nil {
				continue // an expression evaluates the metrics above it
			}
			metrics++
			if ns, _ := m["namespace"].(string); !strings.HasPrefix(ns, "AWS/") && ns != "ECS/ContainerInsights" {
				custom = append(custom, fmt.Sprintf("%s/%v", ns, m["metricName"]))
			}
		}
	}
	p := PriceAlarm
	p.Status, p.Source = Estimated, "Application Auto Scaling user guide (target tracking creates two alarms per policy); "+PriceAlarm.Source+"; an alarm on a metric-math expression bills per metric it reads"
	b.add(r, fmt.Sprintf("Target-tracking alarms of %s (2 alarms x %d metric(s))", r.Name, metrics), float64(2*metrics), p, "created and deleted by Application Auto Scaling")
	for _, m := range custom {
		b.add(r, "Custom metric "+m+" (published by the app)", 1, PriceCustomMetric, "one dimension combination per stack")
	}
}
