package frontend

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/internal/webedge"
)

// siteFile is one file of the built site and how S3 serves it.
type siteFile struct {
	key, path, contentType, cacheControl string
}

// siteFiles lists the built site in key order, each with its content type
// and Cache-Control; an unknown file type or a site without index.html is
// an error before anything is uploaded.
func siteFiles(dir string) ([]siteFile, error) {
	var files []siteFile
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		key := filepath.ToSlash(rel)
		ct, err := webedge.ContentType(key)
		if err != nil {
			return fmt.Errorf("frontend site %s: %w", dir, err)
		}
		files = append(files, siteFile{key: key, path: p, contentType: ct, cacheControl: webedge.CacheControl(key)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(files, func(f siteFile) bool { return f.key == "index.html" }) {
		return nil, fmt.Errorf("frontend site %s has no index.html; build it with npm ci && npm run build in frontend/", dir)
	}
	slices.SortFunc(files, func(a, b siteFile) int { return strings.Compare(a.key, b.key) })
	return files, nil
}

// upload puts every file of the site into the bucket. A file gone from
// the build is deleted with its resource; the versioned bucket keeps the
// old version for a rollback.
func upload(ctx *pulumi.Context, name string, bucket pulumi.StringInput, files []siteFile, opts ...pulumi.ResourceOption) error {
	for _, f := range files {
		if _, err := s3.NewBucketObjectv2(ctx, name+"/"+f.key, &s3.BucketObjectv2Args{
			Bucket:       bucket,
			Key:          pulumi.String(f.key),
			Source:       pulumi.NewFileAsset(f.path),
			ContentType:  pulumi.String(f.contentType),
			CacheControl: pulumi.String(f.cacheControl),
		}, opts...); err != nil {
			return fmt.Errorf("upload %s: %w", f.key, err)
		}
	}
	return nil
}
