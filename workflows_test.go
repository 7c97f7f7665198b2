package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/pushplatform/pushplatform/plan/plantest"
)

// The GitHub Actions workflows (.github/workflows): actionlint passes on
// them, and they keep the promises docs/runbook.md makes about them.

// actionlintModule is the linter, built from its Go module at a fixed
// version: `go install pkg@version` leaves go.mod alone, and the module's
// checksum is verified against the Go checksum database.
const actionlintModule = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"

// workflowFiles are the repository's workflows.
func workflowFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(".github/workflows/*.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("want the pull-request and deploy workflows in .github/workflows, found %v", files)
	}
	return files
}

// needOrFail skips locally and fails under CI, which must never pass by
// skipping.
func needOrFail(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format+"; CI must have it (.ci/run)", args...)
	}
	t.Skipf(format, args...)
}

// actionlint builds the linter into a temporary directory and returns a
// function running it on files, with its exit code and output.
func actionlint(t *testing.T) func(files ...string) (int, string) {
	t.Helper()
	bin := t.TempDir()
	install := exec.Command("go", "install", actionlintModule)
	install.Env = append(os.Environ(), "GOBIN="+bin)
	if out, err := install.CombinedOutput(); err != nil {
		needOrFail(t, "cannot build actionlint (go install %s): %v\n%s", actionlintModule, err, out)
	}
	// actionlint runs shellcheck on every run: script when it finds it.
	// Locally it may be missing; CI installs it, and the check is then
	// turned off explicitly rather than silently.
	shellcheck, err := exec.LookPath("shellcheck")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("shellcheck is not installed; CI must have it (.ci/run installs it)")
		}
		t.Log("shellcheck is not installed: run: scripts are not checked (apt-get install shellcheck)")
	}
	return func(files ...string) (int, string) {
		t.Helper()
		args := append([]string{"-no-color", "-shellcheck=" + shellcheck}, files...)
		var out bytes.Buffer
		cmd := exec.Command(filepath.Join(bin, "actionlint"), args...)
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0, out.String()
		case errors.As(err, &exit):
			return exit.ExitCode(), out.String()
		}
		t.Fatalf("run actionlint: %v", err)
		return -1, ""
	}
}

func TestWorkflowsPassActionlint(t *testing.T) {
	// .ci/run lints with the same version.
	ci, err := os.ReadFile(".ci/run")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(ci), "go run "+actionlintModule+" ") {
		t.Errorf(".ci/run does not run %s", actionlintModule)
	}
	run := actionlint(t)
	if code, out := run(workflowFiles(t)...); code != 0 {
		t.Errorf("actionlint exit %d:\n%s", code, out)
	}
}

// The check can fail: a workflow with a misspelled action input, a job
// needing one that does not exist, an untrusted value expanded into a
// script and (with shellcheck) an unquoted variable is refused, each
// problem named.
func TestActionlintRefusesABrokenWorkflow(t *testing.T) {
	run := actionlint(t)
	broken := `on: pull_request
jobs:
  test:
    runs-on: ubuntu-24.04
    needs: build
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depht: 1
      - run: echo "${{ github.event.pull_request.title }}"
      - run: echo $HOME/$GITHUB_SHA
`
	path := filepath.Join(t.TempDir(), "broken.yml")
	if err := os.WriteFile(path, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := run(path)
	if code != 1 {
		t.Fatalf("actionlint exit %d on a broken workflow, want 1 (problems found):\n%s", code, out)
	}
	want := []string{`"fetch-depht"`, `"build"`, `github.event.pull_request.title`}
	if _, err := exec.LookPath("shellcheck"); err == nil {
		want = append(want, "SC2086")
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("actionlint output does not name %s:\n%s", w, out)
		}
	}
}

// workflow is the part of a workflow file the tests read.
type workflow struct {
	On   map[string]any `yaml:"on"`
	Jobs map[string]job `yaml:"jobs"`
}

type job struct {
	RunsOn      string            `yaml:"runs-on"`
	Needs       any               `yaml:"needs"`
	Environment any               `yaml:"environment"`
	Permissions map[string]string `yaml:"permissions"`
	Concurrency *struct {
		Group            string `yaml:"group"`
		CancelInProgress bool   `yaml:"cancel-in-progress"`
	} `yaml:"concurrency"`
	Strategy struct {
		Matrix struct {
			Stack   []string            `yaml:"stack"`
			Include []map[string]string `yaml:"include"`
		} `yaml:"matrix"`
	} `yaml:"strategy"`
	Steps []step `yaml:"steps"`
}

type step struct {
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
}

func readWorkflow(t *testing.T, name string) (workflow, string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(".github/workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(b, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w, string(b)
}

// runtimeBinary is Pulumi.yaml's runtime.options.binary.
func runtimeBinary(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var proj struct {
		Runtime struct {
			Name    string `yaml:"name"`
			Options struct {
				Binary string `yaml:"binary"`
			} `yaml:"options"`
		} `yaml:"runtime"`
	}
	if err := yaml.Unmarshal(b, &proj); err != nil {
		t.Fatal(err)
	}
	if proj.Runtime.Name != "go" || proj.Runtime.Options.Binary == "" {
		t.Fatalf("Pulumi.yaml: want runtime go with options.binary, got %+v", proj.Runtime)
	}
	return proj.Runtime.Options.Binary
}

// Every action is pinned to a full commit SHA with its tag in a comment:
// a tag can be moved to other code, a SHA cannot.
func TestWorkflowActionsPinnedBySHA(t *testing.T) {
	uses := regexp.MustCompile(`(?m)^\s*(?:-\s+)?uses:\s*(\S+)(.*)$`)
	pinned := regexp.MustCompile(`^[\w.-]+/[\w./-]+@[0-9a-f]{40}$`)
	for _, f := range workflowFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range uses.FindAllStringSubmatch(string(b), -1) {
			if !pinned.MatchString(m[1]) || !regexp.MustCompile(`#\s*v\d`).MatchString(m[2]) {
				t.Errorf("%s: uses %s%s: want owner/repo@<40-hex SHA> # vX.Y.Z", f, m[1], m[2])
			}
		}
	}
}

// pulumiSteps returns the job's pulumi/actions steps and whether the
// program binary is built before the first of them.
func pulumiSteps(j job, binary string) (steps []step, builtFirst bool) {
	build := regexp.MustCompile(`go build [^\n]*-o ` + regexp.QuoteMeta(binary) + ` \.(\s|$)`)
	for _, s := range j.Steps {
		if strings.HasPrefix(s.Uses, "pulumi/actions@") {
			steps = append(steps, s)
		}
		if build.MatchString(s.Run) && len(steps) == 0 {
			builtFirst = true
		}
	}
	return steps, builtFirst
}

// The pull request runs .ci/run, the offline plan with -check of every
// committed stack, and a preview of every committed stack, each with the
// program built first at runtime.options.binary, AWS credentials from
// OIDC (no stored keys), on a runner of the stack's task architecture.
func TestPullRequestWorkflow(t *testing.T) {
	w, text := readWorkflow(t, "pull-request.yml")
	binary := runtimeBinary(t)
	if _, ok := w.On["pull_request"]; !ok {
		t.Error("pull-request.yml does not run on pull_request")
	}
	checks := w.Jobs["checks"]
	if !slices.ContainsFunc(checks.Steps, func(s step) bool { return strings.TrimSpace(s.Run) == "bash .ci/run" }) {
		t.Error("checks job does not run bash .ci/run")
	}
	planJob := w.Jobs["plan"]
	if !slices.Equal(sorted(planJob.Strategy.Matrix.Stack), sorted(plantest.Stacks)) {
		t.Errorf("plan job's stacks %v, committed stacks %v", planJob.Strategy.Matrix.Stack, plantest.Stacks)
	}
	if !slices.ContainsFunc(planJob.Steps, func(s step) bool { return strings.Contains(s.Run, "-check") && strings.Contains(s.Run, "markdown") }) {
		t.Error("plan job does not run the plan with -check and its markdown report")
	}
	if planJob.Permissions["pull-requests"] != "write" {
		t.Error("plan job cannot comment: permissions pull-requests: write")
	}

	preview := w.Jobs["preview"]
	var stacks []string
	for _, inc := range preview.Strategy.Matrix.Include {
		stacks = append(stacks, inc["stack"])
		checkRunnerArch(t, inc["stack"], inc["runner"])
	}
	if !slices.Equal(sorted(stacks), sorted(plantest.Stacks)) {
		t.Errorf("preview job's stacks %v, committed stacks %v", stacks, plantest.Stacks)
	}
	steps, built := pulumiSteps(preview, binary)
	if len(steps) != 1 || steps[0].With["command"] != "preview" || !built {
		t.Errorf("preview job: want go build -o %s . and then one pulumi/actions preview, got %d pulumi steps (built first: %v)", binary, len(steps), built)
	}
	checkOIDC(t, "preview", preview, text)
}

// main deploys dev, then prod after the prod environment's approval; one
// update of a stack at a time, never cancelled; the program built once per
// job at runtime.options.binary.
func TestDeployWorkflow(t *testing.T) {
	w, text := readWorkflow(t, "deploy.yml")
	binary := runtimeBinary(t)
	push, _ := w.On["push"].(map[string]any)
	if branches, _ := push["branches"].([]any); !slices.Equal(branches, []any{"main"}) {
		t.Errorf("deploy.yml runs on push to %v, want [main]", branches)
	}
	groups := map[string]bool{}
	for _, stack := range plantest.Stacks {
		j, ok := w.Jobs[stack]
		if !ok {
			t.Errorf("deploy.yml has no job %q", stack)
			continue
		}
		steps, built := pulumiSteps(j, binary)
		if len(steps) != 1 || steps[0].With["command"] != "up" || !strings.HasSuffix(steps[0].With["stack-name"], "/"+stack) || !built {
			t.Errorf("job %s: want go build -o %s . and then one pulumi/actions up of <org>/%s, got %d pulumi steps (built first: %v)", stack, binary, stack, len(steps), built)
		}
		if j.Environment != stack {
			t.Errorf("job %s: environment %v, want %s (its role and, for prod, required reviewers)", stack, j.Environment, stack)
		}
		if j.Concurrency == nil || j.Concurrency.CancelInProgress || groups[j.Concurrency.Group] {
			t.Errorf("job %s: want its own concurrency group with cancel-in-progress false, got %+v", stack, j.Concurrency)
		} else {
			groups[j.Concurrency.Group] = true
		}
		checkRunnerArch(t, stack, j.RunsOn)
		checkOIDC(t, stack, j, text)
	}
	if needs := w.Jobs["prod"].Needs; needs != "dev" {
		t.Errorf("prod needs %v, want dev: prod is deployed after dev", needs)
	}
}

// checkOIDC: the job assumes a role through GitHub's OIDC token; nothing
// in the workflow names stored AWS keys.
func checkOIDC(t *testing.T, name string, j job, text string) {
	t.Helper()
	if j.Permissions["id-token"] != "write" {
		t.Errorf("job %s: permissions id-token: write is needed for OIDC", name)
	}
	i := slices.IndexFunc(j.Steps, func(s step) bool {
		return strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@")
	})
	if i < 0 || j.Steps[i].With["role-to-assume"] == "" {
		t.Errorf("job %s: no configure-aws-credentials step with role-to-assume", name)
	}
	for _, key := range []string{"aws-access-key-id", "aws-secret-access-key", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} {
		if strings.Contains(text, key) {
			t.Errorf("the workflow names %s: credentials come from OIDC only", key)
		}
	}
}

// checkRunnerArch: a stack's images are built on a runner of its tasks'
// CPU architecture (dev's Fargate Spot is X86_64, prod's Graviton ARM64):
// autopush's Rust build under QEMU emulation takes far longer.
func checkRunnerArch(t *testing.T, stack, runner string) {
	t.Helper()
	res := plantest.Run(t, stack)
	archs := map[string]bool{}
	for _, td := range res.OfType("aws:ecs/taskDefinition:TaskDefinition") {
		platform, _ := td.Input("runtimePlatform").(map[string]any)
		if arch, ok := platform["cpuArchitecture"].(string); ok {
			archs[arch] = true
		}
	}
	want := "X86_64"
	if strings.HasSuffix(runner, "-arm") {
		want = "ARM64"
	}
	if len(archs) != 1 || !archs[want] {
		t.Errorf("stack %s runs on %s (%s), its task definitions want %v", stack, runner, want, archs)
	}
}

func sorted(xs []string) []string {
	out := slices.Clone(xs)
	slices.Sort(out)
	return out
}
