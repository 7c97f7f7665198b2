// Package webedge holds what the browser sees of the site's edge, in one
// place for both places that serve it: the CloudFront distribution
// (components/frontend turns these values into a response headers policy,
// object metadata and a viewer-request function) and the local edge
// (Handler: localrun and the browser test), so a page that passes the
// local edge's Content-Security-Policy passes CloudFront's.
package webedge

import (
	"fmt"
	"net/http"
	"strings"
)

// ContentSecurityPolicy allows the page to load scripts, styles, images and
// fonts from its own origin and to call its own origin (the /api route),
// nothing inline and nothing else; it cannot be framed. The Vite build
// emits no inline script or style (frontend/vite.config.js).
var ContentSecurityPolicy = strings.Join([]string{
	"default-src 'none'",
	"script-src 'self'",
	"style-src 'self'",
	"img-src 'self'",
	"font-src 'self'",
	"connect-src 'self'",
	"manifest-src 'self'",
	"base-uri 'none'",
	"form-action 'none'",
	"frame-ancestors 'none'",
}, "; ")

// Security headers on every response of the site.
const (
	// HSTSMaxAgeSeconds is two years, the minimum the HSTS preload list
	// accepts; includeSubDomains is left to the domain's owner (a custom
	// domain may have HTTP-only subdomains this stack does not know of).
	HSTSMaxAgeSeconds = 63072000
	// FrameOption forbids framing (with frame-ancestors 'none').
	FrameOption = "DENY"
	// ReferrerPolicy sends only the origin to other sites, nothing over
	// a downgrade to HTTP.
	ReferrerPolicy = "strict-origin-when-cross-origin"
)

// HSTS is the Strict-Transport-Security value CloudFront sends.
func HSTS() string { return fmt.Sprintf("max-age=%d", HSTSMaxAgeSeconds) }

// SetSecurityHeaders sets the headers the distribution's response headers
// policy sets, overriding what the origin sent, as the policy does.
func SetSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("Strict-Transport-Security", HSTS())
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", FrameOption)
	h.Set("Referrer-Policy", ReferrerPolicy)
}
