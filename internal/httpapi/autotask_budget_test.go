package httpapi_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store/atstore"
	"github.com/portalctl/portalctl/internal/store/atstore/atstoretest"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"golang.org/x/time/rate"
)

// mspData is an MSP's Autotask: orgs client organizations with 4 portal
// users each, projects spread over them with tasks each, and billing items
// of labour on them billed to the first organization.
func mspData(orgs, projects, tasksPer, billing int) []byte {
	var b strings.Builder
	b.WriteString(`{"portal":{"support_email":"s@example.com","provider_name":"MSP"},"organizations":[`)
	for o := 1; o <= orgs; o++ {
		fmt.Fprintf(&b, `%s{"id":%d,"name":"Org %d"}`, comma(o, 1), o, o)
	}
	b.WriteString(`],"contacts":[`)
	for c := 1; c <= 4*orgs; c++ {
		fmt.Fprintf(&b, `%s{"id":%d,"organization_id":%d,"first_name":"U","last_name":"%d","username":"u%d","security_level":"advanced","password":"demo"}`,
			comma(c, 1), 1000+c, (c-1)/4+1, c, c)
	}
	b.WriteString(`],"resources":[{"id":20,"first_name":"Rae","last_name":"Ng","email":"rae@msp.example"}],"contracts":[`)
	for o := 1; o <= orgs; o++ {
		fmt.Fprintf(&b, `%s{"id":%d,"organization_id":%d,"name":"C%d","billing_organization_id":1}`, comma(o, 1), 500+o, o, o)
	}
	b.WriteString(`],"projects":[`)
	for p := 1; p <= projects; p++ {
		org := (p-1)%orgs + 1
		fmt.Fprintf(&b, `%s{"id":%d,"number":"P20260101.%05d","name":"p%d","organization_id":%d,"status":"in_progress","lead_resource_id":20,"contract_id":%d}`,
			comma(p, 1), p, p, p, org, 500+org)
	}
	b.WriteString(`],"tasks":[`)
	for i := 1; i <= projects*tasksPer; i++ {
		p := (i-1)/tasksPer + 1
		fmt.Fprintf(&b, `%s{"id":%d,"project_id":%d,"number":"T20260101.%06d","title":"t%d","status":"waiting_customer","assigned_resource_id":20,"position":%d}`,
			comma(i, 1), 100000+i, p, i, i, i)
	}
	b.WriteString(`],"billing_items":[`)
	for i := 1; i <= billing; i++ {
		p := (i-1)%projects + 1
		fmt.Fprintf(&b, `%s{"id":%d,"project_id":%d,"contract_id":%d,"worked_date":"2025-%02d-%02d","hours_worked":1.5,"hours_billed":1.5,"rate":100,"billed_at":"2025-%02d-%02dT18:00:00Z"}`,
			comma(i, 1), 1000000+i, p, 500+(p-1)%orgs+1, i%12+1, i%28+1, i%12+1, i%28+1)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

func comma(i, first int) string {
	if i == first {
		return ""
	}
	return ","
}

// budgetScale is the MSP the call-budget test emulates: a tenth of the
// target by default (PORTALCTL_AUTOTASK_BUDGET=msp: 1,000 projects, 50,000
// tasks, 100,000 billing items; the steady state reads none of them again).
func budgetScale() (orgs, projects, tasksPer, billing int) {
	if os.Getenv("PORTALCTL_AUTOTASK_BUDGET") == "msp" {
		return 50, 1000, 50, 100000
	}
	// make test runs it under -race on two cores: a small MSP. Reads never
	// reach Autotask whatever the size; the size only changes how long the
	// passes take.
	return 50, 60, 20, 3000
}

// TestAutotaskCallBudget: the Autotask calls an hour of the synced copy
// costs in steady state do not depend on how many portal users read it. An
// hour is simulated on a test clock: a pass every 2 minutes, and U users
// each listing their projects and open tasks every 5 minutes (a cron job),
// for U = 1, 50, 200. Reads never call Autotask, so every hour costs the
// same; that cost must stay under 600 (6 % of Autotask's 10,000 an hour,
// shared by every integration of the MSP).
func TestAutotaskCallBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates three hours of an MSP")
	}
	t.Parallel()
	orgs, projects, tasksPer, billing := budgetScale()
	var clock atomic.Int64
	clock.Store(portaltest.Now.UnixNano())
	now := func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	db := atstoretest.Open(t, mspData(orgs, projects, tasksPer, billing), atstore.Options{Now: now,
		Sync: atstore.SyncOptions{Interval: 2 * time.Minute}}, atstoretest.Clock(now))
	st := db.Stores()
	svc := portal.New(st, portal.Options{Now: now})
	srv := httptest.NewServer(httpapi.New(svc, st.Accounts, httpapi.Options{Logger: slog.New(slog.DiscardHandler), TokenRate: rate.Inf}))
	t.Cleanup(srv.Close)
	get := func(path, token string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Portal-Data-Age") == "" {
			t.Fatalf("%s: %d, Portal-Data-Age %q", path, res.StatusCode, res.Header.Get("Portal-Data-Age"))
		}
	}
	tokens := make([]string, 4*orgs)
	for i := range tokens {
		tok, err := svc.CreateToken(context.Background(), fmt.Sprintf("u%d", i+1), "cron", 0) // no expiry: the test spans hours
		if err != nil {
			t.Fatal(err)
		}
		tokens[i] = tok.Token
	}
	// Ten minutes to settle after the initial sync (the lookback re-reads
	// what it wrote), then an hour for each number of users.
	var perHour []int64
	for _, users := range []int{0, 1, 50, 200} {
		db.Emu.ResetCalls()
		minutes := 60
		if users == 0 {
			minutes = 10
		}
		for minute := 1; minute <= minutes; minute++ {
			clock.Add(int64(time.Minute))
			if minute%2 == 0 {
				if err := db.Sync().Cycle(context.Background()); err != nil {
					t.Fatalf("pass at minute %d: %v", minute, err)
				}
			}
			if minute%5 == 0 {
				for _, tok := range tokens[:users] {
					get("/v1/projects?limit=100", tok)
					get("/v1/tasks/open?limit=100", tok)
				}
			}
		}
		if users == 0 {
			continue
		}
		// The client reads ThresholdInformation once every 100 calls, so
		// an hour has one more or less of it; the rest must be equal.
		n, sync := db.Emu.Calls(), db.Emu.CallsTo("ThresholdInformation")
		perHour = append(perHour, n-sync)
		t.Logf("%3d users (%d reads): %d Autotask calls in the hour: %s", users, users*12*2, n, byEntity(db))
		if n > 600 {
			t.Errorf("%d Autotask calls in an hour of steady state, want ≤ 600", n)
		}
	}
	if perHour[0] != perHour[1] || perHour[1] != perHour[2] {
		t.Errorf("calls per hour with 1, 50 and 200 users (ThresholdInformation aside): %v; want the same", perHour)
	}
}

func byEntity(db *atstoretest.Bridge) string {
	var parts []string
	for _, e := range []string{"Companies", "Contacts", "ClientPortalUsers", "Resources", "Contracts", "Projects", "Phases",
		"Tasks", "TaskSecondaryResources", "ProjectNotes", "TaskNotes", "Tickets", "TicketNotes", "ProjectAttachments", "BillingItems", "TimeEntries",
		"ThresholdInformation"} {
		if n := db.Emu.CallsTo(e); n > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", e, n))
		}
	}
	return strings.Join(parts, ", ")
}
