package frontend

// CloudFront's managed policies, by the IDs AWS documents for them
// (CloudFront developer guide, "Use managed cache policies" and "Use
// managed origin request policies"). Constants, not look-ups: a preview
// needs no AWS call, and the IDs are the same in every account.
const (
	// CachingOptimized caches by path only, honours the origin's
	// Cache-Control within 1 s to 1 year, and compresses (gzip, br).
	CachingOptimized = "658327ea-f89d-4fab-a63d-7e88639e58f6"
	// CachingDisabled never caches: every /api request reaches the origin.
	CachingDisabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
	// AllViewer forwards every viewer header (Host and Origin included),
	// cookie and query string to the origin. The ALB routes by path, so the
	// viewer's Host is harmless there, and the producer sees the page's
	// own origin in Origin.
	AllViewer = "216adef6-5c7f-47e4-b989-5492eafa07d3"
)

// Methods a behaviour may allow: CloudFront accepts only these three sets.
var (
	readMethods   = []string{"GET", "HEAD"}
	allMethods    = []string{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"}
	cachedMethods = []string{"GET", "HEAD"}
)

// Origin IDs of the distribution.
const (
	OriginSite   = "site"   // the frontend bucket
	OriginAssets = "assets" // the assets bucket
	OriginAPI    = "api"    // the internal ALB, through the VPC origin
)

// Path patterns of the ordered behaviours.
const (
	PathAPI    = "/api/*"
	PathAssets = "/assets/*"
)
