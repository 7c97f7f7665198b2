package guard

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/pushplatform/pushplatform/plan"
)

// Baseline is a saved plan: the JSON `go run ./cmd/plan -format json`
// writes, read down to what the guard needs.
type Baseline struct {
	Project   string              `json:"project"`
	Stack     string              `json:"stack"`
	Resources []plan.ResourceView `json:"resources"`
}

// Load reads a saved JSON plan.
func Load(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s is not a JSON plan (go run ./cmd/plan -format json): %w", path, err)
	}
	if b.Stack == "" || b.Resources == nil {
		return nil, fmt.Errorf("%s is not a JSON plan (go run ./cmd/plan -format json): no stack or no resources", path)
	}
	return &b, nil
}

// Check compares a run with the baseline; a baseline of another stack is
// an error, not a comparison.
func Check(base *Baseline, res *plan.Result) (*Report, error) {
	if base.Stack != res.Stack || base.Project != "" && base.Project != res.Project {
		return nil, fmt.Errorf("the baseline is a plan of %s/%s, this is %s/%s: compare a stack with its own baseline",
			base.Project, base.Stack, res.Project, res.Stack)
	}
	return Compare(base, res), nil
}
