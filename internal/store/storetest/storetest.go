// Package storetest is the conformance suite of the store contract
// (store.PortalData, store.Source, store.Accounts): the specification of
// the rules the contract names. sqlite, postgres and the copy of Autotask
// (on both) pass it. The stores under test are built by a factory from a
// data file in the import format, so every implementation is checked
// against the same fixtures.
package storetest

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
)

// Factory returns a new, empty store holding exactly the records of data
// (a file in the import format).
type Factory func(t *testing.T, data []byte) store.Stores

// Fixture is the demo data set plus synthetic rows for paging: 120 extra
// Contoso projects and 700 billing items billed to Fabrikam Partners.
func Fixture(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := dataset.WriteDemo(&buf, dataset.DemoOptions{BillingItems: 700, Projects: 120}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var ctx = context.Background()

// Demo ids the suite relies on (see internal/dataset/demo.json).
const (
	contoso, logistics, east, fabrikam, tailspin, wingtip = 100, 101, 102, 200, 300, 301
	ava, ben, chloe, sam                                  = 1001, 1002, 2001, 1007
	// Demo tickets: 7001 (Tailspin, billed to Fabrikam by item 70001 only),
	// 7002 (Wingtip, its contract bills Fabrikam), 7003 (Tailspin,
	// complete), 7004 (Contoso's own), 7005 (Fabrikam's own).
	printer, pos, mailboxes, vpn, laptop = 7001, 7002, 7003, 7004, 7005
)

// Run runs the whole suite against stores built by newStore.
func Run(t *testing.T, newStore Factory) { run(t, newStore, Options{}) }

func run(t *testing.T, newStore Factory, o Options) {
	fixture := Fixture(t)
	shared := newStore(t, fixture) // read-only tests share one store
	t.Run("Identity", func(t *testing.T) { testIdentity(t, shared) })
	t.Run("Projects", func(t *testing.T) { testProjects(t, shared) })
	t.Run("KeysetPaging", func(t *testing.T) { testPaging(t, shared) })
	t.Run("ProjectDetails", func(t *testing.T) { testProjectDetails(t, shared, o) })
	t.Run("Tasks", func(t *testing.T) { testTasks(t, shared, o) })
	t.Run("EndClients", func(t *testing.T) { testEndClients(t, shared) })
	t.Run("BilledHours", func(t *testing.T) { testBilledHours(t, shared, o) })
	t.Run("EndClientTickets", func(t *testing.T) { testEndClientTickets(t, shared) })
	t.Run("ExactHours", func(t *testing.T) { testExactHours(t, newStore, o) })
	t.Run("LargeAttachment", func(t *testing.T) { testLargeAttachment(t, newStore, o) })
	t.Run("Tokens", func(t *testing.T) { testTokens(t, newStore(t, fixture)) })
	t.Run("Writes", func(t *testing.T) { testWrites(t, newStore(t, fixture), o) })
	t.Run("Outbox", func(t *testing.T) { testOutbox(t, newStore(t, fixture)) })
	t.Run("ConcurrentWriters", func(t *testing.T) { testConcurrentWriters(t, newStore(t, fixture)) })
	t.Run("LoginAttempts", func(t *testing.T) { testLoginAttempts(t, newStore(t, fixture)) })
	t.Run("EmailAllowance", func(t *testing.T) { testEmailAllowance(t, newStore(t, fixture)) })
	t.Run("ImportAllOrNothing", func(t *testing.T) { testImportAllOrNothing(t, newStore) })
	t.Run("CalendarFeeds", func(t *testing.T) { testCalendarFeeds(t, newStore(t, fixture)) })
	t.Run("ProjectEvents", func(t *testing.T) { testProjectEvents(t, shared, o) })
	t.Run("CalendarVersions", func(t *testing.T) { testCalendarVersions(t, newStore(t, fixture)) })
	t.Run("BilledSummary", func(t *testing.T) { testBilledSummary(t, newStore, o) })
	t.Run("BillingFeed", func(t *testing.T) { testBillingFeed(t, newStore) })
	t.Run("FeedCommitOrder", func(t *testing.T) { testFeedCommitOrder(t, newStore) })
}

// collect runs a streaming list and returns its rows.
func collect[T any](t *testing.T, list func(each func(T) error) error) []T {
	t.Helper()
	var out []T
	if err := list(func(v T) error { out = append(out, v); return nil }); err != nil {
		t.Fatalf("list: %v", err)
	}
	return out
}

func ids[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, 0, len(rows))
	for _, r := range rows {
		out = append(out, id(r))
	}
	return out
}

func wantIDs(t *testing.T, what string, got, want []int64) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s: got ids %v, want %v", what, got, want)
	}
}

func wantNotFound(t *testing.T, what string, err error) {
	t.Helper()
	if err != store.ErrNotFound {
		t.Errorf("%s: got %v, want store.ErrNotFound", what, err)
	}
}

// val is *p, or the zero value when p is nil.
func val[T any](p *T) (v T) {
	if p != nil {
		v = *p
	}
	return v
}
