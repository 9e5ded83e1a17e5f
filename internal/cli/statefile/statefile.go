// Package statefile is what the commands with --state FILE share
// (`endclient hours`, `tasks open`): one run at a time per state file (a
// lock), a state replaced atomically and durably, and an output file
// committed together with the state (a pending file finished by whichever
// run comes next, should a run be killed between the two).
package statefile

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/pkg/output"
)

// Begin starts a run on a state file: it checks that the state can be
// replaced, takes its lock (Lock) and removes the temporary state files
// killed runs left (under the lock no other run writes one).
func Begin(ctx context.Context, state string, timeout time.Duration) (unlock func(), err error) {
	if err := CheckWritable(state); err != nil {
		return nil, err
	}
	if unlock, err = Lock(ctx, state, timeout); err != nil {
		return nil, err
	}
	output.RemoveStaleTemps(state, output.TempPrefix(state), 0)
	return unlock, nil
}

// Lock takes the exclusive lock of a state file: an flock on STATE.lock
// (the state itself is replaced by rename, so it cannot hold a lock),
// which the system releases however the run ends. A second run waits up
// to timeout for it, then fails without doing anything.
func Lock(ctx context.Context, state string, timeout time.Duration) (unlock func(), err error) {
	path := state + ".lock"
	l := flock.New(path)
	wait, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := l.TryLockContext(wait, 50*time.Millisecond)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("--state %s: cannot lock %s: %w", state, path, err)
	}
	if !ok {
		holder := ""
		if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) > 0 {
			holder = " (process " + strings.TrimSpace(string(b)) + ")"
		}
		return nil, cmdutil.WithHint(fmt.Errorf("another run is using --state %s%s; waited %s", state, holder, timeout),
			"runs on one state file take turns; try again when it ends, or wait longer with --lock-timeout")
	}
	// Who holds it, for the message above (the lock is the flock, not this).
	_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return func() { _ = l.Unlock() }, nil
}

// CheckWritable makes sure the state file can be replaced before anything
// is output: what was output but not remembered would be output again by
// the next run, and the run would not "change nothing" on failure.
func CheckWritable(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".check-*")
	if err != nil {
		return cmdutil.FlagErrorf("--state %s cannot be written: %v", path, errors.Unwrap(err))
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// Write replaces the state file with v as indented JSON, atomically and
// durably (a synced temporary file renamed over it, the directory
// synced), so a crash leaves either the old or the new state, never half
// of one. The file is private (0600): it names the server and the user.
func Write(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	f, err := output.AtomicFileMode(path, 0o600)
	if err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Abort()
		return fmt.Errorf("--state: %w", err)
	}
	if err := f.Commit(); err != nil {
		return fmt.Errorf("--state: %w", err)
	}
	return nil
}
