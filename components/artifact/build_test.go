package artifact_test

import (
	"context"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/artifact"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/plantest"
)

// In build mode awsx builds and pushes under the content tag, for the
// platform asked, and the docker-build image inside it is retained on
// delete, so a new tag never deletes the previous image from ECR.
func TestBuildModeImage(t *testing.T) {
	sc := plantest.Config(t, "dev")
	want, err := artifact.ContentTag("producer", artifact.GoApp("producer", "linux/arm64"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := plan.Run(sc, func(ctx *pulumi.Context) error {
		repo, err := artifact.NewRepository(ctx, "app-producer", "producer", false)
		if err != nil {
			return err
		}
		_, err = artifact.Image(ctx, "app-producer-image", artifact.ImageArgs{
			App: "producer", Repository: repo, Build: artifact.GoApp("producer", "linux/arm64"),
			Artifacts: config.Artifacts{Mode: config.ArtifactsBuild},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	img := plantest.One(t, res, "awsx:ecr:Image", "app-producer-image")
	if !img.Remote || img.InputString("imageTag") != want || img.InputString("platform") != "linux/arm64" ||
		img.InputString("dockerfile") != artifact.GoAppDockerfile || img.InputString("context") != "." {
		t.Errorf("image inputs = %v, want tag %s for linux/arm64", img.PlainInputs(), want)
	}
	if img.Transforms != 1 {
		t.Errorf("image has %d transforms, want the one that keeps pushed images", img.Transforms)
	}

	keep := artifact.KeepPushedImages(context.Background(), &pulumi.ResourceTransformArgs{Type: "docker-build:index:Image", Name: want})
	if keep == nil || !keep.Opts.RetainOnDelete {
		t.Errorf("docker-build images are not retained on delete: %+v", keep)
	}
	if other := artifact.KeepPushedImages(context.Background(), &pulumi.ResourceTransformArgs{Type: "aws:ecr/repository:Repository"}); other != nil {
		t.Errorf("the transform changes other resources: %+v", other)
	}
}
