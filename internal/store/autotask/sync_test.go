package autotask_test

import (
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
	"github.com/portalctl/portalctl/pkg/api"
)

// clock is a test clock both the emulator (its stamps) and the copy read.
type clock struct{ t atomic.Int64 }

func newClock(t time.Time) *clock { c := &clock{}; c.t.Store(t.UnixNano()); return c }

func (c *clock) now() time.Time          { return time.Unix(0, c.t.Load()).UTC() }
func (c *clock) advance(d time.Duration) { c.t.Add(int64(d)) }

// openClocked opens the copy with the sync's interval at one minute, on a
// clock the test moves.
func openClocked(t *testing.T, data []byte) (*autotasktest.Bridge, *clock) {
	t.Helper()
	c := newClock(autotasktest.Now)
	b := autotasktest.Open(t, data, autotask.Options{Now: c.now, Sync: autotask.SyncOptions{Interval: time.Minute,
		RemovalsEvery: time.Minute}}, autotasktest.Clock(c.now))
	return b, c
}

// Changes made in Autotask (new, changed, late-posted, unposted, deleted
// records, a revoked portal user) are in the copy after the next pass.
func TestCopyConvergesWithinOnePass(t *testing.T) {
	b, c := openClocked(t, demo(t))
	svc := portal.New(b.Store, portal.Options{Now: c.now})
	ben, err := svc.CreateToken(ctx, "ben", "test", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	c.advance(time.Minute)
	emu := b.Emu
	emu.Put("Tasks", 110, map[string]any{"projectID": 1.0, "taskNumber": "T20260215.0001", "title": "Label cables",
		"status": 11.0, "isVisibleInClientPortal": true, "taskType": 1.0, "taskCategoryID": 2.0,
		"createDateTime": "2026-02-15T12:01:00.000Z"}, nil)
	emu.Put("Tasks", 100, map[string]any{"title": "Confirm the licence count"}, nil)
	// Posted now, with an id below items already copied.
	emu.Put("TimeEntries", 59000, map[string]any{"resourceID": 9002.0, "hoursWorked": 2.0}, nil)
	emu.Put("BillingItems", 59000, map[string]any{"projectID": 5.0, "contractID": 501.0, "companyID": 300.0,
		"timeEntryID": 59000.0, "quantity": 1.5, "rate": 150.0, "extendedPrice": atemu.ExtendedPrice(1.5, 150),
		"itemDate": "2026-01-10T00:00:00Z", "postedDate": "2026-02-15T00:00:00Z", "postedOnTime": "2026-02-15T12:01:00.000Z",
		"billingItemType": 1.0, "subType": 1.0, "invoiceID": 0.0, "description": "Late"}, nil)
	emu.Delete("BillingItems", 60004) // unposted
	emu.Delete("ProjectNotes", 700)
	emu.Put("ClientPortalUsers", 3_001_002, map[string]any{"isClientPortalActive": false}, nil) // ben's access revoked
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("pass: %v", err)
	}

	var tasks []api.Task
	b.Tasks(ctx, store.TaskQuery{Projects: store.ProjectScope{OrgIDs: []int64{100}}, ProjectID: 1},
		func(t api.Task) error { tasks = append(tasks, t); return nil })
	titles := map[int64]string{}
	for _, t := range tasks {
		titles[t.ID] = t.Title
	}
	if titles[110] != "Label cables" || titles[100] != "Confirm the licence count" {
		t.Errorf("tasks of project 1 after the pass: %v", titles)
	}
	var billed []int64
	b.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam}, func(r api.BilledHoursRow) error {
		billed = append(billed, r.ID)
		return nil
	})
	if !slices.Contains(billed, 59000) || slices.Contains(billed, 60004) {
		t.Errorf("billed items after the pass: %v, want the late-posted 59000 and not the unposted 60004", billed)
	}
	var notes []int64
	b.Notes(ctx, 1, store.Page{}, func(n api.Note) error { notes = append(notes, n.ID); return nil })
	if slices.Contains(notes, 700) {
		t.Errorf("notes of project 1 after the pass: %v, want 700 gone", notes)
	}
	if _, err := svc.Authenticate(ctx, ben.Token); err == nil {
		t.Error("ben, whose Client Portal access was revoked, still authenticates")
	}
	if asOf, complete, err := b.DataAsOf(ctx); err != nil || !complete || !asOf.Equal(c.now()) {
		t.Errorf("copy as of %v (complete %v, %v), want the pass's start %v", asOf, complete, err, c.now())
	}
}

// A pass that fails (Autotask down) leaves the copy served as it was, and
// the next one resumes; the copy's age grows meanwhile.
func TestAutotaskDownKeepsTheCopy(t *testing.T) {
	b, c := openClocked(t, demo(t))
	asOf, _, _ := b.DataAsOf(ctx)
	b.Emu.SetDown(true)
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err == nil {
		t.Fatal("a pass with Autotask down succeeded")
	}
	c.advance(2 * time.Second) // past the freshness cache
	if got, complete, _ := b.DataAsOf(ctx); !got.Equal(asOf) || !complete {
		t.Errorf("copy as of %v after a failed pass, want still %v", got, asOf)
	}
	n := 0
	b.Projects(ctx, store.ProjectQuery{Scope: store.ProjectScope{OrgIDs: []int64{100}}}, func(api.Project) error { n++; return nil })
	if n == 0 {
		t.Error("no projects served while Autotask is down")
	}
	b.Emu.SetDown(false)
	c.advance(time.Minute)
	if err := b.Sync().Cycle(ctx); err != nil {
		t.Fatalf("the pass after: %v", err)
	}
}
