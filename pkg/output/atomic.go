package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// AtomicWriter is --output-file (and every file portalctl replaces: its
// config, the export state): writes go to a temporary file in the target's
// directory (same file system, so the rename is atomic) and the target
// appears only on Commit, complete and synced. A cron job never leaves a
// half-written export, and a failed run leaves the previous file untouched.
type AtomicWriter struct {
	f      *os.File
	path   string
	mode   fs.FileMode
	closed bool
}

// staleTempAge is how long a temporary file may go unwritten before a
// later writer of the same target takes it for one a killed run left:
// a live run writes its rows continuously.
const staleTempAge = time.Minute

// AtomicFile starts writing path. The final file gets mode 0644, or the
// mode of the file it replaces.
func AtomicFile(path string) (*AtomicWriter, error) {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			return nil, usageErrorf("--output-file %s is not a regular file", path)
		}
		mode = st.Mode().Perm()
	}
	w, err := AtomicFileMode(path, mode)
	if err != nil {
		return nil, outputFileError(path, err)
	}
	return w, nil
}

// outputFileError names the user's file and its directory, not the
// temporary file beside it.
func outputFileError(path string, err error) error {
	dir := filepath.Dir(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageErrorf("--output-file %s: the directory %s does not exist", path, dir)
	case errors.Is(err, fs.ErrPermission):
		return usageErrorf("--output-file %s: no permission to create files in %s", path, dir)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("--output-file %s: %w", path, err)
}

// AtomicFileMode is AtomicFile giving the final file exactly mode (0600
// for one that may hold a secret). Temporary files of the same target
// that a killed run left behind are removed first.
func AtomicFileMode(path string, mode fs.FileMode) (*AtomicWriter, error) {
	RemoveStaleTemps(path, TempPrefix(path), staleTempAge)
	f, err := os.CreateTemp(filepath.Dir(path), TempPrefix(path)+"*")
	if err != nil {
		return nil, err
	}
	return &AtomicWriter{f: f, path: path, mode: mode}, nil
}

// AtomicFileAt is AtomicFileMode with the temporary file named prefix*,
// for a caller that names (and cleans up) its temporary files itself, as
// the export state's redo log does.
func AtomicFileAt(path string, mode fs.FileMode, prefix string) (*AtomicWriter, error) {
	f, err := os.CreateTemp(filepath.Dir(path), prefix+"*")
	if err != nil {
		return nil, err
	}
	return &AtomicWriter{f: f, path: path, mode: mode}, nil
}

// TempPrefix is how the names of path's temporary files start.
func TempPrefix(path string) string { return "." + filepath.Base(path) + ".tmp-" }

// RemoveStaleTemps removes the files in path's directory whose names start
// with prefix and that were last written more than age ago (0: any), but
// not those named in keep. Errors are ignored: a file left is harmless.
func RemoveStaleTemps(path, prefix string, age time.Duration, keep ...string) {
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		return
	}
	for _, e := range entries {
		name := filepath.Join(filepath.Dir(path), e.Name())
		if !strings.HasPrefix(e.Name(), prefix) || !e.Type().IsRegular() || contains(keep, name) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) >= age {
			_ = os.Remove(name)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Path is the target the file is written for.
func (a *AtomicWriter) Path() string { return a.path }

// Write appends to the temporary file.
func (a *AtomicWriter) Write(p []byte) (int, error) { return a.f.Write(p) }

// Commit syncs the temporary file, renames it over the target and syncs
// the directory, so the new file survives a power cut once Commit returns.
func (a *AtomicWriter) Commit() error {
	temp, err := a.Seal()
	if err != nil {
		return err
	}
	if err := os.Rename(temp, a.path); err != nil {
		_ = os.Remove(temp)
		return err
	}
	SyncDir(filepath.Dir(a.path))
	return nil
}

// Seal completes the temporary file (its final mode, synced, closed) but
// leaves it beside the target, and returns its name: for a caller that
// records the name before renaming it into place (then SyncDir). On error
// the temporary file is removed.
func (a *AtomicWriter) Seal() (string, error) {
	if a.closed {
		return "", errors.New("output file already closed")
	}
	a.closed = true
	err := a.f.Chmod(a.mode)
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(a.f.Name())
		return "", err
	}
	return a.f.Name(), nil
}

// SyncDir makes a rename or a new file in dir durable, as far as the
// system can: some (Windows, some network file systems) cannot sync a
// directory and make renames durable their own way.
func SyncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// Abort removes the temporary file; the target is left as it was. Calling
// it after Commit does nothing, so `defer a.Abort()` is safe.
func (a *AtomicWriter) Abort() error {
	if a.closed {
		return nil
	}
	a.closed = true
	_ = a.f.Close()
	return os.Remove(a.f.Name())
}

// Close commits; it lets an AtomicWriter be used as an io.WriteCloser.
func (a *AtomicWriter) Close() error { return a.Commit() }
