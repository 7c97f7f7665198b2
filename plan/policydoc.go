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

// ParsePolicy decodes a recorded policy JSON.
func ParsePolicy(s string) (*PolicyDocument, error) {
	var d PolicyDocument
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		return nil, fmt.Errorf("policy is not valid JSON: %w", err)
	}
	return &d, nil
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
