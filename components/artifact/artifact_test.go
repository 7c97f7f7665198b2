package artifact

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// Lambda's provided runtimes exec /var/task/bootstrap: the zip must carry
// the executable bit, which Pulumi's own archiving drops.
func TestZipBootstrapKeepsTheExecutableBit(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "anything")
	if err := os.WriteFile(bin, []byte("\x7fELF fake"), 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := zipBootstrap(bin)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != 1 || zr.File[0].Name != "bootstrap" || zr.File[0].Mode().Perm() != 0o755 {
		t.Fatalf("zip holds %v, want one bootstrap with mode 0755", zr.File)
	}
	again, _ := zipBootstrap(bin)
	if hash(b) != hash(again) {
		t.Fatal("the same binary must zip to the same bytes, or every deploy re-runs the migration")
	}
}
