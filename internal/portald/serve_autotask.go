package portald

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	autotaskstore "github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/spf13/cobra"
)

// copyFlags are serve's settings of the synced copy of Autotask.
type copyFlags struct {
	interval       time.Duration
	removalsEvery  time.Duration
	initialShare   float64
	securityLevels string
	noteType       string
}

func (f *copyFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.DurationVar(&f.interval, "autotask-sync-interval", 2*time.Minute, "how often the copy of Autotask is brought up to date (a change shows within about this long)")
	fl.DurationVar(&f.removalsEvery, "autotask-removals-every", 15*time.Minute, "how often records deleted in Autotask are looked for (unposted billing items: every sync)")
	fl.Float64Var(&f.initialShare, "autotask-initial-share", 0.5, "the most of --autotask-hourly-limit the initial sync may spend (0 to 1]")
	fl.StringVar(&f.securityLevels, "autotask-security-levels", "", "the portal level of each Client Portal security level id, like 1=basic,2=advanced,3=manager,105=Projects Only (portald autotask check lists the ids in use)")
	fl.StringVar(&f.noteType, "autotask-note-type", "Client Portal Note", "the note type (by label) portal notes are filed as in Autotask")
}

// parseSecurityLevels reads "id=level,…".
func parseSecurityLevels(s string) (map[int64]string, error) {
	out := map[int64]string{}
	for _, part := range strings.Split(s, ",") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		id, level, ok := strings.Cut(part, "=")
		n, err := strconv.ParseInt(strings.TrimSpace(id), 10, 64)
		if !ok || err != nil || strings.TrimSpace(level) == "" {
			return nil, fmt.Errorf("--autotask-security-levels %q: write id=level pairs separated by commas, like 1=basic,2=advanced", s)
		}
		out[n] = strings.TrimSpace(level)
	}
	return out, nil
}

// openCopy opens the synced copy of Autotask in local and checks that the
// tenant has what portald needs.
func (o serveOptions) openCopy(ctx context.Context, local database, logger *slog.Logger) (*autotaskstore.Store, error) {
	l, ok := local.(autotaskstore.Local)
	if !ok {
		return nil, errors.New("this database cannot hold a copy of Autotask")
	}
	levels, err := parseSecurityLevels(o.copy.securityLevels)
	if err != nil {
		return nil, usageError{err}
	}
	if o.copy.initialShare <= 0 || o.copy.initialShare > 1 || o.copy.interval <= 0 {
		return nil, usageError{errors.New("--autotask-initial-share must be in (0, 1] and --autotask-sync-interval positive")}
	}
	client, err := o.autotask.client(ctx, logger)
	if err != nil {
		return nil, err
	}
	logger.Info("serving a synced copy of Autotask", "api", client.BaseURL(), "sync_interval", o.copy.interval.String())
	st, err := autotaskstore.Open(ctx, autotaskstore.Options{Client: client, Local: l, SecurityLevels: levels,
		NoteType: o.copy.noteType, Sync: autotaskstore.SyncOptions{Interval: o.copy.interval, RemovalsEvery: o.copy.removalsEvery, InitialShare: o.copy.initialShare,
			HourlyLimit: o.autotask.hourlyLimit, Logger: logger}})
	if err != nil {
		return nil, err
	}
	missing, err := st.Setup(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot check the Autotask tenant: %w", err)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("the Autotask tenant lacks what portald needs; create these, then start again:\n  - %s",
			strings.Join(missing, "\n  - "))
	}
	return st, nil
}

// portalData is the store the rules read: the --db database itself, or
// the synced copy of Autotask in it, with the sync to run beside serving.
func (o serveOptions) portalData(ctx context.Context, local database, logger *slog.Logger) (store.Store, func(context.Context), error) {
	if o.store != "autotask" {
		return local, func(context.Context) {}, nil
	}
	st, err := o.openCopy(ctx, local, logger)
	if err != nil {
		return nil, nil, err
	}
	return st, st.Sync().Run, nil
}
