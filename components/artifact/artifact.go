// Package artifact supplies what the services and functions run: container
// images and Lambda packages, built at deploy, taken prebuilt from config,
// or (offline plan and tests only) stand-ins that build nothing.
package artifact

import (
	"archive/zip"
	"bytes"
	"context"
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

// GoAppDockerfile builds any Go app of the repository (build arg APP); its
// context is the repository root, narrowed by the root .dockerignore.
const GoAppDockerfile = "images/goapp/Dockerfile"

// GoApp is how a Go app of this repository is built for a platform.
func GoApp(app, platform string) Build {
	return Build{Context: ".", Dockerfile: GoAppDockerfile, Args: map[string]string{"APP": app}, Platform: platform}
}

// ImageArgs says which image a service runs and where it comes from.
type ImageArgs struct {
	// App is the app's name, the key of artifacts.images and the tag prefix.
	App string
	// Repository receives the image in build mode.
	Repository *Repository
	// Build says how the image is built.
	Build Build
	// Artifacts is the stack's artifact configuration.
	Artifacts config.Artifacts
}

// Image returns the image reference a service runs.
//   - build: awsx builds and pushes the image under its content tag
//     (ContentTag) and returns repo@sha256:digest, so a new build is a new
//     task definition and an unchanged tree is neither rebuilt nor retagged.
//   - prebuilt: the reference from artifacts.images.<app>.
//   - fixture (offline plan and tests): the reference the build would
//     push, repo:<content tag>, without building.
func Image(ctx *pulumi.Context, name string, args ImageArgs, opts ...pulumi.ResourceOption) (pulumi.StringOutput, error) {
	a := args.Artifacts
	if a.Mode == config.ArtifactsPrebuilt {
		return pulumi.String(a.Image(args.App)).ToStringOutput(), nil
	}
	if args.Repository == nil {
		return pulumi.StringOutput{}, fmt.Errorf("image %s: a repository is required to build into", name)
	}
	tag, err := ContentTag(args.App, args.Build)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("image %s: %w", name, err)
	}
	if a.Mode == config.ArtifactsFixture {
		if err := fixtureAllowed(ctx); err != nil {
			return pulumi.StringOutput{}, err
		}
		return pulumi.Sprintf("%s:%s", args.Repository.URL, tag), nil
	}
	b := args.Build
	img, err := ecrx.NewImage(ctx, name, &ecrx.ImageArgs{
		RepositoryUrl: args.Repository.URL,
		ImageTag:      pulumi.String(tag),
		Context:       pulumi.String(b.Context),
		Dockerfile:    pulumi.String(b.Dockerfile),
		Args:          pulumi.ToStringMap(b.Args),
		Platform:      pulumi.String(b.Platform),
	}, append(opts, pulumi.Transforms([]pulumi.ResourceTransform{KeepPushedImages}))...)
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("build image %s: %w", name, err)
	}
	return img.ImageUri, nil
}

// KeepPushedImages retains the docker-build image awsx creates inside
// ecr.Image. awsx names that resource by the tag, so a new content tag is a
// new resource and the old one is deleted, and docker-build's delete
// removes the pushed manifest from the registry (provider/internal
// client.go, ManifestDelete). Retained, the previous images stay in ECR
// for a circuit-breaker or runbook rollback, and the repository's
// lifecycle policy expires them instead. A transform reaches the
// component's children, which no option passed to awsx does.
func KeepPushedImages(_ context.Context, args *pulumi.ResourceTransformArgs) *pulumi.ResourceTransformResult {
	if args.Type != "docker-build:index:Image" {
		return nil
	}
	opts := args.Opts
	opts.RetainOnDelete = true
	return &pulumi.ResourceTransformResult{Props: args.Props, Opts: opts}
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
func LambdaZip(ctx *pulumi.Context, app string, a config.Artifacts) (*Package, error) {
	switch a.Mode {
	case config.ArtifactsPrebuilt:
		prebuilt := a.Package(app)
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

// AutopushDockerfile builds autopush-rs 1.71.7 (autoconnect and
// autoendpoint) with the Go entrypoint; its context is the repository.
const AutopushDockerfile = "images/autopush/Dockerfile"

// Autopush is how the autopush image is built for a platform.
func Autopush(platform string) Build {
	return Build{Context: ".", Dockerfile: AutopushDockerfile, Args: map[string]string{}, Platform: platform}
}
