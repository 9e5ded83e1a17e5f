package e2e_test

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestAttachmentNamesStayInTheWorkingDir: `attachment download ID` saves
// under the name the server chooses; a hostile server's names (traversal,
// absolute paths, NUL and newlines, RFC 2231 encodings, hidden files, very
// long names, a symlink planted under the name) only ever create one plain
// file inside the working directory.
func TestAttachmentNamesStayInTheWorkingDir(t *testing.T) {
	outside := t.TempDir() // absolute paths point here
	long := strings.Repeat("a", 300) + ".txt"
	tests := []struct {
		name, disposition string
		args              []string // extra flags
		want              string   // the one file the working dir must hold
	}{
		{"plain", `attachment; filename=plan.txt`, nil, "plan.txt"},
		{"parent dir", `attachment; filename="../escape.txt"`, nil, "escape.txt"},
		{"deep parent dir", `attachment; filename="../../../../../../tmp/escape.txt"`, nil, "escape.txt"},
		{"absolute", fmt.Sprintf(`attachment; filename="%s/abs.txt"`, outside), nil, "abs.txt"},
		{"backslashes", `attachment; filename="..\\..\\win.ini"`, nil, "win.ini"},
		{"RFC 2231 traversal", `attachment; filename*=UTF-8''..%2F..%2Fstar.txt`, nil, "star.txt"},
		{"NUL", `attachment; filename*=UTF-8''nul%00.txt%00.sh`, nil, "nul.txt.sh"},
		{"newline", `attachment; filename*=UTF-8''a%0Ab%0D.txt`, nil, "ab.txt"},
		{"dot-dot only", `attachment; filename=".."`, nil, "attachment-7"},
		{"hidden file", `attachment; filename=".bashrc"`, nil, "bashrc"},
		{"no name", `attachment`, nil, "attachment-7"},
		{"very long", `attachment; filename=` + long, nil, strings.Repeat("a", 196) + ".txt"},
		{"symlink planted under the name", `attachment; filename=link.txt`, []string{"--clobber"}, "link.txt"},
	}
	const content = "quarterly plan\n"
	sum := sha256.Sum256([]byte(content))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs := newFaultServer(t, fabrikam).forever("GET /v1/attachments/7/content", func(w http.ResponseWriter, _ *http.Request, _ http.Handler) {
				w.Header().Set("Content-Type", "text/plain")
				w.Header().Set("Content-Disposition", tt.disposition)
				w.Header().Set("ETag", `"sha256:`+hex.EncodeToString(sum[:])+`"`)
				w.Write([]byte(content))
			})
			u := ctlAt(t, fs.URL, "pct_test")
			parent := filepath.Dir(u.home)
			target := filepath.Join(outside, tt.name+".target")
			if tt.name == "symlink planted under the name" {
				os.WriteFile(target, []byte("keep me\n"), 0o600)
				if err := os.Symlink(target, filepath.Join(u.home, "link.txt")); err != nil {
					t.Fatal(err)
				}
			}
			r := u.run("", append([]string{"attachment", "download", "7"}, tt.args...)...)
			if r.Code != 0 || r.Stdout != "" || r.Stderr != "" {
				t.Fatalf("download: %+v", r)
			}
			if got := listDir(t, u.home); !slices.Equal(got, []string{tt.want}) {
				t.Fatalf("working dir holds %q, want only %q", got, tt.want)
			}
			fi, err := os.Lstat(filepath.Join(u.home, tt.want))
			if err != nil || !fi.Mode().IsRegular() {
				t.Fatalf("%s is not a regular file: %v %v", tt.want, fi, err)
			}
			if got := readFile(t, filepath.Join(u.home, tt.want)); got != content {
				t.Errorf("%s holds %q", tt.want, got)
			}
			if got := listDir(t, parent); !slices.Equal(got, []string{filepath.Base(u.home)}) {
				t.Errorf("the parent of the working dir holds %q", got)
			}
			if got, _ := os.ReadFile(target); tt.args != nil && string(got) != "keep me\n" {
				t.Errorf("the symlink's target outside was changed to %q", got)
			}
		})
	}
	entries, _ := os.ReadDir(outside)
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".target") {
			t.Errorf("a download landed outside the working dir: %s", e.Name())
		}
	}
}
