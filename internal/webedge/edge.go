package webedge

import (
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// APIPrefix is the path CloudFront routes to the load balancer.
const APIPrefix = "/api/"

// Options say what the local edge serves.
type Options struct {
	// Site is the built frontend (frontend/dist).
	Site string
	// Assets, if set, is served under /assets/ as the assets bucket is.
	Assets string
	// API is the producer's base URL; /api/* goes there with the path,
	// query and every viewer header unchanged, Host included (the managed
	// AllViewer origin request policy).
	API *url.URL
}

// Handler is the distribution on one local origin: /api/* to the producer
// uncached, /assets/* from the assets directory, everything else from the
// built site through the SPA rewrite, with the same cache and security
// headers as CloudFront. It serves GET and HEAD only outside /api/, as the
// S3 behaviours allow.
func Handler(o Options) (http.Handler, error) {
	if o.API == nil || o.API.Scheme == "" || o.API.Host == "" {
		return nil, fmt.Errorf("webedge: the API base URL is required, like http://127.0.0.1:5080")
	}
	if _, err := os.Stat(filepath.Join(o.Site, "index.html")); err != nil {
		return nil, fmt.Errorf("webedge: %s has no index.html; build the frontend first (cd frontend && npm ci && npm run build): %w", o.Site, err)
	}
	api := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(o.API)
		r.Out.Host = r.In.Host
		r.SetXForwarded()
	}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		SetSecurityHeaders(w.Header())
		switch {
		case strings.HasPrefix(r.URL.Path, APIPrefix):
			api.ServeHTTP(w, r)
		case strings.HasPrefix(r.URL.Path, "/assets/") && o.Assets != "":
			serveFile(w, r, o.Assets, strings.TrimPrefix(r.URL.Path, "/assets/"))
		case strings.HasPrefix(r.URL.Path, "/assets/"):
			http.Error(w, "no assets directory", http.StatusNotFound)
		default:
			serveFile(w, r, o.Site, strings.TrimPrefix(RewriteSPA(r.URL.Path), "/"))
		}
	}), nil
}

// serveFile answers one object of a bucket: its content type and cache
// headers as uploaded, 403 for a key that is not there (S3 without
// s3:ListBucket, as the OAC policy grants), 405 for a write.
func serveFile(w http.ResponseWriter, r *http.Request, dir, key string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	clean := path.Clean("/" + key)[1:]
	file := filepath.Join(dir, filepath.FromSlash(clean))
	info, err := os.Stat(file)
	if clean == "" || err != nil || info.IsDir() {
		http.Error(w, "AccessDenied", http.StatusForbidden)
		return
	}
	ct, err := ContentType(clean)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Cache-Control", CacheControl(clean))
	http.ServeFile(w, r, file)
}
