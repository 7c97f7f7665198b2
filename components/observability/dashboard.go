package observability

import (
	"encoding/json"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Dashboard layout: CloudWatch's grid is 24 units wide.
const (
	gridWidth    = 24
	widgetWidth  = 8
	widgetHeight = 6
)

// dashboardBody renders the dashboard from the alarm definitions: one
// graph per alarm (the metric with the alarm's statistic and period, the
// threshold drawn as a line), grouped under a heading per section, and an
// alarm status widget listing every alarm. The dimension values and ARNs
// are outputs, so the body is one too; no resource is created inside the
// apply.
func dashboardBody(region string, defs []Alarm, arns pulumi.StringArray) pulumi.StringOutput {
	var dims pulumi.StringArray
	for _, d := range defs {
		for _, dim := range d.Metric.Dimensions {
			dims = append(dims, dim.Value)
		}
	}
	return pulumi.All(dims.ToStringArrayOutput(), arns.ToStringArrayOutput()).ApplyT(func(v []any) (string, error) {
		return renderDashboard(region, defs, v[0].([]string), v[1].([]string))
	}).(pulumi.StringOutput)
}

// Widget is one dashboard widget (CloudWatch dashboard body structure).
type Widget struct {
	Type       string         `json:"type"`
	X          int            `json:"x"`
	Y          int            `json:"y"`
	Width      int            `json:"width"`
	Height     int            `json:"height"`
	Properties map[string]any `json:"properties"`
}

// Body is the dashboard body.
type Body struct {
	Widgets []Widget `json:"widgets"`
}

// renderDashboard lays the widgets out; dimValues are every definition's
// dimension values in order, arns the alarms' ARNs in order.
func renderDashboard(region string, defs []Alarm, dimValues, arns []string) (string, error) {
	var b Body
	y := 0
	b.Widgets = append(b.Widgets, Widget{Type: "alarm", X: 0, Y: y, Width: gridWidth, Height: widgetHeight,
		Properties: map[string]any{"title": "Alarm status", "alarms": arns, "sortBy": "stateUpdatedTimestamp"}})
	y += widgetHeight
	for _, group := range groups {
		x := 0
		headed := false
		for i, d := range defs {
			if d.Group != group {
				continue
			}
			if !headed {
				b.Widgets = append(b.Widgets, Widget{Type: "text", X: 0, Y: y, Width: gridWidth, Height: 1,
					Properties: map[string]any{"markdown": "## " + group}})
				y++
				headed = true
			}
			b.Widgets = append(b.Widgets, Widget{Type: "metric", X: x, Y: y, Width: widgetWidth, Height: widgetHeight,
				Properties: graph(region, d, valuesOf(defs, dimValues, i))})
			x += widgetWidth
			if x >= gridWidth {
				x, y = 0, y+widgetHeight
			}
		}
		if x > 0 {
			y += widgetHeight
		}
	}
	out, err := json.Marshal(b)
	return string(out), err
}

// valuesOf picks definition i's dimension values out of the flat list.
func valuesOf(defs []Alarm, flat []string, i int) []string {
	start := 0
	for _, d := range defs[:i] {
		start += len(d.Metric.Dimensions)
	}
	return flat[start : start+len(defs[i].Metric.Dimensions)]
}

// graph is one metric widget: [namespace, name, dim, value, ...,
// {stat, period}] and the threshold as a horizontal annotation.
func graph(region string, d Alarm, values []string) map[string]any {
	line := func(name string, opts map[string]any) []any {
		m := []any{d.Metric.Namespace, name}
		for i, dim := range d.Metric.Dimensions {
			m = append(m, dim.Name, values[i])
		}
		return append(m, opts)
	}
	metrics := []any{line(d.Metric.Name, map[string]any{"stat": d.Metric.Stat, "period": d.Metric.Period, "label": d.Title})}
	if d.Minus != nil {
		// The two metrics hidden, their difference drawn, as the alarm
		// evaluates it.
		metrics = []any{
			line(d.Metric.Name, map[string]any{"stat": d.Metric.Stat, "period": d.Metric.Period, "id": "m1", "visible": false}),
			line(d.Minus.Name, map[string]any{"stat": d.Minus.Stat, "period": d.Metric.Period, "id": "m2", "visible": false}),
			[]any{map[string]any{"expression": differenceExpression, "label": d.Title, "id": "e1"}},
		}
	}
	return map[string]any{
		"title":   d.Title,
		"view":    "timeSeries",
		"region":  region,
		"metrics": metrics,
		"annotations": map[string]any{"horizontal": []any{map[string]any{
			"label": d.Key + " threshold", "value": d.Threshold,
		}}},
	}
}
