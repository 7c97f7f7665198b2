// Package artifact supplies what the services and functions run: container
// images and Lambda packages, built at deploy, taken prebuilt from config,
// or (offline plan and tests only) stand-ins that build nothing.
package artifact

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	ecrx "github.com/pulumi/pulumi-awsx/sdk/v2/go/awsx/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/config"
)

// FixtureDigest is the digest the fixture images point at.
const FixtureDigest = "sha256:" + "0000000000000000000000000000000000000000000000000000000000000000"

// GoAppDockerfile builds any Go app of the repository (build arg APP).
const GoAppDockerfile = "images/goapp/Dockerfile"

// Image returns the image reference a service runs. In build mode awsx
// builds the Dockerfile with the build args for the platform and pushes it
// to the repository (its output is repo@sha256:digest, so a new build is a
// new task definition and an unchanged one is not).
func Image(ctx *pulumi.Context, name, dockerfile string, buildArgs map[string]string, platform string, a config.Artifacts, prebuilt string, repoURL pulumi.StringOutput, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	switch a.Mode {
	case config.ArtifactsPrebuilt:
		return pulumi.String(prebuilt).ToStringOutput(), nil
	case config.ArtifactsFixture:
		if err := fixtureAllowed(ctx); err != nil {
			return pulumi.StringOutput{}, err
		}
		return pulumi.Sprintf("%s@%s", repoURL, FixtureDigest), nil
	}
	img, err := ecrx.NewImage(ctx, name, &ecrx.ImageArgs{
		RepositoryUrl: repoURL,
		Context:       pulumi.String("."),
		Dockerfile:    pulumi.String(dockerfile),
		Args:          pulumi.ToStringMap(buildArgs),
		Platform:      pulumi.String(platform),
	}, opts...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("build image %s: %w", name, err)
	}
	return img.ImageUri, nil
}

// Package is a Lambda deployment package and the hash Lambda compares.
type Package struct {
	Archive pulumi.Archive
	// SHA256 is the base64 SHA-256 of the zip (Lambda's source_code_hash),
	// so a changed build updates the function and re-runs what it drives.
	SHA256 string
}

// LambdaZip returns the package of cmd/<app>. In build mode it compiles the
// function for linux/arm64 (provided.al2023) and zips it itself, writing
// the bootstrap with mode 0755: Pulumi's own archiving drops Unix modes.
func LambdaZip(ctx *pulumi.Context, app string, a config.Artifacts, prebuilt string) (*Package, error) {
	switch a.Mode {
	case config.ArtifactsPrebuilt:
		b, err := os.ReadFile(prebuilt)
		if err != nil {
			return nil, fmt.Errorf("artifacts: read %s: %w", prebuilt, err)
		}
		return &Package{Archive: pulumi.NewFileArchive(prebuilt), SHA256: hash(b)}, nil
	case config.ArtifactsFixture:
		if err := fixtureAllowed(ctx); err != nil {
			return nil, err
		}
		body := "#!/bin/sh\necho 'fixture package of " + app + ": the offline plan builds nothing'\n"
		return &Package{
			Archive: pulumi.NewAssetArchive(map[string]any{"bootstrap": pulumi.NewStringAsset(body)}),
			SHA256:  hash([]byte(body)),
		}, nil
	}
	dir, err := os.MkdirTemp("", "pushplatform-"+app+"-")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "bootstrap")
	cmd := exec.Command("go", "build", "-trimpath", "-tags", "lambda.norpc", "-ldflags", "-s -w", "-o", bin, "./cmd/"+app)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("artifacts: go build ./cmd/%s: %w\n%s", app, err, strings.TrimSpace(string(out)))
	}
	zipPath := filepath.Join(dir, app+".zip")
	b, err := zipBootstrap(bin)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(zipPath, b, 0o644); err != nil {
		return nil, err
	}
	return &Package{Archive: pulumi.NewFileArchive(zipPath), SHA256: hash(b)}, nil
}

// zipBootstrap zips one executable as "bootstrap", mode 0755.
func zipBootstrap(bin string) ([]byte, error) {
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	hdr := &zip.FileHeader{Name: "bootstrap", Method: zip.Deflate}
	hdr.SetMode(0o755)
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func hash(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}

func fixtureAllowed(ctx *pulumi.Context) error {
	if !ctx.RunningWithMocks() {
		return fmt.Errorf("artifacts.mode = fixture: stand-in artifacts are for the offline plan and tests; deploy with build or prebuilt")
	}
	return nil
}
