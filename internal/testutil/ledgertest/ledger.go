// Package ledgertest replays billed-hours exports the way an accounting
// system books them, for the tests of the export's promise: every entry of
// every run, in order, must leave per item what the portal bills now.
package ledgertest

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/pkg/api"
)

// Columns are the columns Read needs (the tests export them with
// --columns, or all of them).
const Columns = "id,entry,worked_date,client_id,project_id,hours_worked,hours_billed,amount,description"

// Ledger is what the entries booked so far amount to.
type Ledger struct {
	Held   map[int64]api.BilledHoursRow // the version booked of each item
	Billed map[int64]api.Decimal        // hours_billed summed over every row
	Rows   map[int64]int                // rows per item
}

// Replay books the rows of files (CSV of Columns) in order. A reversal
// must undo exactly the version booked; a new or correction row must come
// when none is (else a row was exported twice).
func Replay(t testing.TB, files ...string) *Ledger {
	t.Helper()
	l := &Ledger{Held: map[int64]api.BilledHoursRow{}, Billed: map[int64]api.Decimal{}, Rows: map[int64]int{}}
	for _, f := range files {
		for _, r := range Read(t, f) {
			h, ok := l.Held[r.ID]
			switch r.Entry {
			case api.EntryReversal:
				neg := r
				neg.HoursWorked, neg.HoursBilled, neg.Amount = -r.HoursWorked, -r.HoursBilled, negated(r.Amount)
				if !ok || Key(neg) != Key(h) {
					t.Fatalf("%s: reversal %s undoes what the ledger does not have (it has %s)", f, Key(r), Key(h))
				}
				delete(l.Held, r.ID)
			case api.EntryNew, api.EntryCorrection:
				if ok {
					t.Fatalf("%s: %s row for item %d, which the ledger has: exported twice", f, r.Entry, r.ID)
				}
				l.Held[r.ID] = r
			default:
				t.Fatalf("%s: item %d: entry %q", f, r.ID, r.Entry)
			}
			l.Billed[r.ID] += r.HoursBilled
			l.Rows[r.ID]++
		}
	}
	return l
}

// Check compares the ledger with the rows as they stand (a plain export):
// the items in view (inView) in the same versions, hours_billed per item
// over every row equal to its billed hours now (0 out of view), and each
// item that never changed (changed false) booked by exactly one row.
func (l *Ledger) Check(t testing.TB, name string, now map[int64]api.BilledHoursRow, inView func(api.BilledHoursRow) bool, changed func(int64) bool) {
	t.Helper()
	for id, r := range now {
		if !inView(r) {
			continue
		}
		if h, ok := l.Held[id]; !ok || Key(h) != Key(r) {
			t.Errorf("%s: item %d is %s, the ledger has %s", name, id, Key(r), Key(h))
		}
		if !changed(id) && l.Rows[id] != 1 {
			t.Errorf("%s: item %d never changed, yet came %d times", name, id, l.Rows[id])
		}
	}
	for id, sum := range l.Billed {
		want := api.Decimal(0)
		if r, ok := now[id]; ok && inView(r) {
			want = r.HoursBilled
		}
		if sum != want {
			t.Errorf("%s: item %d: hours_billed over all rows %s, billed now %s", name, id, sum, want)
		}
	}
}

// Key is what a ledger compares of a row: everything Columns has but the
// entry.
func Key(r api.BilledHoursRow) string {
	amount := "null"
	if r.Amount != nil {
		amount = r.Amount.String()
	}
	return fmt.Sprintf("%d %s %d %d %s %s %s %q", r.ID, r.WorkedDate, r.ClientID, r.ProjectID, r.HoursWorked, r.HoursBilled, amount, r.Description)
}

func negated(d *api.Decimal) *api.Decimal {
	if d == nil {
		return nil
	}
	n := -*d
	return &n
}

// Read reads a CSV export holding at least Columns (by header name; a
// missing file has no rows).
func Read(t testing.TB, path string) []api.BilledHoursRow {
	t.Helper()
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
	col := map[string]int{}
	for i, name := range recs[0] {
		col[name] = i
	}
	for _, name := range strings.Split(Columns, ",") {
		if _, ok := col[name]; !ok {
			t.Fatalf("%s: no column %s in %v", path, name, recs[0])
		}
	}
	var rows []api.BilledHoursRow
	for _, rec := range recs[1:] {
		get := func(name string) string { return rec[col[name]] }
		r := api.BilledHoursRow{Entry: get("entry"), WorkedDate: api.Date(get("worked_date")), Description: get("description")}
		var err error
		for name, n := range map[string]*int64{"id": &r.ID, "client_id": &r.ClientID, "project_id": &r.ProjectID} {
			if _, serr := fmt.Sscan(get(name), n); err == nil {
				err = serr
			}
		}
		r.HoursWorked, err = parse(get("hours_worked"), err)
		r.HoursBilled, err = parse(get("hours_billed"), err)
		if get("amount") != "" {
			var amount api.Decimal
			amount, err = parse(get("amount"), err)
			r.Amount = &amount
		}
		if err != nil {
			t.Fatalf("%s: %v in %v", path, err, rec)
		}
		rows = append(rows, r)
	}
	return rows
}

func parse(s string, err error) (api.Decimal, error) {
	if err != nil {
		return 0, err
	}
	return api.ParseDecimal(s)
}

// Rows reads a plain export (CSV of Columns) by id.
func Rows(t testing.TB, path string) map[int64]api.BilledHoursRow {
	t.Helper()
	out := map[int64]api.BilledHoursRow{}
	for _, r := range Read(t, path) {
		out[r.ID] = r
	}
	return out
}
