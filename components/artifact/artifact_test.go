package artifact

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Lambda's provided runtimes exec /var/task/bootstrap: the zip must carry
// the executable bit, which Pulumi's own archiving drops.
func TestZipBootstrapKeepsTheExecutableBit(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "anything")
	if err := os.WriteFile(bin, []byte("\x7fELF fake"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := zipBootstrap(bin)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("zip holds %v, want one bootstrap with mode 0755", zr.File)
	}
	again, _ := zipBootstrap(bin)
	if hash(b) != hash(again) {
		t.Fatal("the same binary must zip to the same bytes, or every deploy re-runs the migration")
	}
}

// writeTree writes files (path -> content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestContentTag builds the tag from a copy of the repository's real
// .dockerignore and Dockerfile: an app's source edit is a new tag, edits
// the build context excludes (README, tests, infrastructure code) are not,
// and the platform and build args are part of it.
func TestContentTag(t *testing.T) {
	root := t.TempDir()
	realIgnore, err := os.ReadFile("../../.dockerignore")
	if err != nil {
		t.Fatal(err)
	}
	realDockerfile, err := os.ReadFile("../../" + GoAppDockerfile)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, root, map[string]string{
		".dockerignore":                    string(realIgnore),
		GoAppDockerfile:                    string(realDockerfile),
		"Pulumi.yaml":                      "name: x\n",
		"README.md":                        "# x\n",
		"go.mod":                           "module x\n",
		"go.sum":                           "",
		"cmd/producer/main.go":             "package main\n",
		"cmd/producer/main_test.go":        "package main\n",
		"internal/queue/queue.go":          "package queue\n",
		"internal/queue/testdata/fixture":  "data\n",
		"components/stack.go":              "package components\n",
		"docs/runbook.md":                  "# runbook\n",
		".git/objects/aa/bbbbbbbbbbbbbbbb": "object\n",
	})
	build := GoApp("producer", "linux/arm64")
	build.Root = root
	tag := func() string {
		t.Helper()
		got, err := ContentTag("producer", build)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	first := tag()
	if !regexp.MustCompile(`^producer-arm64-[0-9a-f]{24}$`).MatchString(first) || len(first) > 128 {
		t.Fatalf("tag %q: want producer-arm64-<24 hex>, within ECR's 128 characters", first)
	}
	if again := tag(); again != first {
		t.Fatalf("an unchanged tree gives %q then %q", first, again)
	}
	for _, p := range []string{"README.md", "cmd/producer/main_test.go", "internal/queue/testdata/fixture", "components/stack.go", "docs/runbook.md", ".git/objects/aa/bbbbbbbbbbbbbbbb"} {
		writeTree(t, root, map[string]string{p: "edited\n"})
		if got := tag(); got != first {
			t.Errorf("editing %s (outside the build context) changed the tag", p)
		}
	}
	changes := []struct {
		what string
		edit func()
	}{
		{"an app source file", func() { writeTree(t, root, map[string]string{"cmd/producer/main.go": "package main // v2\n"}) }},
		{"a shared package", func() { writeTree(t, root, map[string]string{"internal/queue/queue.go": "package queue // v2\n"}) }},
		{"a new source file", func() { writeTree(t, root, map[string]string{"internal/queue/more.go": "package queue\n"}) }},
		{"go.sum", func() { writeTree(t, root, map[string]string{"go.sum": "x v1.0.0 h1:abc=\n"}) }},
		{"the Dockerfile", func() { writeTree(t, root, map[string]string{GoAppDockerfile: string(realDockerfile) + "# edited\n"}) }},
		{"the executable bit", func() { os.Chmod(filepath.Join(root, "go.mod"), 0o755) }},
		{"the platform", func() { build.Platform = "linux/amd64" }},
		{"a build arg", func() { build.Args = map[string]string{"APP": "consumer"} }},
	}
	seen := map[string]string{first: "the original tree"}
	for _, c := range changes {
		c.edit()
		got := tag()
		if prev, dup := seen[got]; dup {
			t.Errorf("changing %s kept the tag of %s (%s)", c.what, prev, got)
		}
		seen[got] = c.what
	}
}

// The real repository: the two apps built from one tree get distinct tags
// (their docker-build resources are named by tag, so equal tags would clash).
func TestContentTagOfTheRepository(t *testing.T) {
	producer, err := ContentTag("producer", GoApp("producer", "linux/arm64"))
	if err != nil {
		t.Fatal(err)
	}
	consumer, err := ContentTag("consumer", GoApp("consumer", "linux/arm64"))
	if err != nil {
		t.Fatal(err)
	}
	if producer == consumer || producer[len("producer-arm64-"):] == consumer[len("consumer-arm64-"):] {
		t.Fatalf("producer %s and consumer %s share a hash", producer, consumer)
	}
}

// The .dockerignore allowlist and the Dockerfile's COPY sources must be the
// same set: a file copied but not let in fails the build, and a file let in
// but not copied would change the tag for nothing.
func TestDockerignoreMatchesTheDockerfile(t *testing.T) {
	ignore, err := readDockerignore("../..")
	if err != nil {
		t.Fatal(err)
	}
	var allowed []string
	for _, p := range ignore {
		if rest, ok := strings.CutPrefix(p, "!"); ok {
			allowed = append(allowed, rest)
		}
	}
	dockerfile, err := os.ReadFile("../../" + GoAppDockerfile)
	if err != nil {
		t.Fatal(err)
	}
	var copied []string
	for _, line := range strings.Split(string(dockerfile), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 3 || fields[0] != "COPY" || strings.HasPrefix(fields[1], "--from") {
			continue
		}
		copied = append(copied, fields[1:len(fields)-1]...)
	}
	slices.Sort(allowed)
	slices.Sort(copied)
	if !slices.Equal(allowed, copied) {
		t.Fatalf(".dockerignore lets in %v, the Dockerfile copies %v", allowed, copied)
	}
}
