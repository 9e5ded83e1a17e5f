package open

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/statefile"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/output"
)

// stateKind and stateFormat mark a tasks open --state file: a state of
// another command (endclient hours) is refused, not misread.
const (
	stateKind   = "tasks open"
	stateFormat = 1
	// defaultLockTimeout is how long a run waits for another on its state.
	defaultLockTimeout = 2 * time.Minute
)

// State is what --state remembers between runs: whose open tasks it
// follows (server, user, --project, --jq) and which tasks were open at the
// last run (each printed by it or an earlier one). Pending is a run's
// --output-file commit that a kill may have cut short (statefile).
type State struct {
	Kind    string   `json:"kind"`
	Format  int      `json:"format"`
	Server  string   `json:"server,omitempty"`
	User    string   `json:"user,omitempty"`
	Project string   `json:"project,omitempty"`
	JQ      string   `json:"jq,omitempty"`
	Started bool     `json:"started"`
	Open    []int64  `json:"open"`
	Pending *Pending `json:"pending,omitempty"`
}

// Pending: the rows are in Temp, to be renamed over Target; then the
// tasks open are Open.
type Pending struct {
	Target string  `json:"target"`
	Temp   string  `json:"temp"`
	Open   []int64 `json:"open"`
}

// checkState refuses the flags --state cannot honour, as usage errors.
func checkState(cmd *cobra.Command, opts *Options) error {
	if opts.State == "" {
		for _, name := range []string{"clobber", "lock-timeout"} {
			if cmd.Flags().Changed(name) {
				return cmdutil.FlagErrorf("--%s goes with --state", name)
			}
		}
		return nil
	}
	switch {
	case opts.Watch:
		return cmdutil.FlagErrorf("--watch remembers what it printed while it runs; --state between runs: use one of them")
	case opts.ExitStatus:
		return cmdutil.FlagErrorf("--exit-status answers whether tasks are open; --state prints the new ones: use one of them")
	case cmd.Flags().Changed("limit"):
		return cmdutil.FlagErrorf("--state prints every task that became open: leave out --limit")
	case opts.Clobber && opts.Render.Flags.OutputFile == "":
		return cmdutil.FlagErrorf("--clobber needs --output-file")
	}
	return nil
}

// readState reads a state file; a missing or empty one is a first run.
func readState(path string) (State, error) {
	s := State{Kind: stateKind, Format: stateFormat}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(strings.TrimSpace(string(b))) == 0 {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	err = json.Unmarshal(b, &s)
	switch {
	case err != nil:
	case s.Kind != stateKind:
		err = fmt.Errorf("not one of tasks open (use a state file per command)")
	case s.Format != stateFormat:
		err = fmt.Errorf("format %d, this portalctl writes %d", s.Format, stateFormat)
	}
	if err != nil {
		return s, cmdutil.FlagErrorf("--state %s is not a tasks open state file (%v); move it away to start again", path, err)
	}
	return s, nil
}

// finish completes the --output-file commit a killed run left.
func (s *State) finish(path string) error {
	if s.Pending == nil {
		return nil
	}
	if err := statefile.Finish(s.Pending.Temp, s.Pending.Target); err != nil {
		return fmt.Errorf("--state %s: %w", path, err)
	}
	s.Open, s.Pending = s.Pending.Open, nil
	return statefile.Write(path, s)
}

// mismatch names what differs between the tasks a state follows and this
// run's ("" when nothing does).
func (s State) mismatch(now State) string {
	var diffs []string
	for _, d := range [][3]string{{"server", s.Server, now.Server}, {"user", s.User, now.User},
		{"--project", s.Project, now.Project}, {"--jq", s.JQ, now.JQ}} {
		if d[1] != d[2] {
			diffs = append(diffs, fmt.Sprintf("%s %s (this run: %s)", d[0], orNone(d[1]), orNone(d[2])))
		}
	}
	return strings.Join(diffs, ", ")
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// stateRun prints the tasks that became open since the last run on the
// state: under its lock, after finishing what a killed run left, from one
// list of the open tasks; the state then holds that list. A task closed
// and open again is new again. With --output-file the rows and the state
// are committed together (exactly once, even across kill -9); on standard
// output a run killed between printing and saving prints those tasks again.
func stateRun(ctx context.Context, opts *Options) error {
	path, target := opts.State, opts.Render.Flags.OutputFile
	if err := checkTarget(target, opts.Clobber); err != nil {
		return err
	}
	unlock, err := statefile.Begin(ctx, path, opts.LockTimeout)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := readState(path)
	if err != nil {
		return err
	}
	if err := st.finish(path); err != nil {
		return err
	}
	c, err := opts.Client()
	if err != nil {
		return err
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	now := State{Server: c.BaseURL(), User: me.User.Username, Project: opts.Project, JQ: opts.Render.Flags.JQ}
	if !st.Started {
		st.Server, st.User, st.Project, st.JQ, st.Started = now.Server, now.User, now.Project, now.JQ, true
	} else if diff := st.mismatch(now); diff != "" {
		return cmdutil.FlagErrorf("--state %s follows other tasks: %s; use a separate state file for each server, user, "+
			"--project and --jq", path, diff)
	}
	opts.Render.Me = &me
	ropts, err := opts.Render.Options(ctx)
	if err != nil {
		return err
	}
	tasks, err := openTasks(ctx, c, opts.Project)
	if err != nil {
		return err
	}
	printed := make(map[int64]bool, len(st.Open))
	for _, id := range st.Open {
		printed[id] = true
	}
	var fresh []api.Task
	open := make([]int64, 0, len(tasks))
	for _, t := range tasks {
		if !printed[t.ID] {
			fresh = append(fresh, t)
		}
		open = append(open, t.ID)
	}
	slices.Sort(open)
	if len(fresh) == 0 {
		fmt.Fprintln(opts.Render.IO.ErrOut, "No tasks became open since the last run; nothing written.")
		st.Open = open
		return statefile.Write(path, st)
	}
	rows := func(w io.Writer) error {
		return output.WriteList(w, output.Tasks, ropts, output.Rows(fresh))
	}
	if target == "" {
		if err := rows(opts.Render.IO.Out); err != nil {
			return err
		}
		st.Open = open
		return statefile.Write(path, st)
	}
	return commitFile(&st, path, target, open, rows)
}

// checkTarget refuses to replace a non-empty --output-file without
// --clobber: with --state it would lose the tasks the earlier run wrote.
func checkTarget(target string, clobber bool) error {
	if target == "" {
		return nil
	}
	if info, err := os.Stat(target); err == nil && !info.Mode().IsRegular() {
		return cmdutil.FlagErrorf("--output-file %s is not a regular file", target)
	} else if err == nil && info.Size() > 0 && !clobber {
		return cmdutil.FlagErrorf("--output-file %s is not empty: with --state, a run writes only the tasks that became "+
			"open since the last one, so replacing it would lose the earlier ones; name a file per run "+
			"(\"open-$(date +%%FT%%H%%M%%S).csv\"), or add --clobber to replace it", target)
	}
	return nil
}

// commitFile writes the rows to target together with the state: the rows
// sealed in a pending file, the state recording the commit, the rename,
// the state moved on (statefile).
func commitFile(st *State, path, target string, open []int64, rows func(io.Writer) error) error {
	if abs, err := filepath.Abs(target); err == nil {
		target = abs
	}
	f, err := statefile.NewPendingFile(target, path)
	if err != nil {
		return fmt.Errorf("--output-file %s: %w", target, err)
	}
	if err := rows(f); err != nil {
		f.Abort()
		return err
	}
	temp, err := f.Seal()
	if err != nil {
		return fmt.Errorf("--output-file %s: %w", target, err)
	}
	st.Pending = &Pending{Target: target, Temp: temp, Open: open}
	if err := statefile.Write(path, st); err != nil {
		_ = os.Remove(temp)
		return err
	}
	return st.finish(path)
}
