package output

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// sameAsAPI checks that -o json of rec decodes to exactly what the API's
// json.Marshal of rec decodes to: same keys, same values.
func sameAsAPI[T any](m *Model[T], rec T, skip ...string) func(t *testing.T) {
	return func(t *testing.T) {
		apiJSON, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		var want map[string]any
		if err := json.Unmarshal(apiJSON, &want); err != nil {
			t.Fatal(err)
		}
		for _, k := range skip {
			delete(want, k)
		}
		for _, mode := range ttyModes {
			out := renderView(t, m, Options{Format: FormatJSON, IsTTY: mode.tty}, rec)
			var got map[string]any
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("%s: invalid JSON: %v\n%s", mode.name, err, out)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s: keys %v\nwant %v\n got %s\nwant %s", mode.name,
					slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)), out, apiJSON)
			}
		}
	}
}

func TestJSONKeysAndValuesEqualTheAPI(t *testing.T) {
	at := time.Date(2026, 3, 28, 14, 30, 0, 123000000, time.UTC)
	d := api.Date("2026-03-28")
	dec := api.NewDecimal(12, 5)
	project := api.Project{ID: 1, Number: "P-1", Name: "Web <site> & \"co\"", Status: "new",
		OrganizationID: 2, OrganizationName: "Acme", StartDate: &d, EndDate: nil, CompletedAt: &at,
		Lead: ptr("Lee"), Description: "multi\nline\ttext\u2028", EstimatedHours: &dec}
	task := api.Task{ID: 3, Number: "T-3", Title: "Ünïcode ✓", Status: "new", Priority: ptr("high"),
		IsIssue: true, ProjectID: 1, PhaseID: ptr(int64(8)), DueDate: &d, CreatedAt: &at}
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"project", sameAsAPI(Projects, project)},
		{"endclient project", sameAsAPI(EndClientProjects, api.EndClientProject{Project: project, BilledHours: dec})},
		{"task", sameAsAPI(Tasks, task)},
		{"complete result", sameAsAPI(CompleteResults, api.CompleteResult{Task: task, AlreadyComplete: true})},
		{"schedule item (children are rows)", sameAsAPI(ScheduleItems, api.ScheduleItem{Kind: "phase", ID: 4,
			Outline: "1.2", Title: "Build", StartDate: &d}, "children")},
		{"note", sameAsAPI(Notes, api.Note{ID: 5, ProjectID: 1, Title: "t", Body: "b", Author: "a", CreatedAt: at})},
		{"task note", sameAsAPI(TaskNotes, api.TaskNote{ID: 6, TaskID: 3, Subject: "s", Body: "b", CreatedAt: at})},
		{"attachment", sameAsAPI(Attachments, api.Attachment{ID: 7, Name: "a.pdf", Size: 1 << 40, CreatedAt: at})},
		{"event", sameAsAPI(Events, api.Event{ID: 8, Title: "Kickoff", StartsAt: at, EndsAt: at, AllDay: true})},
		{"team member", sameAsAPI(TeamMembers, api.TeamMember{Kind: "contact", ID: 9, Name: "Dana"})},
		{"billed hours", sameAsAPI(BilledHours, billedRow(10))},
		{"organization", sameAsAPI(Organizations, api.Organization{ID: 11, Name: "Acme", ParentID: ptr(int64(1)), TimeZone: "America/Chicago"})},
		{"end client", sameAsAPI(EndClients, api.EndClient{ID: 12, Name: "Beta"})},
		{"token", sameAsAPI(Tokens, api.Token{ID: 13, Name: "laptop", CreatedAt: at, ExpiresAt: &at, Current: true})},
		{"email result", sameAsAPI(EmailResults, api.EmailResult{ID: 14, Recipients: []string{"a@x.test", "b@x.test"}, Status: "sent"})},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.run)
	}
}

func TestJSONEmptyListIsBrackets(t *testing.T) {
	for _, mode := range ttyModes {
		t.Run(mode.name, func(t *testing.T) {
			if out := render(t, Projects, Options{Format: FormatJSON, IsTTY: mode.tty}, nil); out != "[]\n" {
				t.Errorf("got %q, want []", out)
			}
		})
	}
}

func TestJSONListShape(t *testing.T) {
	rows := []api.EndClient{{ID: 1, Name: "A"}, {ID: 2, Name: "B"}}
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"piped is compact", Options{Format: FormatJSON}, `[{"id":1,"name":"A"},{"id":2,"name":"B"}]` + "\n"},
		{"tty is indented", Options{Format: FormatJSON, IsTTY: true},
			"[\n  {\n    \"id\": 1,\n    \"name\": \"A\"\n  },\n  {\n    \"id\": 2,\n    \"name\": \"B\"\n  }\n]\n"},
		{"columns pick and order keys", Options{Format: FormatJSON, Columns: []string{"name", "id"}},
			`[{"name":"A","id":1},{"name":"B","id":2}]` + "\n"},
		{"ndjson one object per line", Options{Format: FormatNDJSON, IsTTY: true},
			"{\"id\":1,\"name\":\"A\"}\n{\"id\":2,\"name\":\"B\"}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if out := render(t, EndClients, tc.opts, rows); out != tc.want {
				t.Errorf("got\n%s\nwant\n%s", out, tc.want)
			}
		})
	}
}

func TestJSONTTYIndentIsValidAndEqualToCompact(t *testing.T) {
	rows := []api.BilledHoursRow{billedRow(1), billedRow(2)}
	var compact, indented []map[string]any
	for _, c := range []struct {
		tty bool
		dst *[]map[string]any
	}{{false, &compact}, {true, &indented}} {
		out := render(t, BilledHours, Options{Format: FormatJSON, IsTTY: c.tty}, rows)
		if err := json.Unmarshal([]byte(out), c.dst); err != nil {
			t.Fatalf("tty=%v: %v\n%s", c.tty, err, out)
		}
	}
	if !reflect.DeepEqual(compact, indented) || len(compact) != 2 {
		t.Errorf("indented and compact differ:\n%v\n%v", compact, indented)
	}
	var buf bytes.Buffer
	_ = json.Indent(&buf, []byte(strings.TrimSpace(render(t, BilledHours, Options{Format: FormatJSON}, rows))), "", "  ")
	if got := render(t, BilledHours, Options{Format: FormatJSON, IsTTY: true}, rows); got != buf.String()+"\n" {
		t.Errorf("TTY JSON is not json.Indent of the compact form:\n%s", got)
	}
}

func TestJSONKeepsUTCAndExactDecimals(t *testing.T) {
	out := render(t, BilledHours, Options{Format: FormatJSON, Location: chicago(t),
		Columns: []string{"billed_at", "worked_date", "hours_billed"}}, []api.BilledHoursRow{billedRow(1)})
	want := `[{"billed_at":"2026-03-02T15:04:05Z","worked_date":"2026-03-01","hours_billed":1.25}]` + "\n"
	if out != want {
		t.Errorf("got %s want %s", out, want)
	}
	if strings.Contains(out, "-06:00") {
		t.Error("JSON must not convert time zones")
	}
}
