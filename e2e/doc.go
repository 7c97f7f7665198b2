// Package e2e holds the end-to-end test of the web app: the built
// frontend and the real producer and consumer (on real Redis and MariaDB)
// behind the local edge, which routes as the CloudFront distribution
// does, driven by headless Chromium.
package e2e
