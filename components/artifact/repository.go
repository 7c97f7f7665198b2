package artifact

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/components/internal/safety"
	"github.com/pushplatform/pushplatform/config"
)

// Repository is one app's ECR repository.
type Repository struct {
	// URL is where images are pushed (<registry>/<name>).
	URL pulumi.StringOutput
	// Arn is what an execution role may pull from.
	Arn pulumi.StringOutput
}

// NewRepository creates an app's image repository: tags are immutable (a
// tag always means the same image, which content tags guarantee), every
// push is scanned, and old images expire. With protect (prod) the
// repository is protected and retained and refuses deletion while it holds
// images; without it (dev) a destroy deletes it with its images
// (forceDelete), so the stack goes in one `pulumi destroy`.
func NewRepository(ctx *pulumi.Context, name, app string, protect bool, opts ...pulumi.ResourceOption) (*Repository, error) {
	repo, err := ecr.NewRepository(ctx, name, &ecr.RepositoryArgs{
		Name:                       pulumi.String(config.RepositoryName(ctx.Stack(), app)),
		ImageTagMutability:         pulumi.String("IMMUTABLE"),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(true)},
		EncryptionConfigurations: ecr.RepositoryEncryptionConfigurationArray{
			&ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String("AES256")},
		},
		ForceDelete: pulumi.Bool(!protect),
		Tags:        pulumi.StringMap{"Name": pulumi.String(name)},
	}, safety.Stateful(protect, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("create repository %s: %w", app, err)
	}
	if _, err := ecr.NewLifecyclePolicy(ctx, name, &ecr.LifecyclePolicyArgs{
		Repository: repo.Name,
		Policy:     pulumi.String(repositoryLifecycle()),
	}, opts...); err != nil {
		return nil, fmt.Errorf("repository %s lifecycle: %w", app, err)
	}
	return &Repository{URL: repo.RepositoryUrl, Arn: repo.Arn}, nil
}

// lifecycleRule is one ECR lifecycle policy rule (ECR user guide,
// "Lifecycle policy parameters").
type lifecycleRule struct {
	RulePriority int    `json:"rulePriority"`
	Description  string `json:"description"`
	Selection    struct {
		TagStatus   string `json:"tagStatus"`
		CountType   string `json:"countType"`
		CountUnit   string `json:"countUnit,omitempty"`
		CountNumber int    `json:"countNumber"`
	} `json:"selection"`
	Action struct {
		Type string `json:"type"`
	} `json:"action"`
}

// repositoryLifecycle drops untagged layers after a week and keeps the
// newest 30 images, enough to roll back far.
func repositoryLifecycle() string {
	untagged := lifecycleRule{RulePriority: 1, Description: "Untagged images after 7 days"}
	untagged.Selection.TagStatus, untagged.Selection.CountType = "untagged", "sinceImagePushed"
	untagged.Selection.CountUnit, untagged.Selection.CountNumber = "days", 7
	untagged.Action.Type = "expire"
	keep := lifecycleRule{RulePriority: 2, Description: "Keep the newest 30 images"}
	keep.Selection.TagStatus, keep.Selection.CountType, keep.Selection.CountNumber = "any", "imageCountMoreThan", 30
	keep.Action.Type = "expire"
	b, _ := json.Marshal(map[string]any{"rules": []lifecycleRule{untagged, keep}})
	return string(b)
}
