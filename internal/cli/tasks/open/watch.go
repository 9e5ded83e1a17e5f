package open

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/shared"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

const (
	defaultInterval = 5 * time.Minute
	// minInterval keeps a forgotten watch from costing the portal more
	// than a person refreshing a page would.
	minInterval = 10 * time.Second
)

// checkWatch refuses the flags --watch cannot honour, as usage errors.
func checkWatch(cmd *cobra.Command, opts *Options) error {
	if !opts.Watch {
		if cmd.Flags().Changed("interval") {
			return cmdutil.FlagErrorf("--interval goes with --watch")
		}
		return nil
	}
	switch {
	case opts.Interval < minInterval:
		return cmdutil.FlagErrorf("--interval %s is too short: at least %s", opts.Interval, minInterval)
	case opts.ExitStatus:
		return cmdutil.FlagErrorf("--exit-status answers once; --watch never ends: use one of them")
	case opts.Render.Flags.OutputFile != "":
		return cmdutil.FlagErrorf("--watch prints as tasks come: redirect stdout instead of --output-file")
	case cmd.Flags().Changed("limit") || opts.Limit.All:
		return cmdutil.FlagErrorf("--watch prints every task that becomes open: leave out --limit and --all")
	}
	return nil
}

// watchRun polls My Open Tasks until the context ends and prints the
// tasks that were not open at the previous poll: every open task the
// first time, then only those that became open (a task closed and opened
// again is new again). The header is printed once.
func watchRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	sleep := opts.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	r := opts.Render
	r.Flags.NoPager = true // a pager would hold the stream until it ends
	if err := zoneOnce(ctx, opts, c); err != nil {
		return err
	}
	var open map[int64]bool
	for {
		tasks, err := openTasks(ctx, c, opts.Project)
		wait := opts.Interval
		switch {
		case err == nil:
			var fresh []api.Task
			for _, t := range tasks {
				if !open[t.ID] {
					fresh = append(fresh, t)
				}
			}
			open = make(map[int64]bool, len(tasks))
			for _, t := range tasks {
				open[t.ID] = true
			}
			if err := printTasks(ctx, opts, fresh); err != nil {
				return err
			}
		case ctx.Err() != nil:
			return ctx.Err()
		case passing(err):
			if after, ok := client.RetryAfter(err); ok && after > wait {
				wait = after // the portal said when: never sooner
			}
			fmt.Fprintf(r.IO.ErrOut, "warning: %s; trying again in %s\n", output.Sanitize(err.Error()), wait.Round(time.Second))
		default:
			return err
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
	}
}

// printTasks prints a poll's new tasks; the header only with the first.
func printTasks(ctx context.Context, opts *Options, tasks []api.Task) error {
	if len(tasks) == 0 {
		return nil
	}
	r := opts.Render
	err := shared.List(ctx, r, output.Tasks, output.Rows(tasks))
	r.Flags.NoHeaders = true
	return err
}

// zoneOnce fixes the time zone of the times printed for the whole watch,
// so that each poll's print does not ask the portal for it again: --tz,
// else the tz setting, else the organization's.
func zoneOnce(ctx context.Context, opts *Options, c *client.Client) error {
	r := opts.Render
	if r.Flags.TZ != "" {
		return nil
	}
	if r.Config != nil {
		cfg, err := r.Config()
		if err != nil {
			return err
		}
		if tz, _ := cfg.Get("tz"); tz != "" {
			return nil
		}
	}
	me, err := c.Me(ctx)
	if err != nil {
		return err
	}
	r.Flags.TZ = me.Organization.TimeZone
	return nil
}

// openTasks fetches every open task.
func openTasks(ctx context.Context, c *client.Client, project string) ([]api.Task, error) {
	var out []api.Task
	for t, err := range c.OpenTasks(ctx, project, 0) {
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// passing reports an error a watch rides out: the portal is busy or
// briefly unavailable, or the network failed (after the client's own
// retries). Anything else (a revoked token, a project no longer visible)
// ends the watch.
func passing(err error) bool {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code == api.CodeRateLimited || e.Code == api.CodeUnavailable || e.Code == api.CodeUpstreamUnavailable
	}
	return !errors.Is(err, cmdutil.ErrNotLoggedIn)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
