package hours

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gofrs/flock"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
)

// lockState takes the exclusive lock of a state file: an flock on
// STATE.lock (the state itself is replaced by rename, so it cannot hold a
// lock), which the system releases however the run ends. A second run
// waits up to timeout for it, then fails without exporting anything.
func lockState(ctx context.Context, state string, timeout time.Duration) (unlock func(), err error) {
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
		return nil, cmdutil.WithHint(fmt.Errorf("another run is exporting with --state %s%s; waited %s", state, holder, timeout),
			"runs on one state file take turns; try again when it ends, or wait longer with --lock-timeout")
	}
	// Who holds it, for the message above (the lock is the flock, not this).
	_ = os.WriteFile(path, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o600)
	return func() { _ = l.Unlock() }, nil
}
