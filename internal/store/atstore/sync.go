package atstore

import (
	"context"
	"log/slog"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
	"golang.org/x/time/rate"
)

// SyncOptions configure the Syncer; zero values get the defaults noted.
type SyncOptions struct {
	// Interval between two passes; default 2 minutes. A change in Autotask
	// shows in the copy within about one interval.
	Interval time.Duration
	// Lookback is re-read behind each entity's cursor (its last-change
	// field), for records committed late or stamped by a clock behind
	// ours; default 5 minutes.
	Lookback time.Duration
	// PostingLookback is re-read behind the billing items' postedOnTime
	// cursor: posting runs in batches and an item can be posted with an
	// instant (and an id) older than items already read; default 1 hour.
	PostingLookback time.Duration
	// RefreshEvery is how often the entities without a last-change field
	// (resources, contracts, task secondary resources) and the picklists
	// are read whole; default 1 hour. ClientPortalUsers are read whole every
	// pass: revoked access must end at the next pass.
	RefreshEvery time.Duration
	// RemovalsEvery is how often tasks, phases, notes, attachments and
	// contacts deleted in Autotask are looked for (a count per entity, the
	// ids only when it differs); default 15 minutes. Unposted billing items
	// are looked for every pass: the billed-hours export must reverse them.
	RemovalsEvery time.Duration
	// UnpostWindow is how far back billing items are checked for having
	// been unposted (an item can only be unposted until it is invoiced);
	// default 90 days.
	UnpostWindow time.Duration
	// InitialShare is the most of the hourly request budget the initial
	// sync may spend (it is paced); default 0.5.
	InitialShare float64
	// HourlyLimit is the hourly request budget the share is of; default
	// 10000 (Autotask's, per database).
	HourlyLimit int
	Logger      *slog.Logger // default: discard
}

func (o *SyncOptions) defaults() {
	if o.Interval <= 0 {
		o.Interval = 2 * time.Minute
	}
	if o.Lookback <= 0 {
		o.Lookback = 5 * time.Minute
	}
	if o.PostingLookback <= 0 {
		o.PostingLookback = time.Hour
	}
	if o.RefreshEvery <= 0 {
		o.RefreshEvery = time.Hour
	}
	if o.RemovalsEvery <= 0 {
		o.RemovalsEvery = 15 * time.Minute
	}
	if o.UnpostWindow <= 0 {
		o.UnpostWindow = 90 * 24 * time.Hour
	}
	if o.InitialShare <= 0 || o.InitialShare > 1 {
		o.InitialShare = 0.5
	}
	if o.HourlyLimit <= 0 {
		o.HourlyLimit = 10000
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
}

// Syncer keeps the copy current. Exactly one Syncer runs the sync at a
// time for a database (Run holds a lease); any number of portald instances
// serve the copy.
type Syncer struct {
	s    *Store
	c    *autotask.Client
	db   Local
	o    SyncOptions
	log  *slog.Logger
	now  func() time.Time
	pace *rate.Limiter // the initial sync's share of the budget
}

// Entities whose picklists the sync maps by label.
var pickEntities = []string{"Projects", "Tasks", "ProjectNotes", "TaskNotes", "Tickets", "TicketNotes", "ClientPortalUsers"}

func newSyncer(s *Store) *Syncer {
	o := s.opt.Sync
	o.defaults()
	perSecond := o.InitialShare * float64(o.HourlyLimit) / 3600
	return &Syncer{s: s, c: s.c, db: s.local, o: o, log: o.Logger, now: s.opt.Now,
		pace: rate.NewLimiter(rate.Limit(perSecond), 1)}
}

// State keys (autotask_sync).
const (
	keyLastSuccess = "last_success" // start of the last complete pass (RFC 3339): the copy is as of then
	keyLastAttempt = "last_attempt"
	keyLastError   = "last_error"
	keyRefreshed   = "refreshed" // when the whole entities were last read
	keyRemovals    = "removals"  // when removals were last looked for
	keyInitialDone = "initial_done"
)

// Cycle runs one pass: every entity's changes since its cursor (all its
// records, paced, until its initial pull is done), the whole small
// entities every RefreshEvery, the removals (of billing items every pass,
// of the rest every RemovalsEvery); then the team and schedule positions
// of the projects it touched. A failed pass leaves
// every cursor where its last written batch put it: the next one resumes.
func (y *Syncer) Cycle(ctx context.Context) error {
	start := y.now().UTC()
	y.db.SetSyncState(ctx, keyLastAttempt, start.Format(time.RFC3339Nano))
	err := y.cycle(ctx, start)
	if err != nil {
		y.db.SetSyncState(context.WithoutCancel(ctx), keyLastError, start.Format(time.RFC3339)+" "+oneLine(err.Error()))
		return err
	}
	return y.db.SetSyncState(ctx, keyLastSuccess, start.Format(time.RFC3339Nano))
}

func (y *Syncer) cycle(ctx context.Context, start time.Time) error {
	state, err := y.db.SyncState(ctx)
	if err != nil {
		return err
	}
	refresh := due(state[keyRefreshed], start, y.o.RefreshEvery)
	picks, err := y.s.picklistsAll(ctx, refresh)
	if err != nil {
		return err
	}
	p := &pass{y: y, picks: picks, state: state, start: start, refresh: refresh, touched: map[int64]bool{}, pulled: map[int64][]int64{}}
	for _, step := range []func(context.Context) error{
		p.companies, p.contacts, p.resources, p.contracts, p.portalUsers, p.projects, p.phases, p.tasks,
		p.secondaryResources, p.projectNotes, p.taskNotes, p.tickets, p.ticketNotes, p.attachments, p.billingItems,
	} {
		if err := step(ctx); err != nil {
			return err
		}
	}
	removals := due(state[keyRemovals], start, y.o.RemovalsEvery)
	if err := p.reconcile(ctx, removals); err != nil {
		return err
	}
	if err := p.rebuildTeams(ctx); err != nil {
		return err
	}
	for key, done := range map[string]bool{keyRefreshed: refresh, keyRemovals: removals} {
		if done {
			if err := y.db.SetSyncState(ctx, key, start.Format(time.RFC3339Nano)); err != nil {
				return err
			}
		}
	}
	if state[keyInitialDone] == "" {
		return y.db.SetSyncState(ctx, keyInitialDone, start.Format(time.RFC3339Nano))
	}
	return nil
}

// due reports whether a periodic task last run at last (RFC 3339, "" =
// never) is due at now: once per period of every on the clock (each
// quarter hour, each hour), at the first pass in it, so the number of runs
// an hour does not drift with the interval.
func due(last string, now time.Time, every time.Duration) bool {
	t, err := time.Parse(time.RFC3339Nano, last)
	return err != nil || now.Truncate(every).After(t.Truncate(every))
}

// Run syncs every Interval until ctx ends, while it holds the lease;
// another instance takes over within an interval of this one stopping.
// Errors are logged: the copy keeps being served with its age.
func (y *Syncer) Run(ctx context.Context) {
	lease := y.lease()
	defer lease.release()
	for {
		held, err := lease.hold(ctx)
		switch {
		case err != nil:
			y.log.Warn("autotask sync: the lease could not be checked", "error", err.Error())
		case held:
			if err := y.Cycle(ctx); err != nil && ctx.Err() == nil {
				y.log.Warn("autotask sync: the pass failed; the copy is served as it is and the next pass resumes",
					"error", err.Error())
			}
		}
		t := time.NewTimer(y.o.Interval)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
