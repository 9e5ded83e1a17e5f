package httpapi_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"golang.org/x/time/rate"
)

// matrixUsers are the columns of the authorization matrix, one user of
// every kind portal-rules.md distinguishes (see portaltest.Users).
var matrixUsers = []string{
	"ben",   // basic, on P20260105.0001's team; also the non-billing user
	"bob",   // basic, on no team
	"adam",  // advanced: every project of Contoso Ltd
	"ava",   // manager: Contoso Ltd and its sub-organizations
	"nora",  // custom level "No Access": on P20260105.0001's team, no permissions
	"chloe", // Fabrikam Partners, billing organization of Tailspin Dental's P20260201.0005
	"sam",   // basic, Contoso Logistics (a sub-organization)
}

// A matrix row: one request, and the answer for each user in matrixUsers
// order: a status, plus the error code when it is not the status's usual
// one ("403 read_only").
type matrixRow struct {
	name, method, path, body string
	want                     [7]string
}

// P1 = P20260105.0001 (Contoso Ltd; ben and nora on the team), P2 =
// P20260110.0002 (Contoso Logistics; sam on the team), P3 = completed
// Contoso project, P4 = internal Contoso project, P5 = P20260201.0005
// (Tailspin Dental, billed to Fabrikam). Task 100 = T20260105.0001 and
// task 105 (client-completable, contact ben) are P1's; task 104 is P5's.
var matrix = []matrixRow{
	//                                                              ben    bob    adam   ava    nora   chloe  sam
	{"tokens", "GET", "/v1/auth/tokens", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"me", "GET", "/v1/me", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"organizations", "GET", "/v1/organizations", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"my projects", "GET", "/v1/projects?include_completed=true", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"project by number", "GET", "/v1/projects/P20260105.0001", "", [7]string{"200", "404", "200", "200", "200", "404", "404"}},
	{"sub-organization project", "GET", "/v1/projects/2", "", [7]string{"404", "404", "404", "200", "404", "404", "200"}},
	{"completed project", "GET", "/v1/projects/3", "", [7]string{"404", "404", "200", "200", "404", "404", "404"}},
	{"internal project", "GET", "/v1/projects/4", "", [7]string{"404", "404", "404", "404", "404", "404", "404"}},
	{"end-client project via My Projects", "GET", "/v1/projects/5", "", [7]string{"404", "404", "404", "404", "404", "404", "404"}},
	{"schedule", "GET", "/v1/projects/1/schedule", "", [7]string{"200", "404", "200", "200", "403", "404", "404"}},
	{"issues", "GET", "/v1/projects/1/issues", "", [7]string{"200", "404", "200", "200", "200", "404", "404"}},
	{"new issue", "POST", "/v1/projects/1/issues", `{"title":"Printer offline"}`, [7]string{"201", "404", "201", "201", "403", "404", "404"}},
	{"new issue on a completed project", "POST", "/v1/projects/3/issues", `{"title":"Late"}`, [7]string{"404", "404", "409", "409", "403", "404", "404"}},
	{"new issue on an end-client project", "POST", "/v1/projects/5/issues", `{"title":"x"}`, [7]string{"404", "404", "404", "404", "403", "403 read_only", "404"}},
	{"notes", "GET", "/v1/projects/1/notes", "", [7]string{"200", "404", "200", "200", "403", "404", "404"}},
	{"add note", "POST", "/v1/projects/1/notes", `{"title":"t","body":"b"}`, [7]string{"201", "404", "201", "201", "403", "404", "404"}},
	{"end-client notes", "GET", "/v1/projects/5/notes", "", [7]string{"404", "404", "404", "404", "403", "403 read_only", "404"}},
	{"attachments", "GET", "/v1/projects/1/attachments", "", [7]string{"200", "404", "200", "200", "403", "404", "404"}},
	{"attachment content", "GET", "/v1/attachments/900/content", "", [7]string{"200", "404", "200", "200", "403", "404", "404"}},
	{"end-client attachment content", "GET", "/v1/attachments/901/content", "", [7]string{"404", "404", "404", "404", "403", "403 read_only", "404"}},
	// 902 is P1's, attached to task 102, which is hidden from the portal.
	{"hidden task's attachment content", "GET", "/v1/attachments/902/content", "", [7]string{"404", "404", "404", "404", "403", "404", "404"}},
	{"calendar", "GET", "/v1/projects/1/calendar", "", [7]string{"200", "404", "200", "200", "403", "404", "404"}},
	{"team", "GET", "/v1/projects/1/team", "", [7]string{"200", "404", "200", "200", "200", "404", "404"}},
	{"email team", "POST", "/v1/projects/1/team/email", `{"subject":"s","body":"b"}`, [7]string{"202", "404", "202", "202", "403", "404", "404"}},
	// Email 1 is ben's team email of the row above (the first email): only
	// its sender sees how it went, not even the managers of his organization.
	{"team email status", "GET", "/v1/emails/1", "", [7]string{"200", "404", "404", "404", "404", "404", "404"}},
	{"unknown email", "GET", "/v1/emails/999999", "", [7]string{"404", "404", "404", "404", "404", "404", "404"}},
	{"open tasks", "GET", "/v1/tasks/open", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"open tasks of a project", "GET", "/v1/tasks/open?project=P20260105.0001", "", [7]string{"200", "404", "200", "200", "200", "404", "404"}},
	{"task by number", "GET", "/v1/tasks/T20260105.0001", "", [7]string{"200", "404", "200", "200", "200", "404", "404"}},
	{"end-client task, read-only", "GET", "/v1/tasks/104", "", [7]string{"404", "404", "404", "404", "404", "200", "404"}},
	{"task notes", "GET", "/v1/tasks/100/notes", "", [7]string{"200", "404", "200", "200", "200", "404", "404"}},
	{"reply to task", "POST", "/v1/tasks/100/notes", `{"subject":"s","body":"b"}`, [7]string{"201", "404", "201", "201", "201", "404", "404"}},
	{"reply to end-client task", "POST", "/v1/tasks/104/notes", `{"subject":"s","body":"b"}`, [7]string{"404", "404", "404", "404", "404", "403 read_only", "404"}},
	{"attach a log to a task", "POST", "/v1/tasks/100/attachments?name=build.log", "--- FAIL: TestBackup", [7]string{"201", "404", "201", "201", "403", "404", "404"}},
	{"attach to an end-client task", "POST", "/v1/tasks/104/attachments?name=x.log", "x", [7]string{"404", "404", "404", "404", "403", "403 read_only", "404"}},
	{"complete someone's task", "POST", "/v1/tasks/101/complete", "", [7]string{"403", "404", "403", "200", "403", "404", "404"}},
	{"complete own task", "POST", "/v1/tasks/105/complete", "", [7]string{"200", "404", "403", "403", "403", "404", "404"}},
	{"complete end-client task", "POST", "/v1/tasks/104/complete", "", [7]string{"404", "404", "404", "404", "404", "403 read_only", "404"}},
	// The calendar feed is each user's own; one project's feed follows the
	// project's visibility (no permission: its dates are on its summary).
	{"calendar feed", "GET", "/v1/calendar.ics", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"calendar feed of a project", "GET", "/v1/calendar.ics?project=P20260105.0001", "", [7]string{"200", "404", "200", "200", "200", "404", "404"}},
	{"subscribe to the calendar", "POST", "/v1/calendar/feeds", `{"name":"matrix"}`, [7]string{"201", "201", "201", "201", "201", "201", "201"}},
	{"calendar subscriptions", "GET", "/v1/calendar/feeds", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"unknown calendar subscription", "DELETE", "/v1/calendar/feeds/999999", "", [7]string{"404", "404", "404", "404", "404", "404", "404"}},
	{"end clients", "GET", "/v1/end-client/clients", "", endClientOnly("200")},
	{"end-client projects", "GET", "/v1/end-client/projects", "", endClientOnly("200")},
	{"end-client project", "GET", "/v1/end-client/projects/P20260201.0005", "", endClientOnly("200")},
	{"own project as end-client project", "GET", "/v1/end-client/projects/6", "", endClientOnly("404")},
	// A permission the level lacks is checked first: it reveals nothing about the record.
	{"end-client schedule", "GET", "/v1/end-client/projects/5/schedule", "", withNora(endClientOnly("200"), "403")},
	{"end-client team", "GET", "/v1/end-client/projects/5/team", "", endClientOnly("200")},
	{"email end-client team", "POST", "/v1/end-client/projects/5/team/email", `{"subject":"s","body":"b"}`, withNora(endClientOnly("202"), "403")},
	{"billed hours", "GET", "/v1/end-client/billed-hours", "", endClientOnly("200")},
	{"charges", "GET", "/v1/end-client/charges", "", endClientOnly("200")},
	// Tickets: 7001 = T20260106.0001 (Tailspin Dental, billed to Fabrikam by
	// an item), 7003 (complete, its contract bills Fabrikam), 7004
	// (Contoso's own), 7005 (Fabrikam's own: never its end-client ticket).
	{"end-client tickets", "GET", "/v1/end-client/tickets?include_completed=true", "", endClientOnly("200")},
	{"end-client tickets of a client", "GET", "/v1/end-client/tickets?client=Wingtip%20Toys", "", endClientOnly("200")},
	{"end-client tickets of an unknown client", "GET", "/v1/end-client/tickets?client=Contoso%20Ltd", "", endClientOnly("400")},
	{"end-client ticket", "GET", "/v1/end-client/tickets/T20260106.0001", "", endClientOnly("200")},
	{"completed end-client ticket", "GET", "/v1/end-client/tickets/7003", "", endClientOnly("200")},
	{"ticket billed to no one", "GET", "/v1/end-client/tickets/7004", "", endClientOnly("404")},
	{"own ticket as end-client ticket", "GET", "/v1/end-client/tickets/7005", "", endClientOnly("404")},
	{"end-client ticket notes", "GET", "/v1/end-client/tickets/7001/notes", "", endClientOnly("200")},
	{"notes of a ticket billed to no one", "GET", "/v1/end-client/tickets/7004/notes", "", endClientOnly("404")},
	{"end-client ticket as a task", "GET", "/v1/tasks/T20260106.0001", "", [7]string{"404", "404", "404", "404", "404", "404", "404"}},
	{"own ticket as a task", "GET", "/v1/tasks/T20260120.0002", "", [7]string{"404", "404", "404", "404", "404", "404", "404"}},
	{"task notes of an end-client ticket", "GET", "/v1/tasks/T20260106.0001/notes", "", [7]string{"404", "404", "404", "404", "404", "403 read_only", "404"}},
	{"reply to an end-client ticket", "POST", "/v1/tasks/T20260106.0001/notes", `{"subject":"s","body":"b"}`, [7]string{"404", "404", "404", "404", "404", "403 read_only", "404"}},
	{"complete an end-client ticket", "POST", "/v1/tasks/T20260106.0001/complete", "", [7]string{"404", "404", "404", "404", "404", "403 read_only", "404"}},
	{"attach to an end-client ticket", "POST", "/v1/tasks/T20260106.0001/attachments?name=x.log", "x", [7]string{"404", "404", "404", "404", "403", "403 read_only", "404"}},
	{"billed hours of tickets", "GET", "/v1/end-client/billed-hours?kind=ticket", "", endClientOnly("200")},
	{"billed hours of an unknown kind", "GET", "/v1/end-client/billed-hours?kind=expense", "", endClientOnly("400")},
	{"billed hours summary", "GET", "/v1/end-client/billed-hours/summary?by=client,month", "", endClientOnly("200")},
	{"health", "GET", "/healthz", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"readiness", "GET", "/readyz", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
	{"metrics", "GET", "/metrics", "", [7]string{"200", "200", "200", "200", "200", "200", "200"}},
}

// backendWants replaces a row's answers on one backend, where the data
// source cannot hold what the row needs. Only "autotask" has any.
var backendWants = map[string]map[string][7]string{
	"autotask": {
		// Autotask's REST API has no calendar entity (docs/autotask.md §13):
		// the bridge answers store.ErrUnsupported, which is 501 not_supported
		// for every user who may see the calendar. Access is still checked
		// first: nora lacks the permission, the others the project.
		"calendar": {"501 not_supported", "404", "501 not_supported", "501 not_supported", "403", "404", "404"},
		// The bridge does not write Autotask's TaskAttachments yet.
		"attach a log to a task": {"501 not_supported", "404", "501 not_supported", "501 not_supported", "403", "404", "404"},
	},
}

// backendExempt are the spec operations a backend can never answer with a
// success, so the matrix does not demand one there.
var backendExempt = map[string][]string{
	"autotask": {"GET /v1/projects/{id}/calendar", // no calendar in Autotask, see backendWants
		"POST /v1/tasks/{id}/attachments"}, // not written to Autotask yet
}

// endClientOnly: chloe gets want; every user of a non-billing organization
// gets 403 not_billing_organization.
func endClientOnly(want string) [7]string {
	nb := "403 not_billing_organization"
	return [7]string{nb, nb, nb, nb, nb, want, nb}
}

func withNora(row [7]string, want string) [7]string {
	row[4] = want
	return row
}

var defaultCode = map[int]string{400: "invalid_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found", 409: "conflict",
	501: "not_supported"}

// TestAuthorizationMatrix runs every endpoint as every kind of user and
// checks the status (and error code) each gets, then as callers without a
// valid token. Every answer is validated against api/openapi.yaml, and every
// operation of the spec must have answered with a success at least once.
func TestAuthorizationMatrix(t *testing.T) { portaltest.EachBackend(t, testAuthorizationMatrix) }

func testAuthorizationMatrix(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{TokenRate: rate.Inf, TokenBurst: 1})
	for name := range backendWants[backend] {
		if !slices.ContainsFunc(matrix, func(r matrixRow) bool { return r.name == name }) {
			t.Fatalf("backendWants[%q] names no matrix row %q", backend, name)
		}
	}
	tokens := map[string]string{}
	for _, u := range matrixUsers {
		tokens[u] = e.token(u)
	}
	for _, row := range matrix {
		if want, ok := backendWants[backend][row.name]; ok {
			row.want = want
		}
		for i, user := range matrixUsers {
			t.Run(row.name+"/"+user, func(t *testing.T) {
				e.t = t
				status, _, body := e.call(row.method, row.path, tokens[user], row.body)
				wantStatus, wantCode, _ := strings.Cut(row.want[i], " ")
				if got := fmt.Sprint(status); got != wantStatus {
					t.Fatalf("%s %s as %s: status %d, want %s: %s", row.method, row.path, user, status, row.want[i], body)
				}
				if status < 400 {
					return
				}
				if wantCode == "" {
					wantCode = defaultCode[status]
				}
				if got := errorOf(t, body); got.Code != wantCode {
					t.Fatalf("%s %s as %s: code %q, want %q (%s)", row.method, row.path, user, got.Code, wantCode, got.Message)
				}
			})
		}
	}
	e.t = t

	// Lists never show what the matrix hides: P1's attachments hold no
	// attachment of its hidden task.
	for _, user := range []string{"ben", "adam", "ava"} {
		if _, _, body := e.call("GET", "/v1/projects/1/attachments", tokens[user], ""); strings.Contains(body, `"id":902`) ||
			strings.Contains(body, `"task_id":102`) || !strings.Contains(body, `"id":900`) {
			t.Errorf("P1's attachments as %s: %s, want 900 and not the hidden task's 902", user, body)
		}
	}

	// Nothing of an end-client ticket leaks: its internal note, tickets no
	// one bills to Fabrikam, and any ticket in the organization's own lists.
	if _, _, body := e.call("GET", "/v1/end-client/tickets/7001/notes", tokens["chloe"], ""); !strings.Contains(body, `"id":7101`) ||
		strings.Contains(body, `"id":7102`) {
		t.Errorf("ticket 7001's notes: %s, want 7101 and never the internal 7102", body)
	}
	if _, _, body := e.call("GET", "/v1/end-client/tickets?include_completed=true", tokens["chloe"], ""); !strings.Contains(body, `"id":7001`) ||
		strings.Contains(body, `"id":7004`) || strings.Contains(body, `"id":7005`) {
		t.Errorf("chloe's end-client tickets: %s, want 7001 and never 7004 or 7005", body)
	}
	for _, user := range matrixUsers {
		for _, path := range []string{"/v1/projects?include_completed=true", "/v1/tasks/open", "/v1/projects?include_completed=true&search=T2026"} {
			if _, _, body := e.call("GET", path, tokens[user], ""); strings.Contains(body, "T20260106.0001") || strings.Contains(body, "T20251201.0007") ||
				strings.Contains(body, "Front-desk printer") {
				t.Errorf("%s as %s shows an end-client ticket: %s", path, user, body)
			}
		}
	}

	// Callers without a valid token: every non-public route answers 401.
	revoked := e.token("ben")
	if status, _, _ := e.call("DELETE", "/v1/auth/token", revoked, ""); status != 204 {
		t.Fatalf("log out: %d", status)
	}
	invalid := map[string]string{
		"disabled contact": portaltest.RawToken(t, e.db.Accounts, "dora", portaltest.Now.Add(time.Hour)),
		"expired token":    portaltest.RawToken(t, e.db.Accounts, "ben", portaltest.Now.Add(-time.Minute)),
		"revoked token":    revoked,
		"unknown token":    "pct_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"no token":         "",
	}
	for kind, token := range invalid {
		for _, row := range matrix {
			t.Run(kind+"/"+row.name, func(t *testing.T) {
				e.t = t
				status, _, body := e.call(row.method, row.path, token, row.body)
				if public := row.want[0] == "200" && !strings.HasPrefix(row.path, "/v1/"); public {
					if status != 200 {
						t.Fatalf("public %s: %d", row.path, status)
					}
					return
				}
				if status != 401 || errorOf(t, body).Code != "unauthenticated" {
					t.Fatalf("%s %s with %s: %d %s, want 401 unauthenticated", row.method, row.path, kind, status, body)
				}
			})
		}
	}
	e.t = t
	testFeedTokenReadsOnlyTheFeed(t, e)

	// The operations the matrix does not reach with a success.
	ctx := context.Background()
	extra, err := e.svc.CreateToken(ctx, "ava", "second", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ method, path, token, body string }{
		{"POST", "/v1/auth/tokens", "", `{"username":"ben","password":"demo","name":"matrix"}`},
		{"POST", "/v1/auth/login-codes", "", `{"email":"ben@contoso.example"}`}, // public and rate-limited: tested apart
		{"DELETE", fmt.Sprintf("/v1/auth/tokens/%d", extra.ID), tokens["ava"], ""},
		{"DELETE", fmt.Sprintf("/v1/calendar/feeds/%d", e.subscribe("ava").ID), tokens["ava"], ""},
	} {
		if status, _, body := e.call(c.method, c.path, c.token, c.body); status >= 300 {
			t.Errorf("%s %s: %d %s", c.method, c.path, status, body)
		}
	}
	for _, op := range e.contract.operations() {
		if !e.contract.succeeded[op] && !slices.Contains(backendExempt[backend], op) {
			t.Errorf("no test got a success from %s; add it to the matrix", op)
		}
	}
}

// testFeedTokenReadsOnlyTheFeed: a calendar feed token is refused (401) by
// every endpoint of the matrix but the feed, whether it comes as a bearer
// token or in the query, as a calendar app sends it.
func testFeedTokenReadsOnlyTheFeed(t *testing.T, e *env) {
	feed := e.subscribe("ava").Token
	for _, row := range matrix {
		public := row.want[0] == "200" && !strings.HasPrefix(row.path, "/v1/")
		isFeed := strings.HasPrefix(row.path, "/v1/calendar.ics")
		sep := "?"
		if strings.Contains(row.path, "?") {
			sep = "&"
		}
		for _, how := range []string{"bearer", "query"} {
			t.Run("feed token as "+how+"/"+row.name, func(t *testing.T) {
				e.t = t
				path, bearer := row.path, feed
				if how == "query" {
					path, bearer = row.path+sep+"token="+feed, ""
				}
				status, _, body := e.call(row.method, path, bearer, row.body)
				switch {
				case public:
					if status != 200 {
						t.Fatalf("public %s: %d", row.path, status)
					}
				case isFeed && how == "query":
					if status != 200 {
						t.Fatalf("the feed refused its own token: %d %s", status, body)
					}
				case status != 401 || errorOf(t, body).Code != "unauthenticated":
					t.Fatalf("%s %s with a feed token as %s: %d %s, want 401 unauthenticated", row.method, path, how, status, body)
				}
			})
		}
	}
	e.t = t
}
