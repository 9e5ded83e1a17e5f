package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
	"github.com/portalctl/portalctl/pkg/api"
)

// budgetData has two client organizations with n open tasks each, waiting
// for their advanced user: Wide's cleo sees n projects with one task each,
// Narrow's dina sees 3 projects that share her n tasks.
func budgetData(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"portal":{"support_email":"s@example.com","provider_name":"MSP"},
		"organizations":[{"id":1,"name":"Wide"},{"id":2,"name":"Narrow"}],
		"contacts":[{"id":10,"organization_id":1,"first_name":"Cleo","last_name":"Lee","username":"cleo","security_level":"advanced","password":"demo"},
			{"id":11,"organization_id":2,"first_name":"Dina","last_name":"Roy","username":"dina","security_level":"advanced","password":"demo"}],
		"resources":[{"id":20,"first_name":"Rae","last_name":"Ng","email":"rae@msp.example"}],
		"projects":[`)
	sep := ""
	for i := 1; i <= n+3; i++ {
		org := 1
		if i > n {
			org = 2
		}
		fmt.Fprintf(&b, `%s{"id":%d,"number":"P20260101.%04d","name":"p%d","organization_id":%d,"status":"in_progress","lead_resource_id":20}`, sep, i, i, i, org)
		sep = ","
	}
	b.WriteString(`],"tasks":[`)
	sep = ""
	for i := 1; i <= 2*n; i++ {
		project, contact := i, 10
		if i > n {
			project, contact = n+1+i%3, 11
		}
		fmt.Fprintf(&b, `%s{"id":%d,"project_id":%d,"number":"T20260101.%04d","title":"t%d","status":"waiting_customer","contact_id":%d,"assigned_resource_id":20,"position":%d}`,
			sep, 1000+i, project, i, i, contact, i)
		sep = ","
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func ceil500(n int) int64 { return int64((n + 499) / 500) }

// TestAutotaskCallBudget: with warm caches, one API request listing N rows
// costs at most ceil(N/500) + 2 Autotask calls, authentication included
// (the store package checks the store calls alone). Autotask allows 10,000
// calls an hour per database (docs/autotask.md §8): this keeps a portal of
// scripted clients inside it.
func TestAutotaskCallBudget(t *testing.T) {
	t.Parallel()
	const n = 700
	// A clock the test moves, to let every cache expire.
	var clock atomic.Int64
	clock.Store(portaltest.Now.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	db := autotasktest.Open(t, budgetData(n), autotask.Options{Now: now}, autotasktest.Clock(now))
	svc, emu := portal.New(db, portal.Options{Now: now}), db.Emu
	srv := httptest.NewServer(httpapi.New(svc, httpapi.Options{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(srv.Close)
	e := &env{t: t, srv: srv, svc: svc, db: db, logs: &bytes.Buffer{}, contract: newContract(t)}

	// Authentication: the token and the account are in portald's own
	// database; the contact (cached 1 min), the company tree and, for
	// /v1/me, the contracts that make a billing organization (cached 5 min)
	// come from Autotask. With every cache expired that is 3 calls; with
	// warm caches none.
	cleo, dina := e.token("cleo"), e.token("dina")
	clock.Add(int64(10 * time.Minute))
	cold, warm := calls(t, e, emu, "/v1/me", cleo), calls(t, e, emu, "/v1/me", cleo)
	if warm.calls != 0 || cold.calls > 3 || cold.status != 200 {
		t.Errorf("authentication: status %d, %d Autotask calls cold (%s), %d warm; want ≤ 3 cold (contact, companies, contracts), 0 warm",
			cold.status, cold.calls, cold.byEntity, warm.calls)
	}
	t.Logf("authentication: %d Autotask calls cold (%s), %d warm", cold.calls, cold.byEntity, warm.calls)

	tests := []struct {
		name, list, token string
		// extra is what the request may cost beyond ceil(N/500) + 2.
		extra int64
	}{
		{"projects", "/v1/projects", cleo, 0},
		{"open tasks on 3 projects", "/v1/tasks/open", dina, 0},
		// Autotask's Tasks carry no company: My Open Tasks first reads the
		// ids of every open project in scope (ceil(P/500) calls), then
		// their tasks. Over 500 projects that costs more than the flat bound.
		{"open tasks on 700 projects", "/v1/tasks/open", cleo, ceil500(n) - 1},
	}
	for _, tt := range tests {
		for _, limit := range []int{api.MaxLimit, api.DefaultLimit} {
			t.Run(fmt.Sprintf("%s/limit=%d", tt.name, limit), func(t *testing.T) {
				walk(t, e, emu, tt.list, tt.token, limit, -1) // warm the caches
				rows := walk(t, e, emu, tt.list, tt.token, limit, tt.extra)
				if want := min(n, 3*limit); rows != want {
					t.Errorf("listed %d rows, want %d", rows, want)
				}
			})
		}
	}
}

type answer struct {
	rows       int
	next       *string
	calls      int64 // without the ThresholdInformation reads
	syncs      int64 // ThresholdInformation reads
	status     int
	body, path string
	byEntity   string // "Projects 3 Tasks 1 "
}

// calls makes one GET and counts the Autotask calls it cost.
func calls(t *testing.T, e *env, emu *atemu.Server, path, token string) answer {
	t.Helper()
	e.t = t
	emu.ResetCalls()
	status, _, body := e.call("GET", path, token, "")
	// The client reads ThresholdInformation every 100 calls to keep its
	// hourly budget in step with Autotask's count (internal/autotask
	// syncEvery); that read is the budget's own cost, 1 %, not the list's.
	sync := emu.CallsTo("ThresholdInformation")
	a := answer{calls: emu.Calls() - sync, syncs: sync, status: status, body: body, path: path}
	rest := a.calls
	for _, entity := range []string{"Projects", "Tasks", "Companies", "Contacts", "Resources", "Contracts"} {
		if c := emu.CallsTo(entity); c > 0 {
			a.byEntity += fmt.Sprintf("%s %d ", entity, c)
			rest -= c
		}
	}
	if rest > 0 {
		a.byEntity += fmt.Sprintf("other %d", rest)
	}
	var page struct {
		Items      []json.RawMessage `json:"items"`
		NextCursor *string           `json:"next_cursor"`
	}
	if json.Unmarshal([]byte(body), &page) == nil {
		a.rows, a.next = len(page.Items), page.NextCursor
	}
	return a
}

// walk reads up to 3 pages of a list and, unless extra is negative, fails
// a page whose calls pass ceil(rows/500) + 2 + extra. It returns the rows
// read.
func walk(t *testing.T, e *env, emu *atemu.Server, list, token string, limit int, extra int64) (rows int) {
	t.Helper()
	path := fmt.Sprintf("%s?limit=%d", list, limit)
	for range 3 {
		a := calls(t, e, emu, path, token)
		if a.status != 200 {
			t.Fatalf("%s: %d %.300s", path, a.status, a.body)
		}
		if bound := ceil500(a.rows) + 2 + extra; extra >= 0 && a.calls > bound {
			t.Errorf("%s: %d rows in %d Autotask calls (%s), want ≤ %d", path, a.rows, a.calls, a.byEntity, bound)
		}
		if a.syncs > 1 {
			t.Errorf("%s: %d ThresholdInformation reads; the client reads it once every 100 calls", path, a.syncs)
		}
		if extra >= 0 {
			t.Logf("%s: %d rows, %d Autotask calls (%s) + %d ThresholdInformation", path, a.rows, a.calls, a.byEntity, a.syncs)
		}
		rows += a.rows
		if a.next == nil {
			break
		}
		path = fmt.Sprintf("%s?limit=%d&cursor=%s", list, limit, *a.next)
	}
	return rows
}
