package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// AtomicWriter is --output-file: writes go to a temporary file in the target's
// directory (same file system, so the rename is atomic) and the target
// appears only on Commit, complete. A cron job never leaves a half-written
// export, and a failed run leaves the previous file untouched.
type AtomicWriter struct {
	f      *os.File
	path   string
	mode   fs.FileMode
	closed bool
}

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
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, usageErrorf("--output-file %s: the directory %s does not exist", path, dir)
	case errors.Is(err, fs.ErrPermission):
		return nil, usageErrorf("--output-file %s: no permission to create files in %s", path, dir)
	case err != nil:
		// Name the user's file, not the temporary one beside it.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("--output-file %s: %w", path, err)
	}
	return &AtomicWriter{f: f, path: path, mode: mode}, nil
}

// Write appends to the temporary file.
func (a *AtomicWriter) Write(p []byte) (int, error) { return a.f.Write(p) }

// Commit syncs the temporary file and renames it over the target.
func (a *AtomicWriter) Commit() error {
	if a.closed {
		return errors.New("output file already closed")
	}
	a.closed = true
	err := a.f.Chmod(a.mode)
	if err == nil {
		err = a.f.Sync()
	}
	if cerr := a.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(a.f.Name(), a.path)
	}
	if err != nil {
		_ = os.Remove(a.f.Name())
	}
	return err
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
