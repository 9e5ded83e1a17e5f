// Package open implements `portalctl tasks open` (My Open Tasks).
package open

import (
	"context"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for tasks open.
type Options struct {
	Render  *shared.Renderer
	Client  func() (*client.Client, error)
	Project string
	Limit   cmdutil.LimitFlags
	// ExitStatus exits 8 when a task is open (0 when none).
	ExitStatus bool
	// Watch polls every Interval and prints the tasks that became open
	// (watch.go); Sleep waits between polls (tests replace it).
	Watch    bool
	Interval time.Duration
	Sleep    func(ctx context.Context, d time.Duration) error
	// State prints only the tasks that became open since the last run on
	// it (state.go); Clobber lets such a run replace a non-empty
	// --output-file.
	State       string
	Clobber     bool
	LockTimeout time.Duration
}

// NewCmdOpen builds the command.
func NewCmdOpen(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{Render: shared.NewRenderer(f), Client: f.Client}
	var project string
	cmd := &cobra.Command{
		Use:   "open [--project ID|NUMBER] [--exit-status | --watch [--interval D] | --state FILE [--output-file FILE]]",
		Short: "List My Open Tasks: tasks waiting for you",
		Long: heredoc.Doc(`
			List the tasks waiting for a response from you, across your projects: tasks in
			status "waiting customer", and tasks whose contact you are that you may
			complete yourself.

			--exit-status makes the exit code the answer, for a shell if or a CI gate: 8 when
			you have open tasks, 0 when none (the list is printed either way).

			--watch keeps polling (every --interval, 5m by default) and prints each task as
			it becomes open: the open tasks first, then only new ones. It waits as long as
			the portal asks when it is busy (Retry-After), rides out a portal that is
			briefly unavailable, and ends with Ctrl-C (exit 130). Use -o ndjson or tsv to
			feed another program one task per line.

			--state FILE is the same for a cron job: each run prints only the tasks that
			became open since the run before (the first run, every open task; a task closed
			and open again is new again), to mail or post them. Runs on one state file take
			turns (a lock; a second run waits up to --lock-timeout, then fails without
			printing). A run that fails changes nothing. With --output-file the file and the
			state are committed together, so each task is written exactly once even if a run
			is killed; a run without new tasks writes no file and says so on stderr. An
			existing non-empty --output-file is replaced only with --clobber.
		`),
		Example: heredoc.Doc(`
			$ portalctl tasks open
			$ portalctl tasks open --project P20260105.0001 -o json
			# a CI gate: fail the job while tasks wait for you
			$ if portalctl tasks open --exit-status > /dev/null; then echo "nothing waiting"; fi
			# cron: mail the tasks that became open since the last run
			$ portalctl tasks open --state ~/.local/state/open-tasks.json --output-file "open-$(date +%FT%H%M%S).csv" -o csv
		`),
		Args: cmdutil.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if project != "" {
				ref, err := cmdutil.ProjectFlag(project)
				if err != nil {
					return err
				}
				opts.Project = ref
			}
			if err := checkWatch(cmd, opts); err != nil {
				return err
			}
			if err := checkState(cmd, opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			if opts.Watch {
				return watchRun(cmd.Context(), opts)
			}
			if opts.State != "" {
				return stateRun(cmd.Context(), opts)
			}
			return openRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&project, "project", "", "Only tasks of this project (id or number)")
	_ = cmd.RegisterFlagCompletionFunc("project", shared.Complete(f, shared.ProjectNumbers))
	cmd.Flags().BoolVar(&opts.ExitStatus, "exit-status", false, "Exit 8 when you have open tasks, 0 when none")
	cmd.Flags().BoolVar(&opts.Watch, "watch", false, "Keep polling and print tasks as they become open")
	cmd.Flags().DurationVar(&opts.Interval, "interval", defaultInterval, "Time between polls with --watch (at least 10s)")
	cmd.Flags().StringVar(&opts.State, "state", "", "Remember the open tasks in `FILE`; print only those that became open since the last run")
	cmd.Flags().BoolVar(&opts.Clobber, "clobber", false, "With --state: replace a non-empty --output-file")
	cmd.Flags().DurationVar(&opts.LockTimeout, "lock-timeout", defaultLockTimeout, "With --state: how long to wait for another run on the same state file")
	cmdutil.AddLimitFlags(cmd, &opts.Limit, 30)
	cmdutil.AddOutputFlags(cmd, &opts.Render.Flags, output.Tasks.Keys)
	return cmd
}

func openRun(ctx context.Context, opts *Options) error {
	limit := opts.Limit.Rows()
	c, err := opts.Client()
	if err != nil {
		return err
	}
	open := false
	rows := c.OpenTasks(ctx, opts.Project, shared.OneMore(limit))
	seen := func(yield func(api.Task, error) bool) {
		for t, err := range rows {
			open = open || err == nil
			if !yield(t, err) {
				return
			}
		}
	}
	if err := shared.ListUpTo(ctx, opts.Render, output.Tasks, limit, seen); err != nil {
		return err
	}
	if opts.ExitStatus && open {
		return &cmdutil.StatusExit{Code: cmdutil.ExitOpenTasks}
	}
	return nil
}
