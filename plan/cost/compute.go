package cost

import (
	"fmt"
	"strconv"

	"github.com/pushplatform/pushplatform/plan"
)

// taskDefinition finds the task definition an ECS service runs: by the
// input's dependency, else the one task definition beside it.
func taskDefinition(res *plan.Result, svc *plan.Resource) *plan.Resource {
	if td := dependency(res, svc, "taskDefinition"); td != nil {
		return td
	}
	var found *plan.Resource
	for _, c := range res.Children(svc.Parent) {
		if c.Type == "aws:ecs/taskDefinition:TaskDefinition" {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}

// spotShare is the share of a service's tasks on FARGATE_SPOT, by the
// weights of its capacity provider strategy (bases ignored).
func spotShare(svc *plan.Resource) float64 {
	strategies, _ := svc.Input("capacityProviderStrategies").([]any)
	var spot, total float64
	for _, s := range strategies {
		m, _ := s.(map[string]any)
		w, _ := m["weight"].(float64)
		total += w
		if m["capacityProvider"] == "FARGATE_SPOT" {
			spot += w
		}
	}
	if total == 0 {
		return 0
	}
	return spot / total
}

// taskHour prices one task-hour of a task definition: its vCPU and memory
// at the Fargate rate of its CPU architecture.
func taskHour(td *plan.Resource) (Price, string) {
	cpu, _ := strconv.ParseFloat(td.InputString("cpu"), 64)
	mem, _ := strconv.ParseFloat(td.InputString("memory"), 64)
	arch := "X86_64"
	if rp, ok := td.Input("runtimePlatform").(map[string]any); ok {
		if a, ok := rp["cpuArchitecture"].(string); ok {
			arch = a
		}
	}
	vcpu, gb := PriceX86vCPU, PriceX86GB
	if arch == "ARM64" {
		vcpu, gb = PriceARMvCPU, PriceARMGB
	}
	p := Price{
		USD:    cpu/1024*vcpu.USD + mem/1024*gb.USD,
		Unit:   "$/task-hour",
		Source: fmt.Sprintf("Fargate %s: %s; %s", arch, vcpu.Source, gb.Source),
		AsOf:   vcpu.AsOf, Status: vcpu.Status,
	}
	return p, fmt.Sprintf("%.2g vCPU, %g GiB, %s", cpu/1024, mem/1024, arch)
}

// priceService prices an ECS Fargate service: desiredCount tasks of its
// task definition for the month, at the Spot estimate for the share its
// capacity provider strategy puts on FARGATE_SPOT.
func priceService(b *builder, r *plan.Resource) {
	td := taskDefinition(b.res, r)
	if td == nil {
		b.add(r, "ECS service "+r.Name+": task definition not found", 0, Price{Status: Unverified}, "")
		return
	}
	p, size := taskHour(td)
	tasks := num(r, "desiredCount")
	note := fmt.Sprintf("desiredCount %g x 730 h; %s", tasks, size)
	if min, ok := autoscalingMin(b.res, r); ok && min != tasks {
		note += fmt.Sprintf("; autoscaling may settle at %g", min)
	}
	if s := spotShare(r); s > 0 {
		p.USD *= 1 - s + s*FargateSpotFactor
		p.Source = FargateSpotSource + "; on-demand " + p.Source
		p.Status = Estimated
		note += fmt.Sprintf("; FARGATE_SPOT for %.0f%% of tasks", s*100)
	}
	b.add(r, fmt.Sprintf("Fargate service %s", r.Name), tasks*plan.HoursPerMonth, p, note)
}

// priceCluster prices Container Insights: its custom metrics per cluster,
// service and task definition family, and its performance log events.
func priceCluster(b *builder, r *plan.Resource) {
	mode := "disabled"
	settings, _ := r.Input("settings").([]any)
	for _, s := range settings {
		m, _ := s.(map[string]any)
		if m["name"] == "containerInsights" {
			mode, _ = m["value"].(string)
		}
	}
	if mode != "enabled" && mode != "enhanced" {
		return
	}
	var services int
	var tasks float64
	families := map[string]bool{}
	for _, svc := range b.res.OfType("aws:ecs/service:Service") {
		if !dependsOn(svc, "cluster", r.URN) {
			continue
		}
		services++
		tasks += num(svc, "desiredCount")
		if td := taskDefinition(b.res, svc); td != nil {
			families[td.InputString("family")] = true
		}
	}
	metrics := ciMetricsPerCluster + ciMetricsPerService*services + ciMetricsPerFamily*len(families)
	p := PriceCustomMetric
	note := fmt.Sprintf("%d per cluster + %d x %d services + %d x %d task families", ciMetricsPerCluster, ciMetricsPerService, services, ciMetricsPerFamily, len(families))
	if mode == "enhanced" {
		p.Status, p.Source = Unverified, ciEnhancedNote+"; "+p.Source
	}
	b.add(r, fmt.Sprintf("Container Insights (%s) metrics of cluster %s", mode, r.Name), float64(metrics), p, note)
	gb := tasks * b.usage.ContainerInsightsGBPerTask
	b.add(r, "Container Insights performance log events", gb, PriceLogsIngestGB, fmt.Sprintf("%g tasks x %.2g GB (assumed)", tasks, b.usage.ContainerInsightsGBPerTask))
}

// priceFunction: a function costs nothing while nobody invokes it.
func priceFunction(b *builder, r *plan.Resource) {
	b.add(r, "Lambda function "+r.Name, 0, PriceLambdaRequestsMillion, "idle: no invocations")
	b.onTop("Lambda requests", PriceLambdaRequestsMillion)
	arch, _ := r.Input("architectures").([]any)
	if len(arch) > 0 && arch[0] == "arm64" {
		b.onTop("Lambda duration, arm64", PriceLambdaGBSecondARM)
	} else {
		b.onTop("Lambda duration, x86", PriceLambdaGBSecondX86)
	}
}

// priceNamespace: a Cloud Map DNS namespace is a Route 53 hosted zone.
func priceNamespace(b *builder, r *plan.Resource) {
	b.add(r, "Route 53 hosted zone of Cloud Map namespace "+r.InputString("name"), 1, PriceHostedZone, "one hosted zone per DNS namespace")
}

// priceDiscoveryService prices the instances ECS registers: one per task of
// every service pointing at this Cloud Map service.
func priceDiscoveryService(b *builder, r *plan.Resource) {
	var instances float64
	for _, svc := range b.res.OfType("aws:ecs/service:Service") {
		if dependsOn(svc, "serviceRegistries", r.URN) {
			instances += num(svc, "desiredCount")
		}
	}
	b.add(r, "Cloud Map instances of service "+r.InputString("name"), instances, PriceCloudMapInstance, "one registered instance per running task")
}

// autoscalingMin is the minCapacity of the autoscaling target that scales
// the service, if any.
func autoscalingMin(res *plan.Result, svc *plan.Resource) (float64, bool) {
	for _, t := range res.OfType("aws:appautoscaling/target:Target") {
		if dependsOn(t, "resourceId", svc.URN) {
			return num(t, "minCapacity"), true
		}
	}
	return 0, false
}
