package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
)

// wantBody is the shape every 400 answer names.
const wantBody = `want a JSON object {"count": <integer from -2147483648 to 2147483647>}`

// parseCount accepts exactly {"count": <integer in int32>} (the seed's
// column is INT); anything else is explained: what was wrong and what is
// allowed. It reads tokens rather than decoding into a map so that a
// repeated key or trailing data is caught, not silently resolved.
func parseCount(body []byte) (int, string) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return 0, "empty body: " + wantBody
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	malformed := func(err error) (int, string) {
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return 0, "malformed JSON (the body ends early): " + wantBody
		}
		return 0, fmt.Sprintf("malformed JSON (%s): %s", err, wantBody)
	}
	if tok, err := dec.Token(); err != nil {
		return malformed(err)
	} else if tok != json.Delim('{') {
		return 0, fmt.Sprintf("the body is a JSON %s, not an object: %s", kind(tok), wantBody)
	}
	var raw json.RawMessage
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return malformed(err)
		}
		key, _ := tok.(string)
		if key != "count" {
			return 0, fmt.Sprintf("unknown field %q: %s", key, wantBody)
		}
		if raw != nil {
			return 0, `field "count" appears twice: ` + wantBody
		}
		if err := dec.Decode(&raw); err != nil {
			return malformed(err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return malformed(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return 0, "unexpected data after the JSON object: " + wantBody
	}
	if raw == nil {
		return 0, `missing field "count": ` + wantBody
	}
	// A json.Number field would also take "3" (a string): insist on a bare number.
	if !(raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return 0, fmt.Sprintf("count is %s, not a number: %s", raw, wantBody)
	}
	n := json.Number(raw)
	v, err := n.Int64()
	if err != nil {
		if bytes.ContainsAny(raw, ".eE") {
			return 0, fmt.Sprintf("count %s is not an integer: %s", raw, wantBody)
		}
		return 0, fmt.Sprintf("count %s is out of range: %s", raw, wantBody)
	}
	if v < math.MinInt32 || v > math.MaxInt32 {
		return 0, fmt.Sprintf("count %d is out of range: %s", v, wantBody)
	}
	return int(v), ""
}

// kind names a JSON token's type for error messages.
func kind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return "array"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}
