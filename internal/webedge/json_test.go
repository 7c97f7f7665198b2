package webedge

import "encoding/json"

func jsonString(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

func jsonParse(b []byte, v any) error { return json.Unmarshal(b, v) }
