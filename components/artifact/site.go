package artifact

import (
	"crypto/sha256"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/config"
)

// fixtureSite is the small stand-in site the offline plan and the tests
// upload, so neither needs node or a prior npm build.
//
//go:embed fixturesite
var fixtureSite embed.FS

// Site returns the directory of a built static site. In build mode it
// runs `npm ci` and `npm run build` in the app's directory (frontend/)
// into a fresh temp directory, so the deploy uploads exactly what the
// lockfile builds; prebuilt takes artifacts.sites.<app>; fixture writes
// the stand-in.
func Site(ctx *pulumi.Context, app string, a config.Artifacts) (string, error) {
	switch a.Mode {
	case config.ArtifactsPrebuilt:
		return checkSite(a.Site(app))
	case config.ArtifactsFixture:
		if err := fixtureAllowed(ctx); err != nil {
			return "", err
		}
		return writeFixtureSite()
	}
	out, err := os.MkdirTemp("", "pushplatform-"+app+"-")
	if err != nil {
		return "", err
	}
	dist := filepath.Join(out, "dist")
	for _, args := range [][]string{
		{"ci", "--no-audit", "--no-fund"},
		{"run", "build", "--", "--outDir", dist, "--emptyOutDir"},
	} {
		cmd := exec.Command("npm", args...)
		cmd.Dir = app
		if b, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("artifacts: npm %s in %s/: %w\n%s", strings.Join(args, " "), app, err, strings.TrimSpace(string(b)))
		}
	}
	return checkSite(dist)
}

func checkSite(dir string) (string, error) {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return "", fmt.Errorf("artifacts: site %q has no index.html (want the output of npm run build): %w", dir, err)
	}
	return dir, nil
}

// writeFixtureSite writes the stand-in under a name derived from its
// content, so every run uploads the same paths (the plan is deterministic).
func writeFixtureSite() (string, error) {
	sum := sha256.New()
	if err := fs.WalkDir(fixtureSite, "fixturesite", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fixtureSite.ReadFile(p)
		fmt.Fprintf(sum, "%s %d\n", p, len(b))
		sum.Write(b)
		return err
	}); err != nil {
		return "", err
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("pushplatform-fixture-site-%x", sum.Sum(nil)[:8]))
	if _, err := os.Stat(dir); err == nil {
		return dir, nil // complete: it only ever appears by the rename below
	}
	// Written aside and renamed into place whole, so parallel runs (test
	// packages) never see a half-written site.
	tmp, err := os.MkdirTemp(os.TempDir(), "pushplatform-fixture-site-tmp-")
	if err != nil {
		return "", err
	}
	err = fs.WalkDir(fixtureSite, "fixturesite", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fixtureSite.ReadFile(p)
		if err != nil {
			return err
		}
		dst := filepath.Join(tmp, filepath.FromSlash(strings.TrimPrefix(p, "fixturesite/")))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if _, statErr := os.Stat(dir); statErr == nil {
			return dir, nil // another run renamed its copy first
		}
		return "", err
	}
	return dir, nil
}
