package config

import (
	"regexp"
	"strings"
)

// Artifact modes.
const (
	// ArtifactsBuild builds images from images/goapp/Dockerfile (APP=<app>) with Docker
	// at `pulumi up` (and preview) and function packages with `go build`.
	ArtifactsBuild = "build"
	// ArtifactsPrebuilt takes image references and package paths from
	// config, for CI that built and scanned them already.
	ArtifactsPrebuilt = "prebuilt"
	// ArtifactsFixture uses stand-ins and builds nothing: the offline plan
	// and the tests only (the program refuses it outside the mock engine).
	ArtifactsFixture = "fixture"
)

// Artifacts is the resolved artifact configuration.
type Artifacts struct {
	Mode          string `json:"mode"`
	ProducerImage string `json:"producerImage,omitempty"`
	ConsumerImage string `json:"consumerImage,omitempty"`
	MigrateZip    string `json:"migrateZip,omitempty"`
}

var imageRef = regexp.MustCompile(`^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]{1,128}|@sha256:[0-9a-f]{64})$`)

func resolveArtifacts(in ArtifactsInput, errs *Errors) Artifacts {
	a := Artifacts{
		Mode:          deref(in.Mode, ArtifactsBuild),
		ProducerImage: deref(in.ProducerImage, ""),
		ConsumerImage: deref(in.ConsumerImage, ""),
		MigrateZip:    deref(in.MigrateZip, ""),
	}
	switch a.Mode {
	case ArtifactsBuild, ArtifactsFixture:
	case ArtifactsPrebuilt:
		for _, img := range []struct{ key, value string }{{"artifacts.producerImage", a.ProducerImage}, {"artifacts.consumerImage", a.ConsumerImage}} {
			if !imageRef.MatchString(img.value) {
				errs.add(img.key, quote(img.value), "with mode prebuilt: an image reference, preferably by digest (<registry>/<repo>@sha256:<64 hex>)")
			}
		}
		if !strings.HasSuffix(a.MigrateZip, ".zip") {
			errs.add("artifacts.migrateZip", quote(a.MigrateZip), "with mode prebuilt: the path of the migrate function's .zip (bootstrap inside, mode 0755)")
		}
	default:
		errs.add("artifacts.mode", quote(a.Mode), "allowed: build (Docker and go build at deploy), prebuilt (references from config), fixture (offline plan and tests only)")
	}
	return a
}
