package webedge

import (
	"fmt"
	"path"
	"strings"
)

// HashedDir is where the Vite build puts its content-hashed files
// (build.assetsDir in frontend/vite.config.js). Not "assets": CloudFront
// sends /assets/* to the assets bucket.
const HashedDir = "static"

// Cache-Control values of the uploaded files.
const (
	// CacheImmutable: a hashed file never changes under its name.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheRevalidate: index.html and the other unhashed files name the
	// current build, so browsers and CloudFront ask again every time.
	CacheRevalidate = "no-cache"
)

// CacheControl is the Cache-Control of an object of the built site, by its
// key (a slash-separated path relative to the build directory).
func CacheControl(key string) string {
	if strings.HasPrefix(key, HashedDir+"/") {
		return CacheImmutable
	}
	return CacheRevalidate
}

// contentTypes is the one table of content types, so the type does not
// depend on the machine's mime.types (Go's mime package reads it).
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".txt":         "text/plain; charset=utf-8",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".avif":        "image/avif",
	".ico":         "image/x-icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
}

// ContentType is the Content-Type of an object by its key. A file type
// outside the table is an error naming the file: served as
// application/octet-stream (S3's default) a browser would refuse it under
// X-Content-Type-Options: nosniff.
func ContentType(key string) (string, error) {
	ext := strings.ToLower(path.Ext(key))
	if t, ok := contentTypes[ext]; ok {
		return t, nil
	}
	known := make([]string, 0, len(contentTypes))
	for e := range contentTypes {
		known = append(known, e)
	}
	return "", fmt.Errorf("%s: no content type for %q files; known: %s (add it to internal/webedge/objects.go)", key, ext, strings.Join(sorted(known), " "))
}
