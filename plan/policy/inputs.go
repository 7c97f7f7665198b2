package policy

import (
	"encoding/json"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/pushplatform/pushplatform/plan"
)

// get reads a dotted input path ("viewerCertificate.minimumProtocolVersion")
// as a plain value; nil when any step is missing. A numeric step indexes a
// list.
func get(r *plan.Resource, path string) any {
	var v any = r.Input(strings.SplitN(path, ".", 2)[0])
	rest := strings.SplitN(path, ".", 2)
	if len(rest) == 1 {
		return v
	}
	for _, step := range strings.Split(rest[1], ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[step]
		default:
			return nil
		}
	}
	return v
}

func str(r *plan.Resource, path string) string { s, _ := get(r, path).(string); return s }

func boolean(r *plan.Resource, path string) bool { b, _ := get(r, path).(bool); return b }

// truthy reads a boolean that some inputs carry as a string (a launch
// template's ebs.encrypted is "true").
func truthy(v any) bool { return v == true || v == "true" }

func num(r *plan.Resource, path string) float64 {
	switch n := get(r, path).(type) {
	case float64:
		return n
	case int:
		return float64(n)
	}
	return 0
}

func objects(v any) []map[string]any {
	var out []map[string]any
	l, _ := v.([]any)
	for _, e := range l {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func strings_(v any) []string {
	var out []string
	l, _ := v.([]any)
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// refersTo reports whether an input value names target: its ID, or one of
// its string outputs (ARN, name, bucket, ...), as the mock engine made
// them up.
func refersTo(v any, target *plan.Resource) bool {
	s, ok := v.(string)
	if !ok || s == "" {
		return false
	}
	if s == target.ID {
		return true
	}
	for _, out := range target.Outputs {
		if out.IsString() && out.StringValue() == s {
			return true
		}
	}
	return false
}

// companions returns the resources of typ whose input key refers to target
// (a bucket's public access block, a repository's lifecycle policy).
func (s *Stack) companions(typ, key string, target *plan.Resource) []*plan.Resource {
	var out []*plan.Resource
	for _, r := range s.Res.OfType(typ) {
		if refersTo(r.Input(key), target) {
			out = append(out, r)
		}
	}
	return out
}

// isSecret reports whether the raw input is marked secret (a secret value,
// or an output marked secret).
func isSecret(v resource.PropertyValue) bool {
	switch {
	case v.IsSecret():
		return true
	case v.IsOutput():
		return v.OutputValue().Secret
	}
	return false
}

// containers returns a task definition's container definitions.
func containers(r *plan.Resource) []map[string]any {
	var defs []any
	if json.Unmarshal([]byte(r.InputString("containerDefinitions")), &defs) != nil {
		return nil
	}
	return objects(defs)
}

func onlyIf(cond bool, problem string) []string {
	if cond {
		return []string{problem}
	}
	return nil
}

func propertyKey(k string) resource.PropertyKey { return resource.PropertyKey(k) }
