package config

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// AppKind says how an app runs, and so which config it takes.
type AppKind string

const (
	// ServiceApp is a container image on Fargate: it is sized by
	// services.<app> and its image comes from artifacts.images.<app>.
	ServiceApp AppKind = "service"
	// FunctionApp is a Lambda package: artifacts.packages.<app>.
	FunctionApp AppKind = "function"
	// SiteApp is a static site built with npm and served by CloudFront:
	// artifacts.sites.<app> (a directory holding index.html).
	SiteApp AppKind = "site"
)

// App is one program the platform deploys.
type App struct {
	Name string
	Kind AppKind
}

// Apps is the program's declared list of apps. Config keyed by app name
// (services.<app>, artifacts.images.<app>, artifacts.packages.<app>) is
// checked against it, so adding an app is one entry here plus the component
// that deploys it.
var Apps = []App{
	{Name: "producer", Kind: ServiceApp},
	{Name: "consumer", Kind: ServiceApp},
	{Name: "autoconnect", Kind: ServiceApp},
	{Name: "autoendpoint", Kind: ServiceApp},
	{Name: "pushmessages", Kind: ServiceApp},
	{Name: "migrate", Kind: FunctionApp},
	{Name: "pushprocessor", Kind: FunctionApp},
	{Name: "frontend", Kind: SiteApp},
}

// AppNames lists the declared apps of one kind, in declaration order.
func AppNames(kind AppKind) []string {
	var names []string
	for _, a := range Apps {
		if a.Kind == kind {
			names = append(names, a.Name)
		}
	}
	return names
}

// checkAppKeys reports every key of an app-keyed map that names no declared
// app of the kind, with the closest declared name as a suggestion.
func checkAppKeys[V any](path string, m map[string]V, kind AppKind, errs *Errors) {
	known := AppNames(kind)
	for _, name := range slices.Sorted(maps.Keys(m)) {
		if slices.Contains(known, name) {
			continue
		}
		problem := fmt.Sprintf("unknown %s app; declared %s apps: %s (config/apps.go)", kind, kind, strings.Join(known, ", "))
		if s := closest(name, known); s != "" {
			problem += "; did you mean " + s + "?"
		}
		errs.add(path+"."+name, "", "%s", problem)
	}
}

// decodeAppMap decodes an object keyed by app name whose values are objects
// of type T, each decoded strictly under <path>.<app>.
func decodeAppMap[T any](path string, data []byte, kind AppKind, errs *Errors) map[string]*T {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil && !isNull(data) {
		errs.add(path, compact(data), "must be an object keyed by app name (%s)", strings.Join(AppNames(kind), ", "))
		return nil
	}
	checkAppKeys(path, raw, kind, errs)
	out := map[string]*T{}
	for _, name := range slices.Sorted(maps.Keys(raw)) {
		if !slices.Contains(AppNames(kind), name) || isNull(raw[name]) {
			continue
		}
		v := new(T)
		decodeStrict(path+"."+name, raw[name], v, errs)
		out[name] = v
	}
	return out
}
