package hours_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/portalctl/portalctl/internal/cli"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// The reproductions of the December 2026 adversary findings against
// `endclient hours --state` (shared/reference/findings/2026-12-adversary.md),
// through the real command and a real portald. They use only flags the
// command had then, and fail on commit eda3a1a.

// findingEnv is a portald on a data set and a cron job's directory.
type findingEnv struct {
	t     *testing.T
	dir   string
	url   string
	token string
	imp   store.Importer
}

func newFindingEnv(t *testing.T, backend string, data []byte) *findingEnv {
	svc, db := portaltest.NewServiceWith(t, backend, data, portal.Options{})
	srv := httptest.NewServer(httpapi.New(svc, httpapi.Options{}))
	t.Cleanup(srv.Close)
	return &findingEnv{t: t, dir: t.TempDir(), url: srv.URL, token: portaltest.Token(t, svc, "chloe"), imp: db.(store.Importer)}
}

// hours runs `portalctl endclient hours -o csv --columns id,hours_billed`
// with args; rt, when not nil, carries its requests.
func (e *findingEnv) hours(rt http.RoundTripper, args ...string) (int, string) {
	argv := append([]string{"endclient", "hours", "-o", "csv", "--tz", "UTC", "--columns", "id,hours_billed"}, args...)
	return runCLI(e.dir, e.url, e.token, rt, argv...)
}

// runCLI runs a portalctl command line in process against the portald at
// url as token's user, with its config in dir; rt (nil: the default)
// carries its requests. It returns the exit code and stderr.
func runCLI(dir, url, token string, rt http.RoundTripper, args ...string) (int, string) {
	if rt == nil {
		rt = http.DefaultTransport
	}
	env := map[string]string{"XDG_CONFIG_HOME": filepath.Join(dir, "config"), "PORTALCTL_TOKEN": token, "PORTALCTL_HOST": url}
	f, _, _, errOut := factory.NewTest(env, rt)
	return cli.Run(context.Background(), f, args), errOut.String()
}

func (e *findingEnv) path(name string) string { return filepath.Join(e.dir, name) }

func (e *findingEnv) importItems(items ...any) {
	e.t.Helper()
	if err := importRecords(e.imp, items...); err != nil {
		e.t.Fatal(err)
	}
}

// importRecords writes records in one import.
func importRecords(imp store.Importer, recs ...any) error {
	return imp.Import(context.Background(), func(w dataset.Writer) error {
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// idsIn counts the billing item ids in CSV files of id,hours_billed.
func idsIn(t *testing.T, files ...string) map[string]int {
	t.Helper()
	n := map[string]int{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
			id, _, _ := strings.Cut(line, ",")
			n[id]++
		}
	}
	return n
}

// withItems is the demo data plus n items on Tailspin's project 5 worked
// through 2025, and project 9, whose own contract bills nobody, billed to
// Fabrikam item by item in June 2026 (an end-client project all the same).
func withItems(t *testing.T, n int) []byte {
	t.Helper()
	var d map[string]any
	if err := json.Unmarshal(dataset.DemoJSON, &d); err != nil {
		t.Fatal(err)
	}
	d["projects"] = append(d["projects"].([]any), map[string]any{"id": 9, "number": "P20260601.0009", "name": "Tailspin item-billed",
		"organization_id": 300, "type": "client", "status": "in_progress", "contract_id": 503})
	items := d["billing_items"].([]any)
	for i := range n {
		items = append(items, map[string]any{"id": 100001 + i, "project_id": 5, "contract_id": 501, "resource_id": 9002,
			"worked_date": fmt.Sprintf("2025-%02d-%02d", 1+i*12/n, 1+i%28), "hours_worked": 1, "hours_billed": 1, "rate": 100})
	}
	for i := range 10 {
		items = append(items, map[string]any{"id": 200001 + i, "project_id": 9, "contract_id": 501, "resource_id": 9001,
			"worked_date": fmt.Sprintf("2026-06-%02d", i+1), "hours_worked": 1, "hours_billed": 1, "rate": 100})
	}
	d["billing_items"] = items
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func item(id int64, date string) *dataset.BillingItem {
	return &dataset.BillingItem{ID: id, ProjectID: 5, ContractID: 501, WorkedDate: api.Date(date), HoursWorked: 200, HoursBilled: 200}
}

// Finding 1: an import landing while an export streams was lost for good:
// the stream restarted in a new snapshot at the item-billed project and
// the state kept the highest id seen, past the early item it skipped.
func TestFinding1ImportDuringExportIsNotLost(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			e := newFindingEnv(t, backend, withItems(t, 20000))
			var once sync.Once
			slow := stallingTransport{rt: http.DefaultTransport, after: 4096, during: func() {
				once.Do(func() { e.importItems(item(900001, "2025-01-02"), item(900002, "2026-07-01")) })
			}}
			state := e.path("hours.state")
			for i, rt := range []http.RoundTripper{slow, nil} {
				if code, stderr := e.hours(rt, "--state", state, "--output-file", e.path(fmt.Sprintf("run%d.csv", i))); code != 0 {
					t.Fatalf("run %d: exit %d: %s", i, code, stderr)
				}
			}
			got := idsIn(t, e.path("run0.csv"), e.path("run1.csv"))
			if got["900001"] != 1 || got["900002"] != 1 || got["200001"] != 1 || got["100001"] != 1 {
				t.Fatalf("exported: early item %d times, late item %d times, item-billed %d, first %d (want each once)",
					got["900001"], got["900002"], got["200001"], got["100001"])
			}
		})
	}
}

// Finding 2: the README's cron line, run twice in a day, replaced the
// day's rows with a header-only file.
func TestFinding2SecondRunKeepsTheDaysRows(t *testing.T) {
	e := newFindingEnv(t, "sqlite", dataset.DemoJSON)
	day := e.path("hours-2026-03-28.csv")
	args := []string{"--state", e.path("hours.state"), "--output-file", day}
	if code, stderr := e.hours(nil, args...); code != 0 {
		t.Fatalf("first run: exit %d: %s", code, stderr)
	}
	e.hours(nil, args...) // refused (exit 2) or appended: either way nothing lost
	if got := idsIn(t, day); got["60001"] != 1 || got["60004"] != 1 || got["60005"] != 1 {
		t.Fatalf("after the second run the day's file has %v", got)
	}
}

// Finding 10: two overlapping runs on one state both exported every row.
func TestFinding10OverlappingRunsDoNotRepeatRows(t *testing.T) {
	e := newFindingEnv(t, "sqlite", withItems(t, 3000))
	var wg sync.WaitGroup
	for _, name := range []string{"a.csv", "b.csv"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.hours(nil, "--state", e.path("s.state"), "--output-file", e.path(name))
		}()
	}
	wg.Wait()
	for id, n := range idsIn(t, e.path("a.csv"), e.path("b.csv")) {
		if n != 1 {
			t.Fatalf("item %s exported %d times by two overlapping runs", id, n)
		}
	}
}

// Finding 11: a filtered run moved the state of unfiltered runs, which then
// skipped other clients' rows for ever.
func TestFinding11FilteredRunDoesNotSkipOtherRows(t *testing.T) {
	e := newFindingEnv(t, "sqlite", dataset.DemoJSON)
	state := e.path("s.state")
	e.hours(nil, "--state", state, "--client", "Wingtip Toys", "--output-file", e.path("w.csv"))
	code, stderr := e.hours(nil, "--state", state, "--client", "Tailspin Dental", "--output-file", e.path("t.csv"))
	got := idsIn(t, e.path("t.csv"))
	if code == 0 && got["60001"] != 1 || code != 0 && !strings.Contains(stderr, "--client") {
		t.Fatalf("Tailspin's run on Wingtip's state: exit %d (%s), exported %v: row 60001 lost", code, stderr, got)
	}
}

// Finding 14 and issue item 3: an item that becomes billed to the
// organization later (its contract changed), and a correction of an
// exported item, reach the next run.
func TestFinding14LaterChangesReachTheNextRun(t *testing.T) {
	e := newFindingEnv(t, "sqlite", dataset.DemoJSON)
	state := e.path("s.state")
	if code, stderr := e.hours(nil, "--state", state, "--output-file", e.path("1.csv")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rate := api.Decimal(10000)
	moved := &dataset.BillingItem{ID: 60003, ProjectID: 5, ContractID: 501, WorkedDate: "2026-02-05", HoursWorked: 500, HoursBilled: 500, Rate: &rate}
	corrected := &dataset.BillingItem{ID: 60004, ProjectID: 8, ContractID: 502, WorkedDate: "2025-11-20", HoursWorked: 125, HoursBilled: 75, Rate: &rate}
	e.importItems(moved, corrected)
	if code, stderr := e.hours(nil, "--state", state, "--output-file", e.path("2.csv")); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, _ := os.ReadFile(e.path("2.csv"))
	if got := idsIn(t, e.path("2.csv")); got["60003"] != 1 || got["60004"] != 2 || !strings.Contains(string(b), "60004,-1.00\n60004,0.75\n") {
		t.Fatalf("second run:\n%s", b)
	}
}
