package artifact

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// Build says how an image is built: the inputs its content tag is derived
// from, and what awsx hands to Docker.
type Build struct {
	// Root is the project directory; Context and Dockerfile are relative
	// to it. Empty means the directory holding Pulumi.yaml.
	Root string
	// Context is the build context directory. Its .dockerignore decides
	// which files enter the context, and so which files the tag covers.
	Context string
	// Dockerfile is the Dockerfile's path.
	Dockerfile string
	// Args are the build args.
	Args map[string]string
	// Platform is the target platform, linux/arm64 or linux/amd64.
	Platform string
}

// ContentTag derives an image tag from everything the image is built from:
// the Dockerfile, the build args, the platform, the context's .dockerignore
// and every file that .dockerignore lets into the context (path, mode and
// content). A changed input is a new tag and an unchanged tree the same
// tag, so an immutable ECR repository never sees a second digest under one
// tag; a file the context excludes (a README) changes nothing. The tag
// reads <prefix>-<arch>-<24 hex digits of SHA-256>.
func ContentTag(prefix string, b Build) (string, error) {
	root, err := b.root()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	field := func(parts ...string) {
		for _, p := range parts {
			io.WriteString(h, p)
			h.Write([]byte{0})
		}
	}
	field("platform", b.Platform)
	for _, k := range slices.Sorted(maps.Keys(b.Args)) {
		field("arg", k, b.Args[k])
	}
	dockerfile, err := os.ReadFile(filepath.Join(root, b.Dockerfile))
	if err != nil {
		return "", fmt.Errorf("content tag: read Dockerfile: %w", err)
	}
	field("dockerfile", string(dockerfile))

	contextDir := filepath.Join(root, b.Context)
	ignore, err := readDockerignore(contextDir)
	if err != nil {
		return "", err
	}
	field("dockerignore", strings.Join(ignore, "\n"))
	files, err := contextFiles(contextDir, ignore)
	if err != nil {
		return "", err
	}
	for _, f := range files {
		full := filepath.Join(contextDir, filepath.FromSlash(f))
		info, err := os.Lstat(full)
		if err != nil {
			return "", err
		}
		content, err := fileDigest(full, info)
		if err != nil {
			return "", err
		}
		field("file", f, fmt.Sprintf("%o", info.Mode()&(fs.ModeType|0o111)), content)
	}
	arch := path.Base(b.Platform)
	return fmt.Sprintf("%s-%s-%s", prefix, arch, hex.EncodeToString(h.Sum(nil))[:24]), nil
}

func (b Build) root() (string, error) {
	if b.Root != "" {
		return b.Root, nil
	}
	return ProjectRoot()
}

// ProjectRoot is the nearest directory at or above the working directory
// that holds Pulumi.yaml: where `pulumi up` runs, and the root the tests
// and the offline plan find from a package directory.
func ProjectRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "Pulumi.yaml")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no Pulumi.yaml at or above the working directory")
		}
		dir = parent
	}
}

func fileDigest(full string, info fs.FileInfo) (string, error) {
	if info.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(full)
		return "symlink:" + target, err
	}
	f, err := os.Open(full)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// readDockerignore returns the context's .dockerignore patterns (comments
// and blank lines dropped); none when there is no file.
func readDockerignore(contextDir string) ([]string, error) {
	f, err := os.Open(filepath.Join(contextDir, ".dockerignore"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var patterns []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		patterns = append(patterns, line)
	}
	return patterns, sc.Err()
}

// contextFiles lists the files of the context that the patterns let in,
// slash-separated and sorted.
func contextFiles(contextDir string, patterns []string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(contextDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(contextDir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			// A directory nothing can re-include (.git, node_modules) is
			// not walked at all.
			if rel != "." && ignored(rel, patterns) && !reincludesBelow(rel, patterns) {
				return filepath.SkipDir
			}
		case !ignored(rel, patterns):
			files = append(files, rel)
		}
		return nil
	})
	slices.Sort(files)
	return files, err
}

// reincludesBelow says whether a "!" pattern may let back in something
// below dir.
func reincludesBelow(dir string, patterns []string) bool {
	for _, p := range patterns {
		if rest, ok := strings.CutPrefix(p, "!"); ok {
			rest = strings.TrimPrefix(rest, "/")
			if strings.HasPrefix(rest, "**") || strings.HasPrefix(rest, dir+"/") {
				return true
			}
		}
	}
	return false
}

// ignored applies .dockerignore rules as Docker does: patterns in order,
// the last one matching wins, "!" lets a path back in, a pattern matches a
// path or any directory above it, and "**/" matches at any depth.
func ignored(rel string, patterns []string) bool {
	out := false
	for _, p := range patterns {
		negate := strings.HasPrefix(p, "!")
		p = path.Clean(strings.TrimPrefix(strings.TrimPrefix(p, "!"), "/"))
		if matchesOrParent(p, rel) {
			out = !negate
		}
	}
	return out
}

func matchesOrParent(pattern, rel string) bool {
	segments := strings.Split(rel, "/")
	for i := len(segments); i > 0; i-- {
		candidate := strings.Join(segments[:i], "/")
		if match(pattern, candidate) {
			return true
		}
	}
	return false
}

func match(pattern, p string) bool {
	if rest, ok := strings.CutPrefix(pattern, "**/"); ok {
		segments := strings.Split(p, "/")
		for i := range segments {
			if match(rest, strings.Join(segments[i:], "/")) {
				return true
			}
		}
		return false
	}
	ok, _ := path.Match(pattern, p)
	return ok
}
