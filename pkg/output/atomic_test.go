package output

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

func TestAtomicFileAppearsOnlyWhenComplete(t *testing.T) {
	tests := []struct {
		name     string
		existing *os.FileMode // a file already at the path, with this mode
		wantMode os.FileMode
	}{
		{"new file", nil, 0o644},
		{"replaces a file and keeps its mode", ptr(os.FileMode(0o600)), 0o600},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "hours.csv")
			if tc.existing != nil {
				if err := os.WriteFile(path, []byte("old export\n"), *tc.existing); err != nil {
					t.Fatal(err)
				}
			}
			f, err := AtomicFile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Abort()
			lw, err := NewList(f, BilledHours, Options{Format: FormatCSV, Columns: []string{"id"}})
			if err != nil {
				t.Fatal(err)
			}
			for i := range int64(20000) {
				if err := lw.Write(billedRow(i)); err != nil {
					t.Fatal(err)
				}
				if i == 10000 {
					assertContent(t, path, tc.existing != nil, "old export\n") // half-way: target untouched
				}
			}
			if err := lw.Close(); err != nil {
				t.Fatal(err)
			}
			assertContent(t, path, tc.existing != nil, "old export\n")
			if err := f.Commit(); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil || len(parseCSV(t, string(got))) != 20001 {
				t.Fatalf("committed file incomplete: %v", err)
			}
			if st, _ := os.Stat(path); st.Mode().Perm() != tc.wantMode {
				t.Errorf("mode = %v, want %v", st.Mode().Perm(), tc.wantMode)
			}
			assertOnlyFile(t, dir, "hours.csv")
		})
	}
}

func TestAtomicFileAbortOnStreamError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hours.csv")
	if err := os.WriteFile(path, []byte("previous\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := AtomicFile(path)
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("server went away")
	err = WriteList(f, BilledHours, Options{Format: FormatCSV}, func(yield func(api.BilledHoursRow, error) bool) {
		_ = yield(billedRow(1), nil) && yield(api.BilledHoursRow{}, boom)
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if err := f.Abort(); err != nil {
		t.Fatal(err)
	}
	assertContent(t, path, true, "previous\n")
	assertOnlyFile(t, dir, "hours.csv")
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort must fail")
	}
}

func TestAtomicFileRejectsDirectory(t *testing.T) {
	_, err := AtomicFile(t.TempDir())
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Errorf("got %v, want a usage error", err)
	}
}

func assertContent(t *testing.T, path string, exists bool, want string) {
	t.Helper()
	got, err := os.ReadFile(path)
	switch {
	case !exists && !errors.Is(err, os.ErrNotExist):
		t.Errorf("%s is visible before Commit (err=%v)", path, err)
	case exists && string(got) != want:
		t.Errorf("%s = %q, want the old content %q", path, got, want)
	}
}

func assertOnlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only %s (temp file left behind?)", names, name)
	}
}

// --output-file in a directory that does not exist names that directory
// (a usage error), never the temporary file beside the target.
func TestAtomicFileInMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "no", "such")
	_, err := AtomicFile(filepath.Join(dir, "x.csv"))
	var ue *UsageError
	if !errors.As(err, &ue) || err.Error() != "--output-file "+filepath.Join(dir, "x.csv")+": the directory "+dir+" does not exist" {
		t.Errorf("err = %v", err)
	}
}

// A run killed with kill -9 leaves its temporary file; the next writer of
// the same target removes it once nothing has written it for a minute (a
// live run writes continuously), and leaves other files alone.
func TestAtomicFileRemovesTempsOfKilledRuns(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hours.csv")
	old, fresh, other := filepath.Join(dir, ".hours.csv.tmp-111"), filepath.Join(dir, ".hours.csv.tmp-222"), filepath.Join(dir, ".other.csv.tmp-333")
	for _, f := range []string{old, fresh, other} {
		if err := os.WriteFile(f, []byte("rows"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-2 * time.Minute)
	for _, f := range []string{old, other} {
		if err := os.Chtimes(f, long, long); err != nil {
			t.Fatal(err)
		}
	}
	f, err := AtomicFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Commit(); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{old: false, fresh: true, other: true, path: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}
