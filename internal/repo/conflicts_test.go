package repo

import (
	"regexp"
	"strings"
	"testing"
)

// conflictMarker is a line git writes into a file whose merge it could not
// finish. Inside a Go raw string (a command's help) such a line compiles,
// so nothing else would notice one left behind.
var conflictMarker = regexp.MustCompile(`(?m)^(<{7} |>{7} |={7}$)`)

// TestNoMergeConflictLeftBehind: no text file holds a conflict marker.
func TestNoMergeConflictLeftBehind(t *testing.T) {
	text := func(rel string) bool {
		for _, ext := range []string{".go", ".md", ".yaml", ".yml", ".sql", ".sh", ".json", ".txt", "Makefile"} {
			if strings.HasSuffix(rel, ext) {
				return true
			}
		}
		return false
	}
	for _, rel := range repoFiles(t, text) {
		content := read(t, rel)
		if loc := conflictMarker.FindStringIndex(content); loc != nil {
			line := strings.Count(content[:loc[0]], "\n") + 1
			t.Errorf("%s:%d: a merge conflict marker is left in the file; finish the merge", rel, line)
		}
	}
}
