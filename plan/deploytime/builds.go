package deploytime

import (
	"strings"
	"time"

	"github.com/pushplatform/pushplatform/plan"
)

// Image builds. The plan records no awsx ecr.Image (it swaps stand-in
// artifacts in), but with artifacts.mode build a real `pulumi up` builds
// and pushes every image before a task definition can name it. The build
// is charged to the image's ECR repository, which every task definition
// of that image already waits on.
var (
	goImageBuild = Basis{3 * time.Minute, "estimate (unverified): images/goapp/Dockerfile, a multi-stage Go build of one binary and a push of a ~20 MB image"}
	rustBuild    = Basis{20 * time.Minute, "estimate (unverified): images/autopush/Dockerfile compiles autoconnect and autoendpoint (autopush-rs 1.71.7) with cargo in release mode from a clean cache, then pushes"}
)

// WithImageBuilds re-estimates res as a deploy that builds its images
// (artifacts.mode build).
func WithImageBuilds(res *plan.Result) *Result {
	return estimate(res, true)
}

func (g *graph) addImageBuilds() {
	for i, r := range g.nodes {
		if r.Type != "aws:ecr/repository:Repository" {
			continue
		}
		build := goImageBuild
		if name := r.InputString("name"); strings.HasSuffix(name, "/autoconnect") || strings.HasSuffix(name, "/autoendpoint") {
			build = rustBuild
		}
		g.basis[i] = Basis{g.basis[i].Duration + build.Duration, g.basis[i].Source + "; then the image build: " + build.Source}
	}
}
