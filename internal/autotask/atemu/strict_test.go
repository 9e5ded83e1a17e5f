package atemu

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The emulator refuses what Autotask refuses, each with the source of the
// rule (testdata/SOURCES.md, docs/autotask.md).
func TestRefusesWhatAutotaskRefuses(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	ids := func(n int) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = i + 1
		}
		return out
	}
	tests := []struct {
		name, entity string
		body         map[string]any
		want         string
	}{
		{"a field that cannot be queried, in IncludeFields", "ProjectAttachments",
			map[string]any{"filter": []any{leaf("eq", "projectID", 1)}, "IncludeFields": []string{"id", "fileSize"}}, "cannot be queried"},
		{"a field that cannot be queried, in a filter", "Tasks", filter(leaf("gt", "remainingHours", 0)), "cannot be queried"},
		{"an unknown field", "Tasks", filter(leaf("eq", "colour", "red")), "unable to find colour"},
		{"more than 500 OR conditions", "Tasks", filter(map[string]any{"op": "or", "items": []any{
			leaf("in", "projectID", ids(300)), leaf("in", "projectID", ids(300))}}), "500 or fewer 'OR' conditions"},
		{"an attachment query without its parent", "ProjectAttachments", filter(leaf("eq", "id", 900)), "must include the object"},
		{"two UDFs in one query", "Tasks", filter(
			map[string]any{"op": "eq", "field": "Portal Contact", "value": "1", "udf": true},
			map[string]any{"op": "eq", "field": "Portal Completed By", "value": "1", "udf": true}), "one user-defined field"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, "POST", s.URL()+tc.entity+"/query", tc.body)
			if a.status != 500 || !strings.Contains(fmt.Sprint(errorsOf(a)), tc.want) {
				t.Errorf("= %d %v, want 500 {\"errors\": [… %s …]}", a.status, a.body, tc.want)
			}
		})
	}
	if a := call(t, "POST", s.URL()+"Tasks/query", filter(leaf("in", "projectID", ids(500)))); a.status != 200 {
		t.Errorf("500 values in one list = %d %v, want 200", a.status, a.body)
	}
	if a := call(t, "POST", s.URL()+"ProjectAttachments/query", filter(leaf("in", "projectID", []any{1, 5}))); a.status != 200 ||
		len(a.body["items"].([]any)) != 2 {
		t.Errorf("attachments of named projects = %d %v", a.status, a.body)
	}
}

func TestRoutesComeFromTheSwagger(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	tests := []struct {
		method, path string
		status       int
	}{
		{"GET", "Projects/1/Tasks", 200},
		{"GET", "AttachmentInfo/900", 200},
		{"POST", "Tasks/query/count", 200},
		{"GET", "Tasks/99999", 404},             // a missing id
		{"GET", "Projects/1/Widgets", 404},      // no such route
		{"POST", "Tasks", 404},                  // no such route (WYRE #47)
		{"PATCH", "Tasks/100", 405},             // the path exists, for GET only
		{"DELETE", "Projects/1/Notes/700", 405}, // notes cannot be deleted
		{"GET", "BillingItems/entityInformation", 200},
	}
	for _, tc := range tests {
		if a := call(t, tc.method, s.URL()+tc.path, filter(leaf("gte", "id", 0))); a.status != tc.status {
			t.Errorf("%s %s = %d %v, want %d", tc.method, tc.path, a.status, a.body, tc.status)
		}
	}
}

// Records come back as the recorded bodies show them: doubles with a
// decimal point, no userDefinedFields when none has a value, UDFs only
// when IncludeFields names them.
func TestAnswersLikeTheRecordedBodies(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	raw := rawCall(t, "GET", s.URL()+"BillingItems/60001", nil)
	for _, want := range []string{`"quantity":3.0`, `"extendedPrice":548.0008`, `"rate":150.0`, `"invoiceID":0`,
		`"postedDate":"2026-02-04T00:00:00Z"`, `"postedOnTime":"2026-02-04T01:30:00.000Z"`} {
		if !strings.Contains(raw, want) {
			t.Errorf("BillingItems/60001 lacks %s: %s", want, raw)
		}
	}
	if strings.Contains(raw, "userDefinedFields") {
		t.Errorf("a billing item has no UDFs, so no collection: %s", raw)
	}
	if raw := rawCall(t, "GET", s.URL()+"AttachmentInfo/900", nil); !strings.Contains(raw, `"fileSize":15.0`) {
		t.Errorf("fileSize is a double: %s", raw)
	}
	q := func(include ...string) string {
		return rawCall(t, "POST", s.URL()+"Tasks/query", map[string]any{"filter": []any{leaf("eq", "id", 100)}, "IncludeFields": include})
	}
	if got := q("id", "title"); strings.Contains(got, "userDefinedFields") {
		t.Errorf("IncludeFields without UDFs: %s", got)
	}
	if got := q("id", "title", "Portal Contact"); !strings.Contains(got, `"name":"Portal Contact","value":"1002"`) ||
		strings.Contains(got, "Portal Completed By") {
		t.Errorf("IncludeFields naming one UDF: %s", got)
	}
	if got := rawCall(t, "POST", s.URL()+"Projects/query", filter(leaf("eq", "id", 4))); strings.Contains(got, "userDefinedFields") {
		t.Errorf("a page without UDF values has no collection: %s", got)
	}
}

// The field Autotask stamps when a record changes moves with each change,
// on the emulator's clock: what the sync pulls by.
func TestLastActivityMoves(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s := seeded(t, Options{Now: func() time.Time { return now }})
	before := s.Record("Tasks", 100)["lastActivityDateTime"]
	now = now.Add(time.Minute)
	if a := call(t, "PATCH", s.URL()+"Projects/1/Tasks", map[string]any{"id": 100, "status": 8}); a.status != 200 {
		t.Fatal(a.body)
	}
	if got := s.Record("Tasks", 100)["lastActivityDateTime"]; got != "2026-03-01T09:01:00.000Z" || got == before {
		t.Errorf("lastActivityDateTime = %v (was %v)", got, before)
	}
	now = now.Add(time.Minute)
	s.Put("Contacts", 1002, map[string]any{"lastName": "Ode-Smith"}, nil)
	if got := s.Record("Contacts", 1002)["lastModifiedDate"]; got != "2026-03-01T09:02:00.000Z" {
		t.Errorf("lastModifiedDate = %v", got)
	}
}

// The schema extract is what the emulator knows: fields portald relies on
// have the sourced required flags.
func TestSchemaFromTheExtract(t *testing.T) {
	for _, c := range []struct {
		entity, field string
		required      bool
	}{
		{"ProjectNotes", "isAnnouncement", true}, // Anteris ProjectNoteEntity; WYRE #41
		{"ProjectNotes", "noteType", true},
		{"TaskNotes", "title", false}, // Anteris TaskNoteEntity: ?string
		{"Tasks", "taskType", true},
		{"BillingItems", "timeEntryID", false},
	} {
		f := lookupEntity(c.entity).field(c.field)
		if f == nil || f.required != c.required {
			t.Errorf("%s.%s = %+v, want required %v", c.entity, c.field, f, c.required)
		}
	}
	if f := lookupEntity("ProjectAttachments").field("fileSize"); f == nil || f.typ != tDec || !f.noQuery {
		t.Errorf("ProjectAttachments.fileSize = %+v, want a double that cannot be queried", f)
	}
}

func rawCall(t *testing.T, method, url string, body any) string {
	t.Helper()
	var r io.Reader
	if body != nil {
		r = strings.NewReader(mustJSON(t, body))
	}
	req, _ := http.NewRequest(method, url, r)
	req.Header.Set("ApiIntegrationCode", testCreds.IntegrationCode)
	req.Header.Set("UserName", testCreds.Username)
	req.Header.Set("Secret", testCreds.Secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("%s %s = %d %s", method, url, resp.StatusCode, b.String())
	}
	return b.String()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
