package config

import (
	"fmt"
	"sort"
	"strings"
)

// FieldError is one problem with one stack-config key: which key, what was
// given, and what is allowed. Keys are written as a user types them with
// `pulumi config set --path` (network.azCount, services.producer.minCount).
type FieldError struct {
	Key     string // the key as a user writes it, without the project namespace
	Value   string // the value received, "" when the key is missing
	Problem string // what is wrong and what is allowed
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Key, e.Problem)
	}
	return fmt.Sprintf("%s = %s: %s", e.Key, e.Value, e.Problem)
}

// Errors collects every problem found in one pass, so a user fixes the stack
// file once instead of once per error.
type Errors []*FieldError

func (es Errors) Error() string {
	lines := make([]string, 0, len(es)+1)
	noun := "problems"
	if len(es) == 1 {
		noun = "problem"
	}
	lines = append(lines, fmt.Sprintf("invalid stack configuration (%d %s):", len(es), noun))
	for _, e := range es {
		lines = append(lines, "  - "+e.Error())
	}
	return strings.Join(lines, "\n")
}

// Keys lists the keys that have problems, sorted, for tests and tooling.
func (es Errors) Keys() []string {
	keys := make([]string, 0, len(es))
	for _, e := range es {
		keys = append(keys, e.Key)
	}
	sort.Strings(keys)
	return keys
}

func (es *Errors) add(key, value, format string, args ...any) {
	*es = append(*es, &FieldError{Key: key, Value: value, Problem: fmt.Sprintf(format, args...)})
}

// quote renders a received value for an error message.
func quote(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("%q", x)
	default:
		return fmt.Sprint(x)
	}
}

// bounded is one numeric setting with its allowed range and what its
// unit means, for the error that names both.
type bounded[T int | float64] struct {
	key     string
	v       T
	lo, hi  T
	meaning string
}

// checkBounds reports every setting outside its range as
// "<prefix>.<key>: <value>: allowed lo to hi (meaning)".
func checkBounds[T int | float64](errs *Errors, prefix string, settings []bounded[T]) {
	for _, s := range settings {
		if s.v < s.lo || s.v > s.hi {
			errs.add(prefix+"."+s.key, quote(s.v), "allowed %v to %v (%s)", s.lo, s.hi, s.meaning)
		}
	}
}
