package main

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// corsPolicy decides which browser origins may call the API. The seed's
// Flask producer allowed every origin; "*" keeps that default. A list of
// exact origins (the CloudFront site) is the tighter setting.
type corsPolicy struct {
	any     bool
	origins []string
}

// parseCORS reads CORS_ALLOW_ORIGIN: "*" or a comma-separated list of
// origins such as https://app.example.com (scheme, host, optional port; no
// path). It names the entry that is wrong.
func parseCORS(setting string) (corsPolicy, error) {
	setting = strings.TrimSpace(setting)
	if setting == "*" {
		return corsPolicy{any: true}, nil
	}
	var p corsPolicy
	for _, o := range strings.Split(setting, ",") {
		o = strings.TrimSpace(o)
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.User != nil {
			return corsPolicy{}, fmt.Errorf("CORS_ALLOW_ORIGIN=%q: %q is not an origin; want * or a comma-separated list like https://app.example.com,http://localhost:3000", setting, o)
		}
		p.origins = append(p.origins, strings.ToLower(o))
	}
	return p, nil
}

// apply sets the response headers for the request's Origin and reports
// whether that origin is allowed (true for requests without Origin:
// curl and server-side callers are not subject to CORS).
func (p corsPolicy) apply(h http.Header, origin string) bool {
	if origin == "" {
		return true
	}
	if p.any {
		h.Set("Access-Control-Allow-Origin", "*")
		return true
	}
	h.Add("Vary", "Origin")
	if slices.Contains(p.origins, strings.ToLower(origin)) {
		h.Set("Access-Control-Allow-Origin", origin)
		return true
	}
	return false
}

func (p corsPolicy) String() string {
	if p.any {
		return "*"
	}
	return strings.Join(p.origins, ",")
}
