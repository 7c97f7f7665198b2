// Package plantest is the mock harness for tests: it runs components.Stack
// with a committed stack file (or a changed copy of it) on the mock engine
// and offers small assertions over what was recorded.
package plantest

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/components"
	"github.com/pushplatform/pushplatform/plan"
)

// Stacks are the committed stacks every infrastructure test covers.
var Stacks = []string{"dev", "prod"}

// ProjectDir finds the directory holding Pulumi.yaml above the test's
// working directory.
func ProjectDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no Pulumi.yaml above the test directory")
		}
		dir = parent
	}
}

// Config loads a committed stack's config, with fixture artifacts: tests
// never run Docker or go build.
func Config(t testing.TB, stack string) *plan.StackConfig {
	t.Helper()
	sc, err := plan.LoadStackConfig(ProjectDir(t), stack)
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.UseFixtureArtifacts(); err != nil {
		t.Fatal(err)
	}
	t.Logf("stack %s with fixture artifacts: no Docker build, no go build", stack)
	return sc
}

// Run runs the program with a committed stack and fails the test on error.
func Run(t testing.TB, stack string) *plan.Result {
	t.Helper()
	res, err := plan.Run(Config(t, stack), components.Stack)
	if err != nil {
		t.Fatalf("run %s: %v", stack, err)
	}
	return res
}

// RunWith runs the program with a committed stack's config changed by edit.
func RunWith(t testing.TB, stack string, edit func(values map[string]string)) (*plan.Result, error) {
	t.Helper()
	sc := Config(t, stack).Clone()
	edit(sc.Values)
	return plan.Run(sc, components.Stack)
}

// One returns the only resource of a type with that name, failing otherwise.
func One(t testing.TB, res *plan.Result, typ, name string) *plan.Resource {
	t.Helper()
	r := res.Named(typ, name)
	if r == nil {
		t.Fatalf("no %s named %s", typ, name)
	}
	return r
}

// Policy decodes a policy-valued input of a resource.
func Policy(t testing.TB, r *plan.Resource, key string) *plan.PolicyDocument {
	t.Helper()
	doc, err := plan.ParsePolicy(r.InputString(key))
	if err != nil {
		t.Fatalf("%s %s.%s: %v", r.Type, r.Name, key, err)
	}
	return doc
}

// JSON renders a value compactly, for substring assertions.
func JSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// Strings reads a recorded list input as strings.
func Strings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		s, _ := e.(string)
		out = append(out, s)
	}
	return out
}

// AllPrefixed says whether xs is non-empty and every element starts with prefix.
func AllPrefixed(xs []string, prefix string) bool {
	if len(xs) == 0 {
		return false
	}
	for _, x := range xs {
		if !strings.HasPrefix(x, prefix) {
			return false
		}
	}
	return true
}

// Container is what one task definition's single container is given.
type Container struct {
	// Environment holds the plain settings, by variable.
	Environment map[string]string
	// Secrets maps each variable ECS fills from Secrets Manager to its
	// valueFrom (secret ARN, with :key:: for a JSON key).
	Secrets map[string]string
}

// Names lists every variable the container is given, plain or secret.
func (c Container) Names() []string {
	var names []string
	for k := range c.Environment {
		names = append(names, k)
	}
	for k := range c.Secrets {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// TaskContainer reads the container of the task definition with this
// logical name, failing unless it has exactly one container.
func TaskContainer(t testing.TB, res *plan.Result, name string) Container {
	t.Helper()
	td := One(t, res, "aws:ecs/taskDefinition:TaskDefinition", name)
	var defs []struct {
		Environment []struct{ Name, Value string } `json:"environment"`
		Secrets     []struct {
			Name      string `json:"name"`
			ValueFrom string `json:"valueFrom"`
		} `json:"secrets"`
	}
	if err := json.Unmarshal([]byte(td.InputString("containerDefinitions")), &defs); err != nil || len(defs) != 1 {
		t.Fatalf("%s: want one container definition, got %d (%v)", name, len(defs), err)
	}
	c := Container{Environment: map[string]string{}, Secrets: map[string]string{}}
	for _, e := range defs[0].Environment {
		c.Environment[e.Name] = e.Value
	}
	for _, s := range defs[0].Secrets {
		c.Secrets[s.Name] = s.ValueFrom
	}
	return c
}

// ContainerValues is what the app sees in AWS: the plain settings as set,
// and a stand-in value for each secret variable.
func ContainerValues(c Container) map[string]string {
	values := maps.Clone(c.Environment)
	for name := range c.Secrets {
		values[name] = "stand-in-for-" + name
	}
	return values
}

// CheckSettingsContract compares what a task definition sets with what its
// app read (settings.Env.Read): each variable set must be read, and each
// variable read must be set or named in defaults, the settings left at
// their defaults on purpose (and defaults must be read and not set, so the
// list stays true).
func CheckSettingsContract(t testing.TB, what string, c Container, read, defaults []string) {
	t.Helper()
	set := c.Names()
	for _, name := range set {
		if !slices.Contains(read, name) {
			t.Errorf("%s: the task definition sets %s, which the app never reads", what, name)
		}
	}
	for _, name := range read {
		if !slices.Contains(set, name) && !slices.Contains(defaults, name) {
			t.Errorf("%s: the app reads %s, which the task definition neither sets nor leaves at a listed default", what, name)
		}
	}
	for _, name := range defaults {
		if slices.Contains(set, name) || !slices.Contains(read, name) {
			t.Errorf("%s: %s is listed as left at its default, but it is set (%v) or not read (%v)", what, name, slices.Contains(set, name), slices.Contains(read, name))
		}
	}
}
