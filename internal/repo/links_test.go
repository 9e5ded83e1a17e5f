package repo

import (
	"path"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// outside matches a reference to design documents that live beside the
// repository, not in it: a clone or an installed package has none of them.
var outside = regexp.MustCompile(`\.\./shared|shared/design|(^|[^/\w])design/[\w-]+\.(md|json)`)

// TestNothingPointsOutsideTheRepository: no file refers to ../shared or to
// design/*.md; the documents a reader needs are in docs/.
func TestNothingPointsOutsideTheRepository(t *testing.T) {
	files := repoFiles(t, func(rel string) bool {
		// Applied migrations are never edited, comments included.
		return isText(rel) && !strings.Contains(rel, "/migrations/") && rel != "internal/repo/links_test.go"
	})
	for _, rel := range files {
		for i, line := range strings.Split(read(t, rel), "\n") {
			if m := outside.FindString(line); m != "" {
				t.Errorf("%s:%d refers to %q, outside the repository; point to docs/ instead", rel, i+1, strings.TrimLeft(m, " (`'\""))
			}
		}
	}
}

var (
	mdLink  = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	heading = regexp.MustCompile(`(?m)^#+\s+(.+?)\s*$`)
)

// TestMarkdownLinksResolve: every relative link in a markdown file names a
// file of the repository, and every #anchor a heading of that file.
func TestMarkdownLinksResolve(t *testing.T) {
	files := repoFiles(t, func(rel string) bool { return strings.HasSuffix(rel, ".md") })
	for _, rel := range files {
		text := read(t, rel)
		for _, m := range mdLink.FindAllStringSubmatch(text, -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			file, anchor, _ := strings.Cut(target, "#")
			dest := rel
			if file != "" {
				dest = path.Clean(path.Join(path.Dir(rel), file))
				if strings.HasPrefix(dest, "../") || !exists(dest) {
					t.Errorf("%s links to %s, which is not in the repository", rel, target)
					continue
				}
			}
			if anchor != "" && strings.HasSuffix(dest, ".md") && !hasAnchor(read(t, dest), anchor) {
				t.Errorf("%s links to %s, but %s has no heading #%s", rel, target, dest, anchor)
			}
		}
	}
}

// hasAnchor reports whether markdown has a heading whose GitHub anchor is
// anchor (lower case, punctuation dropped, spaces as hyphens).
func hasAnchor(markdown, anchor string) bool {
	for _, h := range heading.FindAllStringSubmatch(markdown, -1) {
		if slug(h[1]) == anchor {
			return true
		}
	}
	return false
}

func slug(title string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(title) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
