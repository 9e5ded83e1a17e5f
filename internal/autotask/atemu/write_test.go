package atemu

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestCreateTaskGetsNewIDNumberAndCreateDate(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	a := call(t, "POST", s.URL()+"Projects/5/Tasks", map[string]any{
		"title": "Label cables", "status": 11, "taskType": 1, "taskCategoryID": 14,
		"userDefinedFields": []any{map[string]any{"name": "Portal Contact", "value": "3001"}}})
	if a.status != http.StatusOK || a.body["itemId"] != 110.0 {
		t.Fatalf("create = %d %v, want itemId 110 (above the highest seeded task)", a.status, a.body)
	}
	got := call(t, "GET", s.URL()+"Tasks/110", nil).body["item"].(map[string]any)
	if !regexp.MustCompile(`^T\d{8}\.\d{4}$`).MatchString(got["taskNumber"].(string)) {
		t.Errorf("taskNumber = %v", got["taskNumber"])
	}
	if got["projectID"] != 5.0 || got["createDateTime"] == nil || got["completedDateTime"] != nil {
		t.Errorf("task = %v", got)
	}
	if ids := queryIDs(t, s, "Tasks", filter(map[string]any{"op": "eq", "field": "Portal Contact", "value": "3001", "udf": true})); len(ids) != 1 || ids[0] != 110 {
		t.Errorf("udf of the created task: ids %v", ids)
	}
	note := call(t, "POST", s.URL()+"Tasks/110/Notes", map[string]any{
		"title": "Hi", "description": "Done?", "publish": 1, "noteType": 13, "createdByContactID": 3001})
	if note.status != http.StatusOK || note.body["itemId"] != 801.0 {
		t.Errorf("task note create = %d %v (ids continue above the seeded note 800)", note.status, note.body)
	}
}

func TestPatchTask(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	a := call(t, "PATCH", s.URL()+"Projects/1/Tasks", map[string]any{"id": 101, "status": 5,
		"userDefinedFields": []any{map[string]any{"name": "Portal Completed By", "value": "1001"}}})
	if a.status != http.StatusOK || a.body["itemId"] != 101.0 {
		t.Fatalf("patch = %d %v", a.status, a.body)
	}
	rec := s.Record("Tasks", 101)
	udfs := rec["userDefinedFields"].([]any)
	if rec["status"] != 5.0 || rec["completedDateTime"] == nil || rec["title"] != "Approve mailbox cut-over window" {
		t.Errorf("patched task = %v", rec)
	}
	if u := udfs[1].(map[string]any); u["name"] != "Portal Completed By" || u["value"] != "1001" ||
		udfs[0].(map[string]any)["value"] != "1001" {
		t.Errorf("udfs = %v (Portal Contact must stay 1001)", udfs)
	}
	if c := call(t, "PATCH", s.URL()+"Projects/1/Notes", map[string]any{"id": 700, "publish": 2}); c.status != 200 {
		t.Errorf("child patch = %d %v", c.status, c.body)
	}
	if got := s.Record("ProjectNotes", 700)["publish"]; got != 2.0 {
		t.Errorf("publish = %v", got)
	}
}

// Autotask answers validation and business-rule errors with 500 and an
// errors body (docs/autotask.md §7); wrong paths with 404.
func TestWriteErrors(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	task := func(extra map[string]any) map[string]any {
		m := map[string]any{"title": "x", "status": 11, "taskType": 1}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name, method, path string
		body               map[string]any
		status             int
		want               string
	}{
		{"missing required field", "POST", "Projects/1/Tasks", map[string]any{"status": 11, "taskType": 1}, 500, "title is required"},
		{"missing required picklist", "POST", "Projects/1/Tasks", map[string]any{"title": "x", "status": 11}, 500,
			"Value does not reference an existing entity for taskType"},
		{"unknown field", "POST", "Projects/1/Tasks", task(map[string]any{"colour": "red"}), 500, "colour"},
		{"picklist id not in the list", "POST", "Projects/1/Tasks", task(map[string]any{"status": 1}), 500, "existing entity for status"},
		{"wrong type", "POST", "Projects/1/Tasks", task(map[string]any{"title": 5}), 500, "title"},
		{"unknown udf", "POST", "Projects/1/Tasks", task(map[string]any{
			"userDefinedFields": []any{map[string]any{"name": "Colour", "value": "red"}}}), 500, "Colour"},
		{"assignee without a role", "POST", "Projects/1/Tasks", task(map[string]any{"assignedResourceID": 9001}), 500, "assignedResourceRoleID"},
		{"reference to nothing", "POST", "TaskNotes", map[string]any{"taskID": 999, "title": "x", "description": "y", "publish": 1, "noteType": 13}, 500, "taskID 999"},
		{"note without publish", "POST", "Projects/1/Notes", map[string]any{"title": "x", "description": "y", "noteType": 13, "isAnnouncement": false},
			500, "existing entity for publish"},
		// WYRE-AI/autotask-mcp #41: a project note without isAnnouncement is refused.
		{"project note without isAnnouncement", "POST", "Projects/1/Notes", map[string]any{"title": "x", "description": "y", "noteType": 13, "publish": 1},
			500, "isAnnouncement is required"},
		// Note types are per tenant: id 1 is none of this one's.
		{"note type of another tenant", "POST", "Projects/1/Notes", map[string]any{"title": "x", "description": "y", "noteType": 1, "publish": 1,
			"isAnnouncement": false}, 500, "existing entity for noteType"},
		{"patch emptying a required field", "PATCH", "Projects/1/Tasks", map[string]any{"id": 100, "title": ""}, 500, "title"},
		// The swagger has no POST Tasks nor PATCH ProjectNotes (WYRE #47: 404).
		{"root POST of a child entity", "POST", "Tasks", task(map[string]any{"projectID": 1}), 404, "No HTTP resource"},
		{"root PATCH of a child entity", "PATCH", "ProjectNotes", map[string]any{"id": 700, "title": "x"}, 404, "No HTTP resource"},
		{"parent does not exist", "POST", "Projects/999/Tasks", task(nil), 404, "999"},
		{"patch of a missing record", "PATCH", "Projects/1/Tasks", map[string]any{"id": 99999, "title": "x"}, 404, "99999"},
		{"patch under another parent", "PATCH", "Projects/5/Tasks", map[string]any{"id": 100, "title": "x"}, 404, "100"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, tc.method, s.URL()+tc.path, tc.body)
			msgs := errorsOf(a)
			if a.status != tc.status || len(msgs) == 0 || !strings.Contains(msgs[0].(string), tc.want) {
				t.Errorf("%s %s = %d %v, want %d naming %q", tc.method, tc.path, a.status, msgs, tc.status, tc.want)
			}
		})
	}
	if s.Record("Tasks", 110) != nil || s.Record("Tasks", 100)["title"] != "Confirm licence count" || len(s.Records("TaskNotes")) != 1 {
		t.Error("a refused write changed the data")
	}
	if a := call(t, "PATCH", s.URL()+"Tasks/100", map[string]any{"title": "x"}); a.status != 405 || a.body["Message"] == nil {
		t.Errorf("PATCH Tasks/100 = %d %v, want 405 with Message", a.status, a.body)
	}
}

// A note keeps createdByContactID only when Autotask allows the contact
// impersonation; otherwise it is silently the API user's.
func TestNoteContactImpersonation(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	tests := []struct {
		name, path string
		publish    int
		contact    int
		kept       bool
	}{
		{"contact of the project's company", "Projects/1/Notes", 1, 1002, true},
		{"contact of a parent company", "Projects/7/Notes", 1, 1002, true}, // project 7 is Contoso Logistics East
		{"task note", "Tasks/100/Notes", 1, 1001, true},
		{"not published to all", "Projects/1/Notes", 2, 1002, false},
		{"contact of another company", "Projects/5/Notes", 1, 1002, false},
		{"contact of a child company", "Projects/1/Notes", 1, 1007, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"title": "t", "description": "d", "noteType": 13, "publish": tc.publish, "createdByContactID": tc.contact}
			if strings.HasPrefix(tc.path, "Projects") {
				body["isAnnouncement"] = false
			}
			a := call(t, "POST", s.URL()+tc.path, body)
			if a.status != 200 {
				t.Fatalf("create = %d %v", a.status, a.body)
			}
			entity := "ProjectNotes"
			if strings.HasPrefix(tc.path, "Tasks") {
				entity = "TaskNotes"
			}
			got := s.Record(entity, int64(a.body["itemId"].(float64)))["createdByContactID"]
			if (got != nil) != tc.kept {
				t.Errorf("createdByContactID = %v, kept want %v", got, tc.kept)
			}
		})
	}
}

func TestGetAndChildGet(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	for path, want := range map[string]float64{"Tasks/100": 100, "tasks/100": 100} {
		if a := call(t, "GET", s.URL()+path, nil); a.status != 200 || a.body["item"].(map[string]any)["id"] != want {
			t.Errorf("GET %s = %d %v", path, a.status, a.body)
		}
	}
	if a := call(t, "GET", s.URL()+"Tasks/99999", nil); a.status != 404 || len(errorsOf(a)) != 1 {
		t.Errorf("GET of a missing id = %d %v, want 404 with an errors list", a.status, a.body)
	}
	// An attachment's child read: items is one object carrying the content.
	a := call(t, "GET", s.URL()+"Projects/1/Attachments/900", nil)
	item, _ := a.body["items"].(map[string]any)
	if item == nil || item["data"] != "TWlncmF0aW9uIHBsYW4K" || item["title"] != "plan.txt" || item["fileSize"] != 15.0 {
		t.Errorf("attachment = %v", a.body)
	}
	if a := call(t, "GET", s.URL()+"Projects/5/Attachments/900", nil); a.status != 404 {
		t.Errorf("attachment of another project = %d %v, want 404", a.status, a.body)
	}
	if q := call(t, "POST", s.URL()+"ProjectAttachments/query", filter(leaf("eq", "projectID", 1), leaf("gt", "fileSize", 0))); q.status != 500 ||
		!strings.Contains(errorsOf(q)[0].(string), "cannot be queried") {
		t.Errorf("query on fileSize = %d %v, want 500: it cannot be queried", q.status, q.body)
	}
	list := call(t, "GET", s.URL()+"Projects/1/Tasks", nil)
	if got := ids(list.body["items"]); !slices.Equal(got, []float64{100, 101, 102, 103, 105}) {
		t.Errorf("GET Projects/1/Tasks = %v", got)
	}
	if q := call(t, "POST", s.URL()+"ProjectAttachments/query", filter(leaf("eq", "projectID", 1))); q.status != 200 ||
		strings.Contains(strings.ToLower(stringify(q.body)), "data:") {
		t.Errorf("a query must not carry the content: %d %v", q.status, q.body)
	}
}

func stringify(v any) string {
	var b strings.Builder
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				b.WriteString(k + ":")
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(v)
	return b.String()
}
