package hours_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/testutil/ledgertest"
	"github.com/portalctl/portalctl/internal/testutil/pgtest"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

// TestMain lets the ledger test run on PostgreSQL too.
func TestMain(m *testing.M) { pgtest.Main(m) }

// TestLedgerUnderChanges is the export's promise as a property, on both
// SQL stores through the real command and a real portald: random imports
// (new items with any id and date, corrections, removals, a contract
// billed to someone else) interleave with runs of four cron jobs — a file
// per run, one growing --append file, a --client and a --from/--to job
// with their own states — some of them stalled mid-stream while an import
// lands, some two at once on one state file. Replaying every job's files
// in commit order as a ledger: each reversal undoes exactly the row it has,
// per item hours_billed add up to its billed hours now, an item that
// never changed came exactly once, and no earlier output was changed.
func TestLedgerUnderChanges(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			t.Parallel()
			testLedgerUnderChanges(t, backend)
		})
	}
}

// ledgerJob is one cron job: its state and how it names its output.
type ledgerJob struct {
	name   string
	args   []string // filters and format
	append bool     // one file with --append, else a file per run
	filter func(api.BilledHoursRow) bool

	mu    sync.Mutex
	files []string // in commit order
	runs  int
}

type ledgerEnv struct {
	t      *testing.T
	dir    string
	srv    *httptest.Server
	token  string
	imp    dataset.Importer
	r      *rand.Rand
	mu     sync.Mutex // the model and r
	items  map[int64]dataset.BillingItem
	rebill bool           // contract 503 currently billed to Fabrikam
	moved  map[int64]bool // items changed since first written
}

var fabrikamID = int64(200)

func testLedgerUnderChanges(t *testing.T, backend string) {
	svc, db := portaltest.NewServiceOn(t, backend, portal.Options{})
	e := &ledgerEnv{t: t, dir: t.TempDir(), token: portaltest.Token(t, svc, "chloe"), imp: db.DB,
		r: rand.New(rand.NewPCG(15, 7)), items: map[int64]dataset.BillingItem{}, moved: map[int64]bool{}}
	e.srv = httptest.NewServer(httpapi.New(svc, db.Accounts, httpapi.Options{}))
	t.Cleanup(e.srv.Close)
	for range 40 {
		e.mutate()
	}
	fabrikam := func(r api.BilledHoursRow) bool { return true }
	jobs := []*ledgerJob{
		{name: "files", filter: fabrikam},
		{name: "ledger", append: true, filter: fabrikam},
		{name: "wingtip", append: true, args: []string{"--client", "Wingtip Toys"}, filter: func(r api.BilledHoursRow) bool { return r.ClientID == 301 }},
		{name: "february", args: []string{"--from", "2026-02-01", "--to", "2026-02-28"},
			filter: func(r api.BilledHoursRow) bool { return r.WorkedDate >= "2026-02-01" && r.WorkedDate <= "2026-02-28" }},
	}
	for range 60 {
		switch e.r.IntN(4) {
		case 0:
			e.mutate()
		case 1: // two runs of one job at once
			j := jobs[e.r.IntN(len(jobs))]
			var wg sync.WaitGroup
			for range 2 {
				wg.Add(1)
				go func() { defer wg.Done(); e.run(j, false) }()
			}
			wg.Wait()
		default:
			e.run(jobs[e.r.IntN(len(jobs))], e.r.IntN(2) == 0)
		}
	}
	oracle := e.currentRows()
	for _, j := range jobs {
		e.run(j, false) // a last run with nothing changing
		e.check(j, oracle)
	}
	e.checkSummary(jobs[1])
	e.checkSummary(jobs[2], "--client", "Wingtip Toys")
}

// checkSummary: the server's summary (issue 21) totals what a job's ledger
// books, hours billed and amount over every row of every run (reversals
// and corrections included), for the same filters.
func (e *ledgerEnv) checkSummary(j *ledgerJob, filters ...string) {
	path := filepath.Join(e.dir, j.name+"-summary.json")
	args := append([]string{"endclient", "hours", "--summary", "client", "-o", "json", "--output-file", path}, filters...)
	if code, stderr := e.cli(false, args...); code != 0 {
		e.t.Fatalf("%s summary: exit %d: %s", j.name, code, stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		e.t.Fatal(err)
	}
	var groups []api.BilledHoursTotal
	if err := json.Unmarshal(b, &groups); err != nil {
		e.t.Fatalf("%s summary: %v: %s", j.name, err, b)
	}
	var got, want api.BilledHoursTotal
	for _, g := range groups {
		got.Add(g)
	}
	for _, f := range j.files {
		for _, r := range ledgertest.Read(e.t, f) {
			want.HoursBilled += r.HoursBilled
			if r.Amount != nil {
				sum := *r.Amount + deref(want.Amount)
				want.Amount = &sum
			}
		}
	}
	if got.HoursBilled != want.HoursBilled || deref(got.Amount) != deref(want.Amount) {
		e.t.Errorf("%s: the summary bills %s hours for %s, the ledger's rows %s for %s", j.name,
			got.HoursBilled, deref(got.Amount), want.HoursBilled, deref(want.Amount))
	}
	if want.HoursBilled == 0 {
		e.t.Errorf("%s: the ledger holds no hours: the check proves nothing", j.name)
	}
}

func deref(d *api.Decimal) api.Decimal {
	if d == nil {
		return 0
	}
	return *d
}

// mutate imports one random change.
func (e *ledgerEnv) mutate() {
	e.mu.Lock()
	defer e.mu.Unlock()
	var recs []any
	switch op := e.r.IntN(10); {
	case op < 5: // new items, any id (older ones too), any date
		for range 1 + e.r.IntN(6) {
			id := int64(1 + e.r.IntN(3000))
			if _, ok := e.items[id]; ok {
				continue
			}
			it := e.randomItem(id)
			e.items[id] = it
			recs = append(recs, &it)
		}
	case op < 8: // corrections
		for id, it := range e.items {
			if e.r.IntN(5) > 0 {
				continue
			}
			switch e.r.IntN(3) {
			case 0:
				it.HoursBilled += 25
			case 1:
				it.WorkedDate = e.randomItem(id).WorkedDate
			default:
				it.ContractID, it.ProjectID = map[int64]int64{501: 502, 502: 503, 503: 501}[it.ContractID], map[int64]int64{501: 8, 502: 5, 503: 5}[it.ContractID]
			}
			e.items[id], e.moved[id] = it, true
			recs = append(recs, &it)
			break
		}
	case op < 9: // removals
		for id := range e.items {
			delete(e.items, id)
			e.moved[id] = true
			recs = append(recs, dataset.BillingItemRemoval{ID: id})
			break
		}
	default: // contract 503 billed to Fabrikam, or to nobody
		e.rebill = !e.rebill
		var bill *int64
		if e.rebill {
			bill = &fabrikamID
		}
		recs = append(recs, &dataset.Contract{ID: 503, OrganizationID: 300, Name: "Tailspin Direct", BillingOrganizationID: bill})
		for id, it := range e.items {
			if it.ContractID == 503 {
				e.moved[id] = true
			}
		}
	}
	if err := importRecords(e.imp, recs...); err != nil {
		e.t.Errorf("import: %v", err)
	}
}

func (e *ledgerEnv) randomItem(id int64) dataset.BillingItem {
	contract := []int64{501, 502, 503}[e.r.IntN(3)]
	project := map[int64]int64{501: 5, 502: 8, 503: 5}[contract]
	rate := api.Decimal(10000 + 100*e.r.IntN(50))
	return dataset.BillingItem{ID: id, ProjectID: project, ContractID: contract,
		WorkedDate:  api.Date(fmt.Sprintf("2026-%02d-%02d", 1+e.r.IntN(3), 1+e.r.IntN(28))),
		HoursWorked: api.Decimal(25 * (1 + e.r.IntN(12))), HoursBilled: api.Decimal(25 * e.r.IntN(12)), Rate: &rate,
		Description: fmt.Sprintf("work %d", e.r.IntN(100))}
}

// run runs one job's command line; stalled, an import lands while the rows
// are being read.
func (e *ledgerEnv) run(j *ledgerJob, stalled bool) {
	j.mu.Lock()
	j.runs++
	out := filepath.Join(e.dir, j.name+".csv")
	if !j.append {
		out = filepath.Join(e.dir, fmt.Sprintf("%s-%03d.csv", j.name, j.runs))
	}
	before := map[string]string{}
	for _, f := range j.files {
		before[f] = readOrEmpty(e.t, f)
	}
	j.mu.Unlock()
	args := append([]string{"endclient", "hours", "-o", "csv", "--tz", "UTC", "--columns", ledgertest.Columns,
		"--state", filepath.Join(e.dir, j.name+".state"), "--output-file", out}, j.args...)
	if j.append {
		args = append(args, "--append")
	}
	code, stderr := e.cli(stalled, args...)
	if code != 0 {
		e.t.Errorf("%s: exit %d: %s", j.name, code, stderr)
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for f, content := range before {
		if now := readOrEmpty(e.t, f); !strings.HasPrefix(now, content) || (!j.append && now != content) {
			e.t.Errorf("%s: an earlier output %s changed:\n%s\nnow\n%s", j.name, f, content, now)
		}
	}
	if _, err := os.Stat(out); err == nil && !contains(j.files, out) {
		j.files = append(j.files, out)
	}
}

// cli runs portalctl in process against the server.
func (e *ledgerEnv) cli(stalled bool, args ...string) (int, string) {
	var rt http.RoundTripper
	if stalled {
		e.mu.Lock()
		cut := 200 + e.r.IntN(3000)
		e.mu.Unlock()
		rt = stallingTransport{rt: http.DefaultTransport, after: cut, during: e.mutate}
	}
	return runCLI(e.dir, e.srv.URL, e.token, rt, args...)
}

// stallingTransport runs during once after a billed-hours answer's first
// after bytes were read: an import that lands mid-stream.
type stallingTransport struct {
	rt     http.RoundTripper
	after  int
	during func()
}

func (s stallingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := s.rt.RoundTrip(req)
	if err == nil && strings.HasSuffix(req.URL.Path, "/billed-hours") {
		resp.Body = &stallingBody{ReadCloser: resp.Body, left: s.after, during: s.during}
	}
	return resp, err
}

type stallingBody struct {
	io.ReadCloser
	left   int
	during func()
}

func (b *stallingBody) Read(p []byte) (int, error) {
	if b.left > 0 && len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	if b.left > 0 {
		if b.left -= n; b.left <= 0 {
			b.during()
		}
	}
	return n, err
}

// currentRows is every billed row as it stands (a plain export).
func (e *ledgerEnv) currentRows() map[int64]api.BilledHoursRow {
	path := filepath.Join(e.dir, "now.csv")
	if code, stderr := e.cli(false, "endclient", "hours", "-o", "csv", "--tz", "UTC", "--columns", ledgertest.Columns, "--output-file", path); code != 0 {
		e.t.Fatalf("full export: exit %d: %s", code, stderr)
	}
	return ledgertest.Rows(e.t, path)
}

// check replays a job's files as a ledger against the rows as they stand.
func (e *ledgerEnv) check(j *ledgerJob, now map[int64]api.BilledHoursRow) {
	l := ledgertest.Replay(e.t, j.files...)
	l.Check(e.t, j.name, now, j.filter, func(id int64) bool { return e.moved[id] })
	e.t.Logf("%s: %d runs, %d files, %d items held", j.name, j.runs, len(j.files), len(l.Held))
}

func readOrEmpty(t *testing.T, path string) string {
	b, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
