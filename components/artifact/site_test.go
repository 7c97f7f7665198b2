package artifact

import (
	"io/fs"
	"path/filepath"
	"sync"
	"testing"
)

// Parallel runs (test packages, plan runs) each get the whole fixture
// site at one path, never a half-written one.
func TestFixtureSiteIsWrittenWhole(t *testing.T) {
	var wg sync.WaitGroup
	dirs := make([]string, 8)
	errs := make([]error, 8)
	for i := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dirs[i], errs[i] = writeFixtureSite()
		}()
	}
	wg.Wait()
	for i := range dirs {
		if errs[i] != nil || dirs[i] != dirs[0] {
			t.Fatalf("run %d: %q, %v; want %q", i, dirs[i], errs[i], dirs[0])
		}
	}
	var files []string
	filepath.WalkDir(dirs[0], func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dirs[0], p)
			files = append(files, filepath.ToSlash(rel))
		}
		return err
	})
	want := []string{"favicon.svg", "index.html", "static/index-fixture.js"}
	if len(files) != len(want) {
		t.Fatalf("fixture site holds %v, want %v", files, want)
	}
	for i := range want {
		if files[i] != want[i] {
			t.Fatalf("fixture site holds %v, want %v", files, want)
		}
	}
	if _, err := checkSite(dirs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := checkSite(t.TempDir()); err == nil {
		t.Error("a directory without index.html must be refused")
	}
}
