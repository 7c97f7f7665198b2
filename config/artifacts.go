package config

import (
	"regexp"
	"strings"
)

// Artifact modes.
const (
	// ArtifactsBuild builds each service app's image with Docker at
	// `pulumi up` (tagged by its content, see components/artifact) and each
	// function app's package with `go build`.
	ArtifactsBuild = "build"
	// ArtifactsPrebuilt takes image references and package paths from
	// config (artifacts.images.<app>, artifacts.packages.<app>), for CI that
	// built and scanned them already.
	ArtifactsPrebuilt = "prebuilt"
	// ArtifactsFixture uses stand-ins and builds nothing: the offline plan
	// and the tests only (the program refuses it outside the mock engine).
	ArtifactsFixture = "fixture"
)

// Artifacts is the resolved artifact configuration.
type Artifacts struct {
	Mode string `json:"mode"`
	// Images are the prebuilt image references by service app.
	Images map[string]string `json:"images,omitempty"`
	// Packages are the prebuilt function packages (.zip paths) by function app.
	Packages map[string]string `json:"packages,omitempty"`
	// Sites are the prebuilt static sites (directories) by site app.
	Sites map[string]string `json:"sites,omitempty"`
	// Protect keeps the image repositories: Pulumi protect and
	// retainOnDelete, and no forceDelete, so a destroy never takes the
	// images a rollback needs. Off, a destroy deletes them with their images.
	Protect bool `json:"protect"`
}

// Image is the prebuilt image of a service app ("" unless mode is prebuilt).
func (a Artifacts) Image(app string) string { return a.Images[app] }

// Package is the prebuilt package of a function app ("" unless prebuilt).
func (a Artifacts) Package(app string) string { return a.Packages[app] }

// Site is the prebuilt site directory of a site app ("" unless prebuilt).
func (a Artifacts) Site(app string) string { return a.Sites[app] }

var imageRef = regexp.MustCompile(`^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$`)

func resolveArtifacts(in ArtifactsInput, p profile, errs *Errors) Artifacts {
	a := Artifacts{
		Mode:     deref(in.Mode, ArtifactsBuild),
		Images:   in.Images,
		Packages: in.Packages,
		Sites:    in.Sites,
		Protect:  deref(in.Protect, p.ProtectData),
	}
	checkAppKeys("artifacts.images", a.Images, ServiceApp, errs)
	checkAppKeys("artifacts.packages", a.Packages, FunctionApp, errs)
	checkAppKeys("artifacts.sites", a.Sites, SiteApp, errs)
	switch a.Mode {
	case ArtifactsBuild, ArtifactsFixture:
		for _, m := range []struct {
			key string
			set map[string]string
		}{{"artifacts.images", a.Images}, {"artifacts.packages", a.Packages}, {"artifacts.sites", a.Sites}} {
			if len(m.set) > 0 {
				errs.add(m.key, "", "is only read with mode prebuilt; with mode %s the program builds every artifact: remove it or set artifacts.mode prebuilt", a.Mode)
			}
		}
	case ArtifactsPrebuilt:
		for _, app := range AppNames(ServiceApp) {
			if ref := a.Images[app]; !imageRef.MatchString(ref) {
				errs.add("artifacts.images."+app, quote(ref), "with mode prebuilt: an image reference, preferably by digest (<registry>/<repo>@sha256:<64 hex>)")
			}
		}
		for _, app := range AppNames(FunctionApp) {
			if zip := a.Packages[app]; !strings.HasSuffix(zip, ".zip") {
				errs.add("artifacts.packages."+app, quote(zip), "with mode prebuilt: the path of the %s function's .zip (bootstrap inside, mode 0755)", app)
			}
		}
		for _, app := range AppNames(SiteApp) {
			if dir := a.Sites[app]; dir == "" {
				errs.add("artifacts.sites."+app, `""`, "with mode prebuilt: the directory of the built %s (npm run build's output, with index.html)", app)
			}
		}
	default:
		errs.add("artifacts.mode", quote(a.Mode), "allowed: build (Docker, go build and npm at deploy), prebuilt (references from config), fixture (offline plan and tests only)")
	}
	return a
}
