// Command plan is the offline plan: it runs the Pulumi program on the mock
// engine with a committed stack file and prints what `pulumi up` would
// create, with no AWS account and no Pulumi CLI.
//
//	go run ./cmd/plan -stack prod
//	go run ./cmd/plan -stack dev -format json
//
// Exit codes: 0 clean, 1 findings (bad config, a failing program, a call
// that would reach AWS), 2 usage. `go run` reports every non-zero exit of
// the program as 1, so CI that tells them apart runs the built binary:
// go build -o bin/plan ./cmd/plan && bin/plan -stack prod.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pushplatform/pushplatform/components"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1 // the program failed, or would call AWS during preview
	exitUsage    = 2 // bad flags or an unknown stack
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stack := fs.String("stack", "dev", "the stack to plan: any Pulumi.<stack>.yaml in -dir")
	format := fs.String("format", "text", "output format: text or json")
	dir := fs.String("dir", ".", "the project directory, holding Pulumi.yaml")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "plan: -format %q: allowed: text, json\n", *format)
		return exitUsage
	}

	sc, err := plan.LoadStackConfig(*dir, *stack)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitUsage
	}
	// The configuration as committed is checked first, as `pulumi preview`
	// would check it: artifacts included (a misspelled mode, or prebuilt
	// without its references, fails here, not at preview).
	cfg, err := config.Resolve(sc.Project, sc.Stack, sc.Values)
	if err != nil {
		fmt.Fprintf(stderr, "plan: stack %s: %v\n", sc.Stack, err)
		return exitFindings
	}
	// Only then does the plan swap in stand-ins: it builds nothing.
	if err := sc.UseFixtureArtifacts(); err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitUsage
	}
	res, err := plan.Run(sc, components.Stack)
	if err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitFindings
	}
	rep := plan.NewReport(res, cfg)

	if *format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintf(stderr, "plan: %v\n", err)
			return exitFindings
		}
	} else {
		rep.WriteText(stdout)
	}

	if len(rep.AWSCalls) > 0 {
		fmt.Fprintf(stderr, "plan: %d invoke(s) would call AWS during preview: %v\n", len(rep.AWSCalls), rep.AWSCalls)
		return exitFindings
	}
	return exitOK
}
