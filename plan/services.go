package plan

import (
	"fmt"
	"sort"
	"strings"
)

// ServiceView is one ECS service as the plan lists it, read from the
// recorded resources.
type ServiceView struct {
	Name       string   `json:"name"`
	Properties []string `json:"properties"`
}

// Services lists the ECS services with their placement, deployment and
// scaling.
func (r *Result) Services() []ServiceView {
	var out []ServiceView
	for _, svc := range r.OfType("aws:ecs/service:Service") {
		var p []string
		if td := r.Named("aws:ecs/taskDefinition:TaskDefinition", svc.Name); td != nil {
			arch, _ := td.Input("runtimePlatform").(map[string]any)["cpuArchitecture"].(string)
			p = append(p, fmt.Sprintf("cpu %s, memory %s MiB, %s", td.InputString("cpu"), td.InputString("memory"), arch))
		}
		if t := r.Named("aws:appautoscaling/target:Target", svc.Name); t != nil {
			p = append(p, fmt.Sprintf("tasks %v (min %v, max %v)", svc.Input("desiredCount"), t.Input("minCapacity"), t.Input("maxCapacity")))
		}
		if strategies, ok := svc.Input("capacityProviderStrategies").([]any); ok && len(strategies) > 0 {
			p = append(p, fmt.Sprint(strategies[0].(map[string]any)["capacityProvider"]))
		}
		if net, ok := svc.Input("networkConfiguration").(map[string]any); ok {
			subnets, _ := net["subnets"].([]any)
			public := "no public IP"
			if net["assignPublicIp"] == true {
				public = "PUBLIC IP"
			}
			p = append(p, fmt.Sprintf("%d private subnets (one per AZ), %s", len(subnets), public))
		}
		if cb, ok := svc.Input("deploymentCircuitBreaker").(map[string]any); ok && cb["enable"] == true {
			p = append(p, onOff(cb["rollback"], "circuit breaker with rollback", "circuit breaker without rollback"))
		}
		for _, pol := range r.OfType("aws:appautoscaling/policy:Policy") {
			if !strings.HasPrefix(pol.Name, svc.Name+"-") {
				continue
			}
			cfg, _ := pol.Input("targetTrackingScalingPolicyConfiguration").(map[string]any)
			if m, ok := cfg["customizedMetricSpecification"].(map[string]any); ok {
				p = append(p, fmt.Sprintf("scales on %s at %v", describeMetric(m), cfg["targetValue"]))
			} else {
				what := "CPU"
				if pm, _ := cfg["predefinedMetricSpecification"].(map[string]any); pm["predefinedMetricType"] == "ECSServiceAverageMemoryUtilization" {
					what = "memory"
				}
				p = append(p, fmt.Sprintf("scales on %s at %v %%", what, cfg["targetValue"]))
			}
		}
		if rule := r.Named("aws:lb/listenerRule:ListenerRule", svc.Name); rule != nil {
			p = append(p, "ALB route "+pathPatterns(rule))
		}
		if sd := r.Named("aws:servicediscovery/service:Service", svc.Name); sd != nil {
			p = append(p, "Cloud Map name "+sd.InputString("name"))
		}
		out = append(out, ServiceView{Name: svc.Name, Properties: p})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// pathPatterns lists a listener rule's path patterns.
func pathPatterns(rule *Resource) string {
	var paths []string
	for _, c := range list(rule.Input("conditions")) {
		if pp, ok := c.(map[string]any)["pathPattern"].(map[string]any); ok {
			paths = append(paths, strs(pp["values"])...)
		}
	}
	return strings.Join(paths, " ")
}

// describeMetric renders a customized metric: one metric, or metric math
// as "expression (id = namespace/metric statistic, ...)".
func describeMetric(m map[string]any) string {
	queries := list(m["metrics"])
	if len(queries) == 0 {
		return fmt.Sprintf("%v/%v", m["namespace"], m["metricName"])
	}
	var result string
	var parts []string
	for _, q := range queries {
		query, _ := q.(map[string]any)
		if query["returnData"] == true {
			result = fmt.Sprint(query["expression"])
			continue
		}
		if ms, ok := query["metricStat"].(map[string]any); ok {
			metric, _ := ms["metric"].(map[string]any)
			parts = append(parts, fmt.Sprintf("%v = %v/%v %v", query["id"], metric["namespace"], metric["metricName"], ms["stat"]))
		}
	}
	return fmt.Sprintf("%s (%s)", result, strings.Join(parts, ", "))
}
