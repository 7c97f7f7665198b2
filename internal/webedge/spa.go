package webedge

import (
	_ "embed"
	"slices"
	"strings"
)

// SPARewriteJS is the CloudFront Function (cloudfront-js-2.0, viewer
// request) on the default behaviour: it sends every path whose last
// segment has no file extension to /index.html, so a deep link into the
// single-page app loads the app. It is attached to the default behaviour
// only; a distribution-wide custom error response would also turn the
// API's own 403 and 404 answers into the page.
//
//go:embed spa-rewrite.js
var SPARewriteJS string

// RewriteSPA is SPARewriteJS in Go, for the local edge; a test runs both
// over the same paths.
func RewriteSPA(uri string) string {
	if strings.Contains(uri[strings.LastIndex(uri, "/")+1:], ".") {
		return uri
	}
	return "/index.html"
}

func sorted(s []string) []string {
	slices.Sort(s)
	return s
}
