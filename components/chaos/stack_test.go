package chaos_test

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/components/chaos"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// TestStacks: prod, as committed, has the four templates, each stopped
// by the same observability alarms (at most five): the user-facing 5xx
// alarms, never one an experiment trips by design (a task count below
// desired, an unhealthy target, replication lag, the database). It
// exports the templates' IDs; dev has no chaos resource at all.
func TestStacks(t *testing.T) {
	res := plantest.Run(t, "prod")
	alarms := map[string]string{} // ARN -> alarm key
	for _, a := range res.OfType("aws:cloudwatch/metricAlarm:MetricAlarm") {
		alarms[output(a, "arn")] = strings.TrimPrefix(a.Name, "observability-")
	}
	templates := res.OfType(tTemplate)
	if len(templates) != len(chaos.Keys) {
		t.Fatalf("prod has %d templates, want %d", len(templates), len(chaos.Keys))
	}
	var first []string
	for _, tpl := range templates {
		var keys []string
		for _, s := range tpl.Input("stopConditions").([]any) {
			arn := s.(map[string]any)["value"].(string)
			k, ok := alarms[arn]
			if !ok {
				t.Errorf("%s stops on %s, no alarm of the stack", tpl.Name, arn)
			}
			keys = append(keys, k)
		}
		if first == nil {
			first = keys
		}
		if !slices.Equal(keys, first) || len(keys) > chaos.MaxStopAlarms || !slices.Contains(keys, "alb-5xx") || !slices.Contains(keys, "producer-5xx") {
			t.Errorf("%s stops on %v", tpl.Name, keys)
		}
		for _, k := range keys {
			for _, tripped := range []string{"-running", "-unhealthy", "replication-lag", "db-"} {
				if strings.Contains(k, tripped) {
					t.Errorf("%s stops on %s, which the experiments trip by design", tpl.Name, k)
				}
			}
		}
	}
	t.Logf("prod's experiments stop on %v", first)
	ids, _ := res.Outputs["chaosExperimentTemplates"].(map[string]any)
	if got := slices.Sorted(maps.Keys(ids)); !slices.Equal(got, slices.Sorted(slices.Values(chaos.Keys))) {
		t.Errorf("exported templates %v", ids)
	}
	// The cache target's tags are the replication group's Name and the
	// stack's default Stack tag.
	var tags struct{ Tags map[string]string }
	if err := json.Unmarshal([]byte(plantest.Config(t, "prod").Values["aws:defaultTags"]), &tags); err != nil || tags.Tags["Stack"] != "prod" {
		t.Errorf("prod's default tags %v (%v): the cache target selects Stack=prod", tags, err)
	}

	dev := plantest.Run(t, "dev")
	for _, r := range dev.Resources {
		if r.Type == tTemplate || strings.HasPrefix(r.Name, "chaos") {
			t.Errorf("dev has %s %s", r.Type, r.Name)
		}
	}
}

// TestStackRefusals: chaos on without alarms, or on a stack without the
// standbys it fails over to, is a configuration error naming the keys,
// raised with the rest of the config before anything is registered.
func TestStackRefusals(t *testing.T) {
	for name, c := range map[string]struct {
		stack, chaos, alarms string
		want                 []string
	}{
		"dev":                {"dev", `{"enabled":true}`, "", []string{"invalid stack configuration", "alarms.enabled true", "database.multiAz", "cache.nodes"}},
		"prod without alarm": {"prod", "", `{"enabled":false}`, []string{"invalid stack configuration", "chaos.enabled = true: needs alarms.enabled true"}},
		"absent service":     {"prod", `{"service":"pushmessages"}`, "", []string{"invalid stack configuration", `chaos.service = "pushmessages"`, "logs.processing"}},
	} {
		_, err := plantest.RunWith(t, c.stack, func(v map[string]string) {
			if c.chaos != "" {
				v["pushplatform:chaos"] = c.chaos
			}
			if c.alarms != "" {
				v["pushplatform:alarms"] = c.alarms
			}
			if name == "absent service" {
				v["pushplatform:logs"] = `{"processing":false}`
			}
		})
		if !refused(t, name, err, c.want) {
			continue
		}
	}
}

func TestChooseStopAlarms(t *testing.T) {
	chosen, left := chaos.ChooseStopAlarms([]string{"cache-memory-001", "queue-backlog", "producer-5xx", "processor-failures", "alb-5xx", "api-5xx", "cache-memory-002"})
	if !slices.Equal(chosen, []string{"alb-5xx", "api-5xx", "producer-5xx", "queue-backlog", "cache-memory-001"}) ||
		!slices.Equal(left, []string{"processor-failures", "cache-memory-002"}) {
		t.Errorf("chosen %v, left %v", chosen, left)
	}
	if chosen, left := chaos.ChooseStopAlarms([]string{"b-5xx", "a-5xx"}); !slices.Equal(chosen, []string{"a-5xx", "b-5xx"}) || left != nil {
		t.Errorf("two alarms: chosen %v, left %v", chosen, left)
	}
}
