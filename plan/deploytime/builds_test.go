package deploytime

import (
	"strings"
	"testing"

	"github.com/pushplatform/pushplatform/plan/plantest"
)

// Building images (artifacts.mode build) puts each build ahead of the task
// definitions of its image; autopush's Rust build is the long one.
func TestImageBuildsDelayTheirTasks(t *testing.T) {
	for _, stack := range plantest.Stacks {
		res := plantest.Run(t, stack)
		pre, built := Estimate(res), WithImageBuilds(res)
		if built.TotalSeconds < pre.TotalSeconds {
			t.Errorf("%s: building images shortens the deploy: %d < %d", stack, built.TotalSeconds, pre.TotalSeconds)
		}
		g := newGraph(res)
		g.addImageBuilds()
		s := g.schedule(nil)
		for i, r := range g.nodes {
			if r.Type != "aws:ecs/taskDefinition:TaskDefinition" || !strings.HasSuffix(r.Name, "autoconnect") {
				continue
			}
			if start := s.start[i]; start < rustBuild.Duration {
				t.Errorf("%s: %s starts at %s, before autopush's image could be built", stack, r.Name, start)
			}
		}
	}
}
