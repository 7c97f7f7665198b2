// Command edgeproxy is the CloudFront distribution on one local origin:
// the built frontend with the SPA rewrite and the site's security and
// cache headers, and /api/* passed to the producer unchanged.
// scripts/localrun.sh runs it so the whole app opens in a browser.
package main

import (
	"flag"
	"log"
	"net/http"
	"net/url"

	"github.com/pushplatform/pushplatform/internal/webedge"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8080", "address to serve on")
	site := flag.String("site", "frontend/dist", "the built frontend")
	assets := flag.String("assets", "", "a directory served under /assets/ (the assets bucket)")
	api := flag.String("api", "http://127.0.0.1:5080", "the producer's base URL")
	flag.Parse()
	u, err := url.Parse(*api)
	if err != nil {
		log.Fatalf("edgeproxy: -api %q: %v", *api, err)
	}
	h, err := webedge.Handler(webedge.Options{Site: *site, Assets: *assets, API: u})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("edgeproxy: http://%s (site %s, /api/* to %s)", *listen, *site, u)
	log.Fatal(http.ListenAndServe(*listen, h))
}
