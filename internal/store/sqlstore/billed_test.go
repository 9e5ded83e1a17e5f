package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
	_ "modernc.org/sqlite"
)

// The billed-hours stream reads names once and billing items alone; these
// tests hold it to what the joined query it replaced returns (joinedBilledHours
// below, kept as the oracle), on data with every case a row can be in.

const (
	biller, clientA, clientB, stranger = 1, 2, 3, 4
)

// billedTestStore is a real SQLite database with the portal schema and
// billing items in and out of the biller's scope.
func billedTestStore(t testing.TB, items int) *Store {
	t.Helper()
	ctx := context.Background()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "billed.db")+"?_pragma=foreign_keys(1)&_pragma=synchronous(OFF)&_pragma=journal_mode(MEMORY)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	c := FromSQL(db)
	if err := Migrate(ctx, c, os.DirFS("../sqlite"), "migrations"); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := c.Exec(ctx, q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec(`INSERT INTO organizations (id, name) VALUES (1, 'Biller'), (2, 'Client "A" <&>'), (3, 'Client B'), (4, 'Stranger')`)
	exec(`INSERT INTO contracts (id, organization_id, name, billing_organization_id) VALUES
		(10, 2, 'A billed', 1), (11, 3, 'B billed', 1), (12, 2, 'A direct', NULL), (13, 4, 'S own', 4), (14, 1, 'Biller own', 1)`)
	exec(`INSERT INTO projects (id, number, name, organization_id, type, status, contract_id) VALUES
		(100, 'P100', 'A one', 2, 'client', 'new', 10), (101, 'P101', 'B one', 3, 'client', 'new', 11),
		(102, 'P102', 'Own', 1, 'client', 'new', 14), (103, 'P103', 'A internal', 2, 'internal', 'new', 10),
		(104, 'P104', 'Stranger', 4, 'client', 'new', 13), (105, 'P105', 'A two, item-billed', 2, 'client', 'new', 12),
		(106, 'P106', 'Proposal', 4, 'proposal', 'new', 13)`)
	exec(`INSERT INTO tasks (id, project_id, number, title, status, position) VALUES
		(1000, 100, 'T1000', 'Rack', 'new', 1), (1001, 101, 'T1001', 'Cable ☃ "x"', 'new', 1),
		(1002, 106, 'T1002', 'On a proposal, never in scope', 'new', 1), (1003, 105, 'T1003', 'Tab	and line
break', 'new', 1), (1004, 103, 'T1004', 'Internal task', 'new', 1)`)
	exec(`INSERT INTO resources (id, first_name, last_name) VALUES (50, 'Tom', 'Berg'), (51, 'Ana', 'Díaz')`)
	projects := []int64{100, 101, 102, 103, 104, 105}
	contracts := []int64{10, 11, 12, 13, 14}
	tasks := []any{nil, 1000, 1001, 1002, 1003, 1004}
	resources := []any{nil, 50, 51}
	tx, err := c.Begin(ctx) // one transaction: thousands of inserts stay fast
	if err != nil {
		t.Fatal(err)
	}
	for i := range items {
		var rate, billedAt any
		if i%4 != 0 {
			rate = int64(9500 + i%3*2550)
		}
		if i%5 != 0 {
			billedAt = fmt.Sprintf("2026-%02d-%02dT18:00:%02dZ", 1+i%3, 1+i%28, i%60)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO billing_items (id, project_id, task_id, resource_id, contract_id, worked_date,
			hours_worked, hours_billed, rate, description, billed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			5000+i, projects[i%len(projects)], tasks[i/3%len(tasks)], resources[i/2%len(resources)], contracts[i*3%len(contracts)],
			fmt.Sprintf("2026-%02d-%02d", 1+i%3, 1+i*11%28), 25*(i%9), 25*(i%7)-50, rate, fmt.Sprintf("work %d\t<%d>", i, i), billedAt); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	return New(c, c, Dialect{}, nil)
}

func TestBilledHoursMatchesTheJoinedQuery(t *testing.T) {
	st := billedTestStore(t, 300)
	tests := []store.BilledHoursQuery{
		{},
		{ClientID: clientA},
		{ClientID: clientB},
		{ProjectID: 105},
		{ProjectID: 102}, // the biller's own project: nothing
		{From: "2026-02-01", To: "2026-02-20"},
		{From: "2026-03-05", ClientID: clientA},
		{AfterID: 5150},
		{Page: store.Page{Limit: 1}},
		{Page: store.Page{Limit: 10, After: &store.Key{Value: "2026-02-10", ID: 5030}}},
	}
	for _, org := range []int64{biller, stranger, clientA} {
		for _, q := range tests {
			q.BillingOrgID = org
			t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
				want := joinedBilledHours(t, st, q)
				got := collectBilled(t, func(each func(api.BilledHoursRow) error) error { return st.BilledHours(ctx, q, each) })
				sameBilledRows(t, got, want)
			})
		}
	}
}

// Names missing from what was read up front (added since, or a task on a
// project out of scope) are read on the way, and the stream goes on after
// the last row sent: the same rows, once each, in order.
func TestBilledHoursReadsMissingNames(t *testing.T) {
	st := billedTestStore(t, 300)
	for _, page := range []store.Page{{}, {Limit: 40}, {Limit: 40, After: &store.Key{Value: "2026-01-20", ID: 5000}}} {
		q := store.BilledHoursQuery{BillingOrgID: biller, Page: page}
		names, err := readBilledNames(ctx, st.r, q)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := names.tasks[1002]; ok {
			t.Fatal("the proposal's task should not be read up front")
		}
		delete(names.projects, 101)
		delete(names.tasks, 1000)
		delete(names.resources, 51)
		got := collectBilled(t, func(each func(api.BilledHoursRow) error) error { return streamBilledHours(ctx, st.r, q, names, each) })
		sameBilledRows(t, got, joinedBilledHours(t, st, q))
		if page.Limit == 0 && (names.projects[101] == nil || names.tasks[1000] == nil || names.resources[51] == nil || names.tasks[1002] == nil) {
			t.Errorf("missing names were not read: %+v", names)
		}
	}
}

// readMissing reads one name at a time once the item-billed projects are
// in; what does not exist is remembered as such.
func TestBilledNamesReadMissing(t *testing.T) {
	st := billedTestStore(t, 300)
	names, err := readBilledNames(ctx, st.r, store.BilledHoursQuery{BillingOrgID: biller})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := names.projects[105]; ok {
		t.Fatal("project 105 is billed item by item: not read up front")
	}
	for _, m := range []billedMiss{{"project", 105}, {"project", 100}, {"task", 1002}, {"task", 999}, {"resource", 51}, {"resource", 999}} {
		switch m.kind {
		case "project":
			delete(names.projects, m.id)
		case "task":
			delete(names.tasks, m.id)
		case "resource":
			delete(names.resources, m.id)
		}
		if err := names.readMissing(ctx, st.r, m); err != nil {
			t.Fatalf("%+v: %v", m, err)
		}
	}
	if !names.itemBilled || names.projects[105] == nil || names.projects[100] == nil || names.tasks[1003] == nil {
		t.Errorf("projects and their tasks were not read: %+v", names)
	}
	if t1002, ok := names.tasks[1002]; !ok || t1002 == nil || t1002.title != "On a proposal, never in scope" {
		t.Errorf("task 1002: %+v", t1002)
	}
	if t999, ok := names.tasks[999]; !ok || t999 != nil {
		t.Errorf("a task that does not exist is remembered as nil: %v %v", t999, ok)
	}
	if r, ok := names.resources[999]; !ok || r != nil || *names.resources[51] != "Ana Díaz" {
		t.Errorf("resources: %v %v", r, ok)
	}
	// A project the query saw in scope but that is out of it now.
	if err := names.readMissing(ctx, st.r, billedMiss{"project", 106}); err == nil || !strings.Contains(err.Error(), "changed during the export") {
		t.Errorf("project out of scope: %v", err)
	}
}

// Pages walk the whole export once.
func TestBilledHoursPages(t *testing.T) {
	st := billedTestStore(t, 300)
	all := collectBilled(t, func(each func(api.BilledHoursRow) error) error {
		return st.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: biller}, each)
	})
	if len(all) < 50 {
		t.Fatalf("only %d rows: the data should bill many items to the biller", len(all))
	}
	var paged []api.BilledHoursRow
	page := store.Page{Limit: 7}
	for {
		rows := collectBilled(t, func(each func(api.BilledHoursRow) error) error {
			return st.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: biller, Page: page}, each)
		})
		paged = append(paged, rows...)
		if len(rows) < page.Limit {
			break
		}
		last := rows[len(rows)-1]
		page.After = &store.Key{Value: string(last.WorkedDate), ID: last.ID}
	}
	sameBilledRows(t, paged, all)
}

var ctx = context.Background()

func collectBilled(t *testing.T, run func(func(api.BilledHoursRow) error) error) []api.BilledHoursRow {
	t.Helper()
	var rows []api.BilledHoursRow
	if err := run(func(r api.BilledHoursRow) error { rows = append(rows, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return rows
}

func sameBilledRows(t *testing.T, got, want []api.BilledHoursRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			g, _ := got[i].AppendJSON(nil)
			w, _ := want[i].AppendJSON(nil)
			t.Fatalf("row %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// joinedBilledHours is the query BilledHours ran before it read names once:
// every row joined to its project, organization, task and resource.
func joinedBilledHours(t *testing.T, s *Store, q store.BilledHoursQuery) []api.BilledHoursRow {
	var w where
	w.add(`+b.contract_id IN (SELECT id FROM contracts WHERE billing_organization_id = ?)`, q.BillingOrgID)
	w.add(`p.type = 'client' AND p.organization_id <> ?`, q.BillingOrgID)
	if q.ClientID > 0 {
		w.add("p.organization_id = ?", q.ClientID)
	}
	if q.ProjectID > 0 {
		w.add("b.project_id = ?", q.ProjectID)
	}
	if q.From != "" {
		w.add("b.worked_date >= ?", string(q.From))
	}
	if q.To != "" {
		w.add("b.worked_date <= ?", string(q.To))
	}
	if q.AfterID > 0 {
		w.add("b.id > ?", q.AfterID)
	}
	w.after(q.Page, "b.worked_date", "b.id")
	rows, err := list(ctx, s.r, `SELECT b.id, o.id, o.name, p.id, p.number, p.name, t.id, t.number, t.title,
		r.first_name || ' ' || r.last_name, b.worked_date, b.hours_worked, b.hours_billed, b.rate, b.description, b.billed_at
		FROM billing_items b JOIN projects p ON p.id = b.project_id
		JOIN organizations o ON o.id = p.organization_id
		LEFT JOIN tasks t ON t.id = b.task_id
		LEFT JOIN resources r ON r.id = b.resource_id`+w.sql()+` ORDER BY b.worked_date, b.id`+limit(q.Page), w.args,
		func(r Row) (api.BilledHoursRow, error) {
			row := api.BilledHoursRow{Entry: api.EntryNew}
			var taskID, rate sql.NullInt64
			var taskNumber, taskTitle, resource sql.NullString
			var worked nullDate
			var billedAt nullTime
			err := r.Scan(&row.ID, &row.ClientID, &row.ClientName, &row.ProjectID, &row.ProjectNumber, &row.ProjectName,
				&taskID, &taskNumber, &taskTitle, &resource, &worked, &row.HoursWorked, &row.HoursBilled, &rate,
				&row.Description, &billedAt)
			row.TaskID, row.TaskNumber, row.TaskTitle, row.Resource = nInt(taskID), nStr(taskNumber), nStr(taskTitle), nStr(resource)
			row.WorkedDate, row.Rate, row.BilledAt = worked.value(), nDec(rate), billedAt.t
			if row.Rate != nil {
				amount := row.HoursBilled.MulRound(*row.Rate)
				row.Amount = &amount
			}
			return row, err
		})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func BenchmarkBilledHours(b *testing.B) {
	st := billedTestStore(b, 20000)
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		err := st.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: biller}, func(api.BilledHoursRow) error { n++; return nil })
		if err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}
