package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"golang.org/x/time/rate"
)

// probes are SQL-injection and path-traversal values a hostile user puts in
// every string parameter.
var probes = []string{
	`' OR '1'='1`,
	`1 OR 1=1`,
	`1; DROP TABLE projects;--`,
	`1' UNION SELECT username, password_hash, 1, 1 FROM contacts--`,
	`") OR ("a"="a`,
	`%`,
	`_`,
	`%' OR 1=1 --`,
	`\`,
	`../../../../etc/passwd`,
	`..%2F..%2F..%2Fetc%2Fpasswd`,
	`/etc/passwd`,
	`P20260201.0005/../../P20260201.0005`,
	"5\x00",
	"T20260201.0005\n",
	strings.Repeat("A", 10_000),
}

// foreign are strings from records the user must never see: other
// organizations' projects, tasks and names, and password hashes.
var foreign = map[string][]string{
	"ben": {"P20260110.0002", "P20251101.0003", "P20260112.0004", "P20260201.0005", "P20260301.0006",
		"P20260302.0007", "P20251001.0008", "T20260201.0005", "T20260110.0009", "Tailspin", "Fabrikam", "Wingtip", "$2a$"},
	"chloe": {"P20260105.0001", "P20260110.0002", "P20260302.0007", "Office 365", "Contoso", "T20260105", "$2a$"},
}

// A probed request: %s is where the probe goes (path-escaped in the path,
// query-escaped in the query).
type probeSite struct{ user, method, path, body string }

var probeSites = []probeSite{
	{"ben", "GET", "/v1/projects?q=%s", ""},
	{"ben", "GET", "/v1/projects?org=%s", ""},
	{"ben", "GET", "/v1/projects?cursor=%s", ""},
	{"ben", "GET", "/v1/projects?limit=%s", ""},
	{"ben", "GET", "/v1/projects?include_completed=%s", ""},
	{"ben", "GET", "/v1/projects/%s", ""},
	{"ben", "GET", "/v1/projects/%s/schedule", ""},
	{"ben", "GET", "/v1/projects/%s/issues", ""},
	{"ben", "POST", "/v1/projects/%s/issues", `{"title":"probe"}`},
	{"ben", "GET", "/v1/projects/%s/notes", ""},
	{"ben", "POST", "/v1/projects/%s/notes", `{"title":"probe","body":"probe"}`},
	{"ben", "GET", "/v1/projects/%s/attachments", ""},
	{"ben", "GET", "/v1/attachments/%s/content", ""},
	{"ben", "GET", "/v1/projects/%s/calendar", ""},
	{"ben", "GET", "/v1/projects/1/calendar?from=%s", ""},
	{"ben", "GET", "/v1/projects/1/calendar?to=%s", ""},
	{"ben", "GET", "/v1/projects/%s/team", ""},
	{"ben", "POST", "/v1/projects/%s/team/email", `{"subject":"probe","body":"probe"}`},
	{"ben", "GET", "/v1/tasks/open?project=%s", ""},
	{"ben", "GET", "/v1/tasks/%s", ""},
	{"ben", "GET", "/v1/tasks/%s/notes", ""},
	{"ben", "POST", "/v1/tasks/%s/notes", `{"subject":"probe","body":"probe"}`},
	{"ben", "POST", "/v1/tasks/%s/complete", ""},
	{"ben", "DELETE", "/v1/auth/tokens/%s", ""},
	{"chloe", "GET", "/v1/end-client/projects?client=%s", ""},
	{"chloe", "GET", "/v1/end-client/projects/%s", ""},
	{"chloe", "GET", "/v1/end-client/projects/%s/schedule", ""},
	{"chloe", "GET", "/v1/end-client/projects/%s/team", ""},
	{"chloe", "GET", "/v1/end-client/billed-hours?client=%s", ""},
	{"chloe", "GET", "/v1/end-client/billed-hours?from=%s", ""},
	{"chloe", "GET", "/v1/end-client/billed-hours?to=%s", ""},
	{"chloe", "GET", "/v1/end-client/billed-hours?after=%s", ""},
	{"chloe", "GET", "/v1/end-client/billed-hours?cursor=%s", ""},
}

// TestInjectionAndTraversalProbes sends every probe in every string
// parameter: the answer is a 4xx or an ordinary answer within the user's
// scope, never a 5xx and never another organization's data; afterwards
// nothing was dropped or changed that the user may not change.
func TestInjectionAndTraversalProbes(t *testing.T) {
	portaltest.EachBackend(t, testInjectionAndTraversalProbes)
}

func testInjectionAndTraversalProbes(t *testing.T, backend string) {
	e := newEnvOn(t, backend, httpapi.Options{TokenRate: rate.Inf, TokenBurst: 1, LoginRate: rate.Inf, LoginBurst: 1})
	tokens := map[string]string{"ben": e.token("ben"), "chloe": e.token("chloe"), "ava": e.token("ava")}
	_, _, avaBefore := e.call("GET", "/v1/projects?include_completed=true", tokens["ava"], "")
	_, _, chloeBefore := e.call("GET", "/v1/end-client/billed-hours", tokens["chloe"], "")

	// check sends probe at path (and hdr); messages may quote the probe
	// back, which is not a leak, so it is cut out before looking for markers.
	check := func(e *env, user, probe, method, path, body string, hdr ...string) {
		t := e.t
		t.Helper()
		status, _, answer := e.call(method, path, tokens[user], body, hdr...)
		if status >= 500 {
			t.Errorf("%s %.120s as %s: %d %s", method, path, user, status, answer)
		}
		for _, echo := range []string{probe, strconv.Quote(probe)} { // as is, and as %q
			quoted, _ := json.Marshal(echo)
			answer = strings.ReplaceAll(answer, string(quoted[1:len(quoted)-1]), "")
		}
		for _, m := range foreign[user] {
			if strings.Contains(answer, m) {
				t.Errorf("%s %.120s as %s: %d shows %q from another organization:\n%.400s", method, path, user, status, m, answer)
			}
		}
	}
	// Each site (and each of the extra kinds below) is a parallel subtest
	// with its own copy of the env, so e.t is its own.
	parallel := func(t *testing.T, name string, probe func(e *env)) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pe := *e
			pe.t = t
			probe(&pe)
		})
	}
	t.Run("probes", func(t *testing.T) {
		for _, site := range probeSites {
			parallel(t, site.method+" "+site.path, func(e *env) {
				for _, probe := range probes {
					escaped := url.QueryEscape(probe)
					if !strings.Contains(site.path, "?") || strings.Index(site.path, "%s") < strings.Index(site.path, "?") {
						escaped = url.PathEscape(probe)
					}
					check(e, site.user, probe, site.method, fmt.Sprintf(site.path, escaped), site.body)
				}
			})
		}
		parallel(t, "unescaped traversal in the path", func(e *env) {
			for _, probe := range probes {
				if !strings.ContainsAny(probe, "\x00\n%\\ ") {
					check(e, "ben", probe, "GET", "/v1/projects/1/"+probe, "")
					check(e, "chloe", probe, "GET", "/v1/end-client/projects/"+probe, "")
				}
			}
		})
		parallel(t, "Idempotency-Key", func(e *env) {
			for _, probe := range probes {
				if !strings.ContainsAny(probe, "\x00\n") { // not a valid header value: no client can send it
					check(e, "ben", probe, "POST", "/v1/projects/1/issues", `{"title":"keyed probe"}`, "Idempotency-Key", probe)
				}
			}
		})
		parallel(t, "login", func(e *env) {
			// An unknown username costs a full bcrypt (slow under -race), so
			// only two SQL probes go there; ben's hash is cheap to check.
			for i, probe := range probes {
				bodies := []string{fmt.Sprintf(`{"username":"ben","password":%q}`, probe)}
				if i == 0 || i == 3 {
					bodies = append(bodies, fmt.Sprintf(`{"username":%q,"password":"demo"}`, probe))
				}
				for _, body := range bodies {
					if status, _, answer := e.call("POST", "/v1/auth/tokens", "", body); status != 400 && status != 401 {
						e.t.Errorf("login with a probe: %d %.200s, want 400 or 401", status, answer)
					}
				}
			}
		})
	})

	// Nothing outside ben's reach changed: ava still sees the same projects,
	// chloe the same billed hours, and ben's probes completed no task of
	// someone else (T20260105.0002, contact Ava).
	if _, _, after := e.call("GET", "/v1/projects?include_completed=true", tokens["ava"], ""); after != avaBefore {
		t.Errorf("ava's projects changed:\nbefore %s\nafter  %s", avaBefore, after)
	}
	if _, _, after := e.call("GET", "/v1/end-client/billed-hours", tokens["chloe"], ""); after != chloeBefore {
		t.Errorf("chloe's billed hours changed")
	}
	if _, _, task := e.call("GET", "/v1/tasks/101", tokens["ava"], ""); strings.Contains(task, `"status":"complete"`) {
		t.Errorf("a probe completed someone else's task: %s", task)
	}
}
