package plan

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// PolicyDocument is an IAM policy as the program's iam.getPolicyDocument
// calls render it; tests decode recorded policies into it.
type PolicyDocument struct {
	Version   string            `json:"Version"`
	Statement []PolicyStatement `json:"Statement"`
}

// PolicyStatement is one statement; single values are kept as lists here.
type PolicyStatement struct {
	Sid       string                         `json:"Sid,omitempty"`
	Effect    string                         `json:"Effect"`
	Action    []string                       `json:"Action,omitempty"`
	Resource  []string                       `json:"Resource,omitempty"`
	Principal map[string][]string            `json:"Principal,omitempty"`
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// renderPolicy renders getPolicyDocument's arguments as the JSON the
// provider's data source produces.
func renderPolicy(args resource.PropertyMap) (string, error) {
	raw, _ := plain(resource.NewProperty(args)).(map[string]any)
	statements, _ := raw["statements"].([]any)
	doc := PolicyDocument{Version: "2012-10-17"}
	for i, s := range statements {
		m, ok := s.(map[string]any)
		if !ok {
			return "", fmt.Errorf("getPolicyDocument: statement %d is not an object", i)
		}
		st := PolicyStatement{Effect: "Allow", Action: strs(m["actions"]), Resource: strs(m["resources"])}
		if e, ok := m["effect"].(string); ok && e != "" {
			st.Effect = e
		}
		if sid, ok := m["sid"].(string); ok {
			st.Sid = sid
		}
		for _, p := range list(m["principals"]) {
			pm, _ := p.(map[string]any)
			if st.Principal == nil {
				st.Principal = map[string][]string{}
			}
			typ, _ := pm["type"].(string)
			st.Principal[typ] = append(st.Principal[typ], strs(pm["identifiers"])...)
		}
		for _, c := range list(m["conditions"]) {
			cm, _ := c.(map[string]any)
			test, _ := cm["test"].(string)
			variable, _ := cm["variable"].(string)
			if st.Condition == nil {
				st.Condition = map[string]map[string][]string{}
			}
			if st.Condition[test] == nil {
				st.Condition[test] = map[string][]string{}
			}
			st.Condition[test][variable] = append(st.Condition[test][variable], strs(cm["values"])...)
		}
		doc.Statement = append(doc.Statement, st)
	}
	b, err := json.Marshal(doc)
	return string(b), err
}

// ParsePolicy decodes a policy JSON in any form IAM accepts: a single
// statement or a list, Action/Resource as a string or a list, Principal
// "*" or a map of strings or lists, condition values as a string or a
// list.
func ParsePolicy(s string) (*PolicyDocument, error) {
	var raw struct {
		Version   string          `json:"Version"`
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		return nil, fmt.Errorf("policy is not valid JSON: %w", err)
	}
	var stmts []rawStatement
	if len(raw.Statement) > 0 && raw.Statement[0] == '{' {
		var one rawStatement
		if err := json.Unmarshal(raw.Statement, &one); err != nil {
			return nil, fmt.Errorf("policy statement: %w", err)
		}
		stmts = []rawStatement{one}
	} else if len(raw.Statement) > 0 {
		if err := json.Unmarshal(raw.Statement, &stmts); err != nil {
			return nil, fmt.Errorf("policy statements: %w", err)
		}
	}
	d := &PolicyDocument{Version: raw.Version}
	for i, st := range stmts {
		ps := PolicyStatement{Sid: st.Sid, Effect: st.Effect, Action: st.Action, Resource: st.Resource}
		switch p := st.Principal.(type) {
		case nil:
		case string:
			ps.Principal = map[string][]string{"*": {p}}
		case map[string]any:
			ps.Principal = map[string][]string{}
			for k, v := range p {
				ps.Principal[k] = oneOrMany(v)
			}
		default:
			return nil, fmt.Errorf("policy statement %d: Principal is neither \"*\" nor an object", i)
		}
		for test, vars := range st.Condition {
			if ps.Condition == nil {
				ps.Condition = map[string]map[string][]string{}
			}
			ps.Condition[test] = map[string][]string{}
			for k, v := range vars {
				ps.Condition[test][k] = oneOrMany(v)
			}
		}
		d.Statement = append(d.Statement, ps)
	}
	return d, nil
}

// rawStatement is a statement as IAM accepts it.
type rawStatement struct {
	Sid       string                    `json:"Sid"`
	Effect    string                    `json:"Effect"`
	Action    stringList                `json:"Action"`
	Resource  stringList                `json:"Resource"`
	Principal any                       `json:"Principal"`
	Condition map[string]map[string]any `json:"Condition"`
}

// stringList is a string or a list of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if json.Unmarshal(b, &one) == nil {
		*l = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("want a string or a list of strings: %w", err)
	}
	*l = many
	return nil
}

func oneOrMany(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case bool:
		return []string{fmt.Sprint(x)}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, fmt.Sprint(e))
		}
		return out
	}
	return []string{fmt.Sprint(v)}
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func strs(v any) []string {
	var out []string
	for _, e := range list(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
