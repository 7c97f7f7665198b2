package main

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/diagram"
	"github.com/pushplatform/pushplatform/plan/plantest"
	"github.com/pushplatform/pushplatform/plan/policy"
)

var readmeRow = regexp.MustCompile("^\\| `([^`]+)` \\| ([^|]*) \\| ([^|]*) \\|")

// TestReadmeConfigReference keeps README.md's config table in step with
// Pulumi.yaml, the config code, and what the committed stacks resolve to.
func TestReadmeConfigReference(t *testing.T) {
	dir := plantest.ProjectDir(t)
	readme, err := os.ReadFile(dir + "/README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][2]string{}
	for _, line := range strings.Split(string(readme), "\n") {
		if m := readmeRow.FindStringSubmatch(line); m != nil {
			rows[m[1]] = [2]string{strings.TrimSpace(m[2]), strings.TrimSpace(m[3])}
		}
	}

	// Pulumi.yaml declares exactly the keys config reads, each with a type,
	// a description and a default.
	var proj struct {
		Config map[string]map[string]any `yaml:"config"`
	}
	b, err := os.ReadFile(dir + "/Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, &proj); err != nil {
		t.Fatal(err)
	}
	var declared []string
	for k, decl := range proj.Config {
		declared = append(declared, k)
		for _, field := range []string{"type", "description", "default"} {
			if _, ok := decl[field]; !ok {
				t.Errorf("Pulumi.yaml: %s has no %s", k, field)
			}
		}
	}
	sort.Strings(declared)
	keys := append([]string(nil), config.Keys...)
	sort.Strings(keys)
	if !reflect.DeepEqual(declared, keys) {
		t.Errorf("Pulumi.yaml declares %v, config reads %v", declared, keys)
	}

	// Every settable key has a row, and every row is a settable key.
	want := map[string]bool{}
	subKeys := config.SubKeys()
	for _, k := range config.Keys {
		isObject := false
		for parent, subs := range subKeys {
			if parent == k || strings.HasPrefix(parent, k+".") {
				isObject = true
				for _, s := range subs {
					want[parent+"."+s] = true
				}
			}
		}
		if !isObject {
			want[k] = true
		}
	}
	for k := range want {
		if _, ok := rows[k]; !ok {
			t.Errorf("README.md has no row for %s", k)
		}
	}
	for k := range rows {
		if !want[k] {
			t.Errorf("README.md documents %s, which is not a config key", k)
		}
	}

	// The dev and prod columns say what the committed stacks resolve to.
	for col, stack := range []string{"dev", "prod"} {
		sc, err := plan.LoadStackConfig(dir, stack) // as committed: no fixture artifacts
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := config.Resolve(sc.Project, sc.Stack, sc.Values)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range cfg.Effective() {
			if row, ok := rows[k]; ok && row[col] != v {
				t.Errorf("README.md %s %s = %q, the stack resolves to %q", stack, k, row[col], v)
			}
		}
	}
}

// TestReadmeOpensWithTheTwoCommands checks the README starts with the plan
// and the test command, and that CI runs that same test command.
func TestReadmeOpensWithTheTwoCommands(t *testing.T) {
	dir := plantest.ProjectDir(t)
	readme, _ := os.ReadFile(dir + "/README.md")
	ci, err := os.ReadFile(dir + "/.ci/run")
	if err != nil {
		t.Fatal(err)
	}
	block := strings.SplitN(string(readme), "```", 3)
	if len(block) < 3 {
		t.Fatal("README.md has no opening code block")
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(block[1], "sh")), "\n")
	if len(lines) != 2 {
		t.Fatalf("the opening block holds %d lines, want the two commands", len(lines))
	}
	planCmd := strings.TrimSpace(strings.SplitN(lines[0], "#", 2)[0])
	testCmd := strings.TrimSpace(strings.SplitN(lines[1], "#", 2)[0])
	if planCmd != "go run ./cmd/plan -stack prod" {
		t.Errorf("first command = %q, want the offline plan", planCmd)
	}
	if !regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(testCmd) + `( |$)`).Match(ci) {
		t.Errorf(".ci/run does not run the README's test command %q", testCmd)
	}
}

// TestDocsStandAlone: the README and docs/ point at nothing outside the
// repository, so a clone is complete; every repository path they name in
// backticks that looks like a file or folder exists.
func TestDocsStandAlone(t *testing.T) {
	dir := plantest.ProjectDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "docs", "*.md"))
	files = append(files, filepath.Join(dir, "README.md"))
	path := regexp.MustCompile("`((?:docs|cmd|components|config|plan|internal|images|scripts)/[A-Za-z0-9_./-]*)`")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		text := string(b)
		if strings.Contains(text, "../") || strings.Contains(text, "shared/DESIGN") || strings.Contains(text, "REFERENCE.md") {
			t.Errorf("%s points outside the repository", filepath.Base(f))
		}
		for _, m := range path.FindAllStringSubmatch(text, -1) {
			p := strings.TrimSuffix(strings.SplitN(m[1], " ", 2)[0], "/")
			if strings.ContainsAny(p, "<*") {
				continue
			}
			if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
				t.Errorf("%s names %s, which does not exist", filepath.Base(f), p)
			}
		}
	}
}

// TestReadmeShowsTheProdDiagram keeps the README's diagram equal to what
// `go run ./cmd/plan -stack prod -format mermaid` prints.
func TestReadmeShowsTheProdDiagram(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(plantest.ProjectDir(t), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	i := strings.Index(text, "```mermaid\n")
	if i < 0 {
		t.Fatal("README.md has no mermaid block")
	}
	block := text[i+len("```mermaid\n"):]
	block = block[:strings.Index(block, "```")]
	if want := diagram.Build(plantest.Run(t, "prod")).Mermaid(); block != want {
		t.Errorf("README.md's diagram differs from the plan's; refresh it with go run ./cmd/plan -stack prod -format mermaid")
	}
}

// TestReadmeCountsTheRules: the README's rule count is the suite's.
func TestReadmeCountsTheRules(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`the same package the tests run\): (\d+)\s`).FindSubmatch(readme)
	if want := strconv.Itoa(len(policy.Rules())); m == nil || string(m[1]) != want {
		t.Errorf("README.md counts %q rules, the suite has %s", m, want)
	}
}
