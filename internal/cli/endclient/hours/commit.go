package hours

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/portalctl/portalctl/pkg/output"
)

// Committing a run's --output-file together with its state is a small redo
// log: the state records the commit (Pending) before the output changes,
// and whichever run reads a state with a Pending finishes it (a crash may
// have cut it short anywhere), so the rows and the state's position move
// together or not at all.
//
// Replacing (a new file, or --clobber): the rows go to a temporary file
// beside the target (.F.pending-*), synced; the state records {replace,
// temp, target, position}; the temporary file is renamed over the target;
// the state moves to the position. Finishing a Pending replace renames the
// temporary file if it is still there, then moves the state: forward.
//
// Appending (--append): the state records {append, target, its size}
// before the first row is written to the target; after the rows, the
// target is synced and the state moves to the position. Finishing a
// Pending append cuts the target back to its size: back, and the next run
// exports the same rows again.

// Pending is a commit in progress.
type Pending struct {
	Mode     string `json:"mode"` // "replace" or "append"
	Target   string `json:"target"`
	Temp     string `json:"temp,omitempty"`     // replace: the rows, renamed over Target
	Position int64  `json:"position,omitempty"` // replace: the state's position once Target has the rows
	Size     int64  `json:"size"`               // append: Target's size before the rows
	Existed  bool   `json:"existed"`            // append: whether Target existed before
}

// pendingPrefix starts the names of the temporary files of a replace of
// target by a run on state: .F.pending-TAG-*, TAG naming the state.
func pendingPrefix(target, state string) string {
	return "." + filepath.Base(target) + pendingMark(state)
}

func pendingMark(state string) string {
	abs, _ := filepath.Abs(state)
	sum := sha256.Sum256([]byte(abs))
	return ".pending-" + hex.EncodeToString(sum[:4]) + "-"
}

// removeKilledTemps removes the temporary files that killed runs on state
// left in dir (whatever file each was for: a file per run has a new name
// each time), but keep. Under the state's lock no other run on it writes
// one.
func removeKilledTemps(dir, state, keep string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	mark := pendingMark(state)
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), mark) && e.Type().IsRegular() && name != keep {
			_ = os.Remove(name)
		}
	}
}

// finishPending completes (replace) or undoes (append) the commit a
// killed run left in s, and records that.
func finishPending(s *State, path string) error {
	p := s.Pending
	if p == nil {
		return nil
	}
	switch p.Mode {
	case "replace":
		if err := os.Rename(p.Temp, p.Target); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--state %s: finishing the interrupted export into %s: %w", path, p.Target, err)
		}
		output.SyncDir(filepath.Dir(p.Target))
		s.Position = p.Position
	case "append":
		if err := cutBack(p.Target, p.Size, p.Existed); err != nil {
			return fmt.Errorf("--state %s: removing the rows an interrupted run appended to %s: %w", path, p.Target, err)
		}
	default:
		return fmt.Errorf("--state %s: unknown pending commit %q", path, p.Mode)
	}
	s.Pending = nil
	return WriteState(path, *s)
}

// cutBack returns target to its size before an append.
func cutBack(target string, size int64, existed bool) error {
	if !existed {
		if err := os.Remove(target); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() <= size {
		return nil
	}
	if err := f.Truncate(size); err != nil {
		return err
	}
	return f.Sync()
}

// destination is where a --state run's rows go, and how they are
// committed with the state.
type destination interface {
	io.Writer
	// commit puts the rows in place and the state at pos, or with no rows
	// (and no --write-empty) only the state.
	commit(s *State, path string, pos int64, rows bool) error
	// abort leaves the output and the state as they were.
	abort(s *State, path string)
}

// stdoutDest: the rows are out once written; the state follows.
type stdoutDest struct{ io.Writer }

func (d stdoutDest) commit(s *State, path string, pos int64, _ bool) error {
	s.Position = pos
	return WriteState(path, *s)
}

func (stdoutDest) abort(*State, string) {}

// replaceDest writes a new file (or, with --clobber, replaces one).
type replaceDest struct {
	w *output.AtomicWriter
}

func newReplaceDest(target, state string) (*replaceDest, error) {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(target); err == nil {
		mode = st.Mode().Perm()
	}
	removeKilledTemps(filepath.Dir(target), state, "")
	w, err := output.AtomicFileAt(target, mode, pendingPrefix(target, state))
	if err != nil {
		return nil, err
	}
	return &replaceDest{w: w}, nil
}

func (d *replaceDest) Write(p []byte) (int, error) { return d.w.Write(p) }

func (d *replaceDest) commit(s *State, path string, pos int64, rows bool) error {
	if !rows {
		d.abort(s, path)
		s.Position = pos
		return WriteState(path, *s)
	}
	temp, err := d.w.Seal()
	if err != nil {
		return err
	}
	s.Pending = &Pending{Mode: "replace", Target: d.w.Path(), Temp: temp, Position: pos}
	if err := WriteState(path, *s); err != nil {
		_ = os.Remove(temp)
		return err
	}
	return finishPending(s, path)
}

func (d *replaceDest) abort(*State, string) { _ = d.w.Abort() }

// appendDest appends to a file, recording its size first.
type appendDest struct {
	f *os.File
	p Pending
}

func newAppendDest(s *State, path, target string) (*appendDest, error) {
	p := Pending{Mode: "append", Target: target}
	if st, err := os.Stat(target); err == nil {
		p.Size, p.Existed = st.Size(), true
	}
	s.Pending = &p
	if err := WriteState(path, *s); err != nil {
		s.Pending = nil
		return nil, err
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		_ = finishPending(s, path)
		return nil, err
	}
	return &appendDest{f: f, p: p}, nil
}

func (d *appendDest) Write(b []byte) (int, error) { return d.f.Write(b) }

func (d *appendDest) commit(s *State, path string, pos int64, rows bool) error {
	err := d.f.Sync()
	if cerr := d.f.Close(); err == nil {
		err = cerr
	}
	if err != nil || !rows {
		if ferr := finishPending(s, path); err == nil {
			err = ferr
		}
		if err != nil {
			return err
		}
	}
	output.SyncDir(filepath.Dir(d.p.Target))
	s.Pending, s.Position = nil, pos
	return WriteState(path, *s)
}

func (d *appendDest) abort(s *State, path string) {
	d.f.Close()
	_ = finishPending(s, path)
}
