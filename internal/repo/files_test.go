package repo

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// root is the repository's top directory, from this package's directory.
const root = "../.."

// skipDirs are never walked: build output, VCS data, tools' caches.
var skipDirs = map[string]bool{".git": true, "bin": true, "dist": true, "node_modules": true, ".build": true}

// repoFiles returns the repository's files (paths relative to root, with
// slashes) whose name satisfies keep.
func repoFiles(t *testing.T, keep func(rel string) bool) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if skipDirs[d.Name()] && rel != "." {
				return filepath.SkipDir
			}
			return nil
		}
		if keep(rel) {
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatal("no files found: is the test running inside the repository?")
	}
	return out
}

func read(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func exists(rel string) bool {
	_, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)))
	return err == nil
}

// isText keeps the files people and tools read as text.
func isText(rel string) bool {
	for _, ext := range []string{".go", ".md", ".yaml", ".yml", ".sh", ".json", ".sql", ".service", ".txt"} {
		if strings.HasSuffix(rel, ext) {
			return true
		}
	}
	base := filepath.Base(rel)
	return base == "Makefile" || base == "run" || strings.HasPrefix(rel, "packaging/")
}

// guides are the hand-written documents a reader follows to find their way
// (records such as CHANGELOG.md and bench/RESULTS.md name other projects'
// paths; the generated pages under docs/cli are checked by their generator).
func guides(t *testing.T) []string {
	return repoFiles(t, func(rel string) bool {
		switch {
		case rel == "README.md", rel == "CONTRIBUTING.md", rel == "internal/cli/COMMANDS.md":
			return true
		case strings.HasPrefix(rel, "docs/") && !strings.HasPrefix(rel, "docs/cli/"):
			return strings.HasSuffix(rel, ".md")
		}
		return false
	})
}
