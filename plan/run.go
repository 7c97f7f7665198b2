// Package plan runs the program on Pulumi's mock engine with a committed
// stack's configuration, records what it would create, and reviews it: the
// component tree, the security matrix, the stack outputs and any call that
// would reach AWS. cmd/plan prints it; the tests assert on it.
package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/pushplatform/pushplatform/config"
)

// Result is everything one run of the program registered.
type Result struct {
	Project   string
	Stack     string
	Resources []*Resource // sorted by URN
	Invokes   []Invoke
	// Outputs are the stack outputs, resolved; secret ones read "[secret]".
	Outputs map[string]any
	// Invented are the values the mock engine made up where only AWS
	// knows the real one, longest first (see KnownAfterDeploy).
	Invented []string
}

// runMu serialises runs: the engine reads the config from the process
// environment, so two runs at once would see each other's config.
var runMu sync.Mutex

// Run executes program under the mock engine with the stack's config,
// exactly as `pulumi up` would hand it over, and records the result. A
// program error is returned together with what was recorded before it.
func Run(sc *StackConfig, program pulumi.RunFunc) (*Result, error) {
	runMu.Lock()
	defer runMu.Unlock()

	cfg, secretKeys := sc.Env()
	restore := setEnv(map[string]string{
		"PULUMI_CONFIG":             cfg,
		"PULUMI_CONFIG_SECRET_KEYS": secretKeys,
		"PULUMI_DRY_RUN":            "", // an update, so outputs resolve
	})
	defer restore()

	rec := newRecorder(sc.Project, sc.Stack, sc.Values["aws:region"])
	exports := map[string]pulumi.Output{}
	values := map[string]any{}
	var mu sync.Mutex
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		if err := program(ctx); err != nil {
			return err
		}
		// Re-export each output through a capturing apply: the engine awaits
		// every export before RunErr returns, so the captures have run by then.
		for name, v := range ctx.GetCurrentExportMap() {
			captured := pulumi.ToOutput(v).ApplyT(func(x any) any {
				mu.Lock()
				values[name] = normalize(x)
				mu.Unlock()
				return x
			})
			exports[name] = captured
			ctx.Export(name, captured)
		}
		return nil
	}, pulumi.WithMocks(sc.Project, sc.Stack, rec))

	mu.Lock()
	defer mu.Unlock()
	// The engine registers resources from many goroutines, in any order;
	// every review reads them by URN order, so two runs print the same.
	slices.SortStableFunc(rec.resources, func(a, b *Resource) int { return strings.Compare(a.URN, b.URN) })
	res := &Result{Project: sc.Project, Stack: sc.Stack, Resources: rec.resources, Invokes: rec.invokes, Outputs: map[string]any{}}
	res.Invented = slices.SortedFunc(maps.Keys(rec.invented), func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a) // longest first: an ARN before the name inside it
		}
		return strings.Compare(a, b)
	})
	for name, out := range exports {
		if pulumi.IsSecret(out) {
			res.Outputs[name] = "[secret]"
		} else {
			res.Outputs[name] = values[name]
		}
	}
	if err != nil {
		// The engine wraps program errors in a multierror; hand config
		// errors back as they are, so callers can list them by key.
		var cfgErrs config.Errors
		if errors.As(err, &cfgErrs) {
			err = cfgErrs
		}
		return res, fmt.Errorf("stack %s: %w", sc.Stack, err)
	}
	return res, nil
}

// RunStack loads a committed stack from dir and runs program with it.
func RunStack(dir, stack string, program pulumi.RunFunc) (*Result, error) {
	sc, err := LoadStackConfig(dir, stack)
	if err != nil {
		return nil, err
	}
	return Run(sc, program)
}

// normalize turns typed output values ([]string, map[string]string, ...)
// into the plain JSON shapes tests and reports expect.
func normalize(x any) any {
	b, err := json.Marshal(x)
	if err != nil {
		return x
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return x
	}
	return v
}

func setEnv(vars map[string]string) (restore func()) {
	old := map[string]*string{}
	for k, v := range vars {
		if prev, ok := os.LookupEnv(k); ok {
			old[k] = &prev
		} else {
			old[k] = nil
		}
		if v == "" {
			os.Unsetenv(k)
		} else {
			os.Setenv(k, v)
		}
	}
	return func() {
		for k, v := range old {
			if v == nil {
				os.Unsetenv(k)
			} else {
				os.Setenv(k, *v)
			}
		}
	}
}
