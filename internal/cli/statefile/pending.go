package statefile

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/portalctl/portalctl/pkg/output"
)

// Replacing an output file together with the state is a small redo log:
// the rows go to a pending file beside the target (.F.pending-TAG-*, TAG
// naming the state), synced; the state records {temp, target} and what
// it becomes once the target has the rows; the pending file is renamed
// over the target (Finish); the state moves on. A run that reads a state
// with a commit recorded finishes it: forward, so the rows and the state
// move together or not at all, even across kill -9.

// PendingFile is a run's rows on their way to replacing Target.
type PendingFile struct {
	w      *output.AtomicWriter
	Target string
}

// NewPendingFile starts the rows of a run on state that will replace
// target (absolute, so that a later run may finish the commit from
// another directory). The pending files that killed runs on state left
// beside target are removed first (under the state's lock no other run on
// it writes one).
func NewPendingFile(target, state string) (*PendingFile, error) {
	mode := fs.FileMode(0o644)
	if st, err := os.Stat(target); err == nil {
		mode = st.Mode().Perm()
	}
	RemoveKilledPending(filepath.Dir(target), state, "")
	w, err := output.AtomicFileAt(target, mode, PendingPrefix(target, state))
	if err != nil {
		return nil, err
	}
	return &PendingFile{w: w, Target: target}, nil
}

func (p *PendingFile) Write(b []byte) (int, error) { return p.w.Write(b) }

// Seal makes the rows durable and returns the pending file's name, to be
// recorded in the state before Finish. On error the file is gone.
func (p *PendingFile) Seal() (string, error) { return p.w.Seal() }

// Abort drops the rows; the target is left as it was.
func (p *PendingFile) Abort() { _ = p.w.Abort() }

// Finish puts a sealed pending file in place of target, durably. A pending
// file already renamed (the run was killed after the rename) is done.
func Finish(temp, target string) error {
	if err := os.Rename(temp, target); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("finishing the interrupted run's output into %s: %w", target, err)
	}
	output.SyncDir(filepath.Dir(target))
	return nil
}

// PendingPrefix starts the names of the pending files of target by a run
// on state.
func PendingPrefix(target, state string) string {
	return "." + filepath.Base(target) + pendingMark(state)
}

func pendingMark(state string) string {
	abs, _ := filepath.Abs(state)
	sum := sha256.Sum256([]byte(abs))
	return ".pending-" + hex.EncodeToString(sum[:4]) + "-"
}

// RemoveKilledPending removes the pending files that killed runs on state
// left in dir (whatever file each was for: a file per run has a new name
// each time), but keep.
func RemoveKilledPending(dir, state, keep string) {
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
