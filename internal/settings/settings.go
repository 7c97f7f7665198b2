// Package settings reads an app's environment: every variable is checked,
// and all problems are reported together, naming the variable, the value
// and what is allowed. Values of secret variables are never echoed.
package settings

import (
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Env reads variables and collects problems.
type Env struct {
	lookup   func(string) (string, bool)
	problems []string
	read     map[string]bool
}

// FromOS reads the process environment.
func FromOS() *Env { return newEnv(os.LookupEnv) }

// FromMap reads a map, for tests.
func FromMap(m map[string]string) *Env {
	return newEnv(func(k string) (string, bool) { v, ok := m[k]; return v, ok })
}

func newEnv(lookup func(string) (string, bool)) *Env {
	e := &Env{read: map[string]bool{}}
	e.lookup = func(k string) (string, bool) {
		e.read[k] = true
		return lookup(k)
	}
	return e
}

// Read lists every variable the app looked up, sorted: the contract test
// compares it with what the infrastructure sets in each task definition.
func (e *Env) Read() []string { return slices.Sorted(maps.Keys(e.read)) }

// String returns the variable, or def when it is unset or empty.
func (e *Env) String(name, def string) string {
	if v, ok := e.lookup(name); ok && v != "" {
		return v
	}
	return def
}

// Secret is String for credentials: problems never show the value.
func (e *Env) Secret(name string) string { return e.String(name, "") }

// Int returns the variable as an integer within [min, max].
func (e *Env) Int(name string, def, min, max int) int {
	v, ok := e.lookup(name)
	if !ok || v == "" {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < min || n > max {
		e.problems = append(e.problems, fmt.Sprintf("%s=%q: want a whole number from %d to %d", name, v, min, max))
		return def
	}
	return n
}

// Bool returns the variable as a boolean (true/false, 1/0, yes/no).
func (e *Env) Bool(name string, def bool) bool {
	v, ok := e.lookup(name)
	if !ok || v == "" {
		return def
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	e.problems = append(e.problems, fmt.Sprintf("%s=%q: want true or false", name, v))
	return def
}

// Require notes a problem when a variable is unset.
func (e *Env) Require(names ...string) {
	for _, n := range names {
		if v, ok := e.lookup(n); !ok || v == "" {
			e.problems = append(e.problems, n+" is not set")
		}
	}
}

// Err returns every problem found, or nil.
func (e *Env) Err() error {
	if len(e.problems) == 0 {
		return nil
	}
	return fmt.Errorf("bad settings: %s", strings.Join(e.problems, "; "))
}
