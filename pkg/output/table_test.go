package output

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
	"github.com/portalctl/portalctl/pkg/api"
)

func sampleProjects() []api.Project {
	d := api.Date("2026-06-30")
	pct := api.NewDecimal(42, 0)
	return []api.Project{
		{ID: 1, Number: "P-0001", Name: "Website relaunch for the northern region with extra long title",
			Status: "in_progress", OrganizationName: "Acme Widgets International", EndDate: &d, PercentComplete: &pct, Lead: ptr("Dana")},
		{ID: 22, Number: "P-0022", Name: "ERP — 日本語 rollout", Status: "new", OrganizationName: "Beta"},
	}
}

func TestTableFitsTerminalWidth(t *testing.T) {
	// 64 columns is about the narrowest these rows fit in: ids, numbers,
	// statuses and dates are never cut (TestTableNeverCutsIdentifiers).
	for _, width := range []int{64, 80, 200} {
		for _, mode := range ttyModes {
			t.Run(fmt.Sprintf("%d/%s", width, mode.name), func(t *testing.T) {
				out := render(t, Projects, Options{Format: FormatTable, IsTTY: mode.tty, TerminalWidth: width}, sampleProjects())
				lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
				if len(lines) != 3 {
					t.Fatalf("want header + 2 rows, got:\n%s", out)
				}
				for _, l := range lines {
					if w := runewidth.StringWidth(l); w > width {
						t.Errorf("line is %d wide, terminal is %d: %q", w, width, l)
					}
					if strings.HasSuffix(l, " ") {
						t.Errorf("trailing spaces: %q", l)
					}
				}
				if !strings.HasPrefix(lines[0], "ID  NUMBER  NAME") || !strings.Contains(lines[0], "DONE %") {
					t.Errorf("header = %q", lines[0])
				}
				// Numbers, statuses and dates are never cut.
				for _, keep := range []string{"P-0001", "in_progress", "2026-06-30", "42.00"} {
					if !strings.Contains(lines[1], keep) {
						t.Errorf("row lost %q: %q", keep, lines[1])
					}
				}
				cut := strings.Contains(out, "...")
				if wide := width < 150; cut != wide {
					t.Errorf("width %d: truncated=%v\n%s", width, cut, out)
				}
			})
		}
	}
}

func TestTableColour(t *testing.T) {
	tests := []struct {
		name  string
		color bool
	}{{"no colour", false}, {"colour", true}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, EndClients, Options{Format: FormatTable, IsTTY: true, Color: tc.color}, []api.EndClient{{ID: 1, Name: "A"}})
			if has := strings.Contains(out, "\x1b["); has != tc.color {
				t.Errorf("escape codes present=%v, want %v: %q", has, tc.color, out)
			}
		})
	}
}

func TestTableEmptyAndNoHeaders(t *testing.T) {
	if out := render(t, EndClients, Options{Format: FormatTable}, nil); out != "ID  NAME\n" {
		t.Errorf("empty = %q", out)
	}
	if out := render(t, EndClients, Options{Format: FormatTable, NoHeaders: true}, nil); out != "" {
		t.Errorf("empty without headers = %q", out)
	}
	out := render(t, EndClients, Options{Format: FormatTable, NoHeaders: true}, []api.EndClient{{ID: 7, Name: "two\nlines"}})
	if out != "7  two lines\n" {
		t.Errorf("no headers = %q, want one line per row", out)
	}
}

func TestScheduleTableIsIndentedOutline(t *testing.T) {
	tree := []api.ScheduleItem{
		{Kind: "phase", ID: 1, Outline: "1", Title: "Design", Children: []api.ScheduleItem{
			{Kind: "task", ID: 2, Outline: "1.1", Title: "Wireframes", Status: ptr("complete"), DueDate: ptr(api.Date("2026-04-01"))},
			{Kind: "phase", ID: 3, Outline: "1.2", Title: "Review", Children: []api.ScheduleItem{
				{Kind: "issue", ID: 4, Outline: "1.2.1", Title: "Logo colour", Number: ptr("I-4")},
			}},
		}},
		{Kind: "phase", ID: 5, Outline: "2", Title: "Build"},
	}
	var b strings.Builder
	if err := WriteList(&b, ScheduleItems, Options{Format: FormatTable, Columns: []string{"outline", "title", "due_date"}}, FlattenSchedule(tree)); err != nil {
		t.Fatal(err)
	}
	want := "OUTLINE  TITLE            DUE\n" +
		"1        Design\n" +
		"1.1        Wireframes     2026-04-01\n" +
		"1.2        Review\n" +
		"1.2.1        Logo colour\n" +
		"2        Build\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	b.Reset()
	if err := WriteList(&b, ScheduleItems, Options{Format: FormatCSV, Columns: []string{"outline", "title"}, NoHeaders: true}, FlattenSchedule(tree)); err != nil {
		t.Fatal(err)
	}
	if b.String() != "1,Design\n1.1,Wireframes\n1.2,Review\n1.2.1,Logo colour\n2,Build\n" {
		t.Errorf("CSV titles must not be indented: %q", b.String())
	}
}

func TestViewIsKeyValueLines(t *testing.T) {
	p := sampleProjects()[0]
	p.Description = "first line\nsecond line"
	out := renderView(t, Projects, Options{Format: FormatTable, Columns: []string{"id", "name", "lead", "start_date", "description"}}, p)
	want := "id:          1\n" +
		"name:        Website relaunch for the northern region with extra long title\n" +
		"lead:        Dana\n" +
		"start_date:\n" +
		"description: first line\n" +
		"             second line\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	// Without --columns a view shows every field, not just the table's.
	if all := renderView(t, Projects, Options{Format: FormatTable}, p); strings.Count(all, "\n") != len(Projects.Columns)+1 {
		t.Errorf("view without --columns:\n%s", all)
	}
}

// The newcomer's 80-column `tasks open`: task and project numbers and the
// status stay whole (they are what the next command needs); titles and
// names shrink, to fit when the identifiers leave room (100 columns) and
// down to a readable floor when they do not (80: the terminal wraps).
// --no-truncate keeps everything.
func TestTableNeverCutsIdentifiers(t *testing.T) {
	tasks := []api.Task{{ID: 100, Number: "T20260105.0002", Title: "Confirm the new firewall rules with the provider",
		Status: "waiting_customer", Priority: ptr("critical"), ProjectNumber: "P20260105.0001",
		AssignedResource: ptr("Priya Raman-Castellanos"), DueDate: ptr(api.Date("2026-01-20"))}}
	for _, width := range []int{80, 100} {
		out := render(t, Tasks, Options{Format: FormatTable, IsTTY: true, TerminalWidth: width}, tasks)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		for _, keep := range []string{"100", "T20260105.0002", "waiting_customer", "critical", "P20260105.0001", "2026-01-20"} {
			if !strings.Contains(lines[1], keep) {
				t.Errorf("%d columns: row lost %q:\n%s", width, keep, out)
			}
		}
		if !strings.Contains(lines[1], "Conf") || strings.Contains(lines[1], "Confirm the") || !strings.Contains(lines[1], "Priya") {
			t.Errorf("%d columns: free text not cut:\n%s", width, out)
		}
		for _, l := range lines {
			if w := runewidth.StringWidth(l); w > width && width == 100 {
				t.Errorf("line is %d wide: %q", w, l)
			}
		}
	}

	whole := render(t, Tasks, Options{Format: FormatTable, IsTTY: true, TerminalWidth: 80, NoTruncate: true}, tasks)
	if strings.Contains(whole, "...") || !strings.Contains(whole, tasks[0].Title) || !strings.Contains(whole, "Priya Raman-Castellanos") {
		t.Errorf("--no-truncate cut a cell:\n%s", whole)
	}
}

// A long table is written in batches in the widths measured on the first
// rows: every row lines up, the header comes once, and rows are written
// before the last one arrives.
func TestTableStreamsInMeasuredWidths(t *testing.T) {
	n := measureRows*2 + 7
	var sb strings.Builder
	lw, err := NewList(&sb, EndClients, Options{Format: FormatTable, IsTTY: true, TerminalWidth: 40})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		name := "Client"
		if i == measureRows+3 {
			name = "A much longer client name than any on the first page"
		}
		if err := lw.Write(api.EndClient{ID: int64(i + 1), Name: name}); err != nil {
			t.Fatal(err)
		}
		if i == measureRows && sb.Len() == 0 {
			t.Fatalf("nothing written after %d rows", i+1)
		}
	}
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(sb.String(), "\n"), "\n")
	if len(lines) != n+1 || lines[0] != "ID   NAME" || strings.Count(sb.String(), "NAME") != 1 {
		t.Fatalf("%d lines, header %q", len(lines), lines[0])
	}
	if lines[1] != "1    Client" || lines[n] != fmt.Sprintf("%d  Client", n) {
		t.Errorf("rows not aligned: %q, %q", lines[1], lines[n])
	}
	// The first page sets the widths; a later name is cut only when the
	// first page had to be cut (it did not), so it is written whole.
	if !strings.Contains(sb.String(), "A much longer client name than any on the first page") {
		t.Errorf("later long name was cut")
	}
}

// On a terminal too narrow for the first page, later free text is cut to
// the same width and later identifiers widen their column, never cut.
func TestTableStreamCutsLaterTextAlike(t *testing.T) {
	var sb strings.Builder
	lw, err := NewList(&sb, Tasks, Options{Format: FormatTable, IsTTY: true, TerminalWidth: 60,
		Columns: []string{"number", "title"}})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("title ", 20)
	for i := range measureRows + 1 {
		num := "T20260105.0002"
		if i == measureRows {
			num = "T20260105.00021234" // wider than any on the first page
		}
		if err := lw.Write(api.Task{Number: num, Title: long}); err != nil {
			t.Fatal(err)
		}
	}
	if err := lw.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(sb.String(), "\n"), "\n")
	last := lines[len(lines)-1]
	if !strings.HasPrefix(last, "T20260105.00021234  title") || !strings.HasSuffix(last, "...") {
		t.Errorf("last row = %q", last)
	}
	if w := runewidth.StringWidth(lines[1]); w > 60 {
		t.Errorf("first row is %d wide: %q", w, lines[1])
	}
}
