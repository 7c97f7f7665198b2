// Command plan is the offline plan: it runs the Pulumi program on the mock
// engine with a committed stack file and shows what `pulumi up` would
// create, whether it is safe (the policy suite), what it costs, how long a
// first deploy takes and how it fits together, with no AWS account and no
// Pulumi CLI.
//
//	go run ./cmd/plan -stack prod                    # the text review
//	go run ./cmd/plan -stack prod -check             # CI: fail on any finding
//	go run ./cmd/plan -stack dev -format json > dev.json
//	go run ./cmd/plan -stack dev -baseline dev.json  # fail on a replaced store
//	go run ./cmd/plan -stack prod -format markdown   # a pull-request comment
//	go run ./cmd/plan -stack prod -format mermaid    # the diagram
//	go run ./cmd/plan -stack prod -svg prod.svg      # rendered by Graphviz
//
// Exit codes: 0 clean, 1 findings (bad config, a failing program, a call
// that would reach AWS, a stateful resource the baseline shows replaced or
// deleted, and with -check any unwaived policy violation or broken
// waiver), 2 usage. `go run` reports every non-zero exit of the program as
// 1, so CI that tells them apart runs the built binary: go build -o
// bin/plan ./cmd/plan && bin/plan -stack prod -check.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/pushplatform/pushplatform/components"
	"github.com/pushplatform/pushplatform/config"
	"github.com/pushplatform/pushplatform/plan"
	"github.com/pushplatform/pushplatform/plan/diagram"
	"github.com/pushplatform/pushplatform/plan/review"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1 // the program failed, would call AWS, replaces a store, or -check found violations
	exitUsage    = 2 // bad flags or an unknown stack
)

var formats = []string{"text", "json", "markdown", "mermaid"}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stack := fs.String("stack", "dev", "the stack to plan: any Pulumi.<stack>.yaml in -dir")
	format := fs.String("format", "text", "output format: text, json, markdown (a pull-request comment) or mermaid (the diagram)")
	dir := fs.String("dir", ".", "the project directory, holding Pulumi.yaml")
	check := fs.Bool("check", false, "exit 1 on any unwaived policy violation or broken waiver (for CI)")
	baseline := fs.String("baseline", "", "a saved JSON plan of the same stack (say, main's): exit 1 when a stateful resource would be replaced or deleted")
	svg := fs.String("svg", "", "also write the diagram as SVG to this file (needs Graphviz dot)")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if !slices.Contains(formats, *format) {
		fmt.Fprintf(stderr, "plan: -format %q: allowed: text, json, markdown, mermaid\n", *format)
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
	rv := review.New(res, sc, cfg)
	rv.CompareStacks(*dir, components.Stack)
	if *baseline != "" {
		if err := rv.CheckBaseline(*baseline); err != nil {
			fmt.Fprintf(stderr, "plan: -baseline: %v\n", err)
			return exitUsage
		}
	}

	if err := write(rv, *format, stdout); err != nil {
		fmt.Fprintf(stderr, "plan: %v\n", err)
		return exitFindings
	}
	if *svg != "" {
		out, err := diagram.RenderDOT(rv.Graph().DOT(), "svg")
		if err == nil {
			err = os.WriteFile(*svg, out, 0o644)
		}
		if err != nil {
			fmt.Fprintf(stderr, "plan: -svg: %v\n", err)
			return exitFindings
		}
	}

	code := exitOK
	for _, f := range rv.Failures() {
		policyOnly := rv.Guard == nil || !rv.Guard.Failed()
		if len(rv.AWSCalls) == 0 && policyOnly && !*check {
			break // policy findings fail only with -check
		}
		fmt.Fprintf(stderr, "plan: %s\n", f)
		code = exitFindings
	}
	return code
}

func write(rv *review.Review, format string, w io.Writer) error {
	switch format {
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(rv)
	case "markdown":
		rv.WriteMarkdown(w)
	case "mermaid":
		_, err := io.WriteString(w, rv.Diagram)
		return err
	default:
		rv.WriteText(w)
	}
	return nil
}
