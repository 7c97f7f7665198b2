// Package plantest is the mock harness for tests: it runs components.Stack
// with a committed stack file (or a changed copy of it) on the mock engine
// and offers small assertions over what was recorded.
package plantest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
