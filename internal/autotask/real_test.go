package autotask

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// Tests on the real Autotask bodies of testdata/real (see its SOURCES.md).

func realBody(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("testdata/real/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRealQueryPagesDecode(t *testing.T) {
	first := realBody(t, "companies_query_next_page.json")
	last := realBody(t, "companies_query_single.json")
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		if r.URL.Query().Get("paging") == "" {
			// The real nextPageUrl, moved to this server, upper-case path kept.
			writeJSON(w, 200, strings.ReplaceAll(first, "https://webservices15.autotask.net", "http://"+r.Host))
			return
		}
		writeJSON(w, 200, last)
	})
	c, _ := newTestClient(t, f, Config{})
	type company struct {
		ID              int64  `json:"id"`
		CompanyName     string `json:"companyName"`
		IsActive        bool   `json:"isActive"`
		ParentCompanyID *int64 `json:"parentCompanyID"`
		CreateDate      Time   `json:"createDate"`
		LastActivity    Time   `json:"lastActivityDate"`
		UDFs            []UDF  `json:"userDefinedFields"`
	}
	var got []company
	err := c.Query(context.Background(), "Companies", Query{MaxRecords: 5}, func(it Item) error {
		var co company
		err := json.Unmarshal(it, &co)
		got = append(got, co)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := []int64{got[0].ID, got[1].ID, got[2].ID}
	if !slices.Equal(ids, []int64{0, 174, 29683616}) || len(got) != 3 {
		t.Fatalf("ids = %v", ids)
	}
	if *got[0].ParentCompanyID != 203 || got[1].ParentCompanyID != nil || got[1].IsActive || got[2].CompanyName != "Example Customer Ltd" {
		t.Errorf("companies = %+v", got)
	}
	if !got[2].CreateDate.Equal(time.Date(2016, 3, 30, 13, 10, 35, 563e6, time.UTC)) ||
		!got[2].LastActivity.Equal(time.Date(2018, 11, 13, 17, 32, 34, 0, time.UTC)) || got[2].UDFs == nil {
		t.Errorf("company dates/udfs = %+v", got[2])
	}
	if seen := f.requests(false); len(seen) != 2 || seen[1].Path != "Companies/query/next" || seen[1].Method != "POST" {
		t.Errorf("calls = %+v", seen)
	}
}

func TestRealTaskDecodes(t *testing.T) {
	var page struct {
		Items []struct {
			TaskNumber    string  `json:"taskNumber"`
			Created       Time    `json:"createDateTime"`
			Start         Time    `json:"startDateTime"`
			PriorityLabel *string `json:"priorityLabel"`
			UDFs          []UDF   `json:"userDefinedFields"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(realBody(t, "tasks_query_item.json")), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 {
		t.Fatalf("items = %d", len(page.Items))
	}
	task := page.Items[0]
	if task.TaskNumber == "" || task.Created.IsZero() || task.Created.Nanosecond() == 0 || task.Start.IsZero() || task.PriorityLabel != nil {
		t.Errorf("task = %+v", task)
	}
}

func TestRealFieldsDecode(t *testing.T) {
	body := realBody(t, "fields_picklist.json")
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, _ string) { writeJSON(w, 200, body) })
	c, _ := newTestClient(t, f, Config{})
	fields, err := c.Fields(context.Background(), "AccountToDo")
	if err != nil {
		t.Fatal(err)
	}
	var pick *Field
	for i := range fields {
		if fields[i].IsPickList {
			pick = &fields[i]
		}
	}
	if len(fields) != 5 || pick == nil || !slices.ContainsFunc(pick.PicklistValues, func(v PicklistValue) bool {
		return v.Value == "29682776" && !v.IsSystem && v.Label != ""
	}) {
		t.Errorf("fields = %+v", fields)
	}
}

func TestRealErrorBodies(t *testing.T) {
	tests := []struct {
		file   string
		status int
		want   string
	}{
		{"error_method_not_allowed.json", 405, "autotask: POST Tasks: 405 Method Not Allowed: The requested resource does not support http method 'GET'."},
		{"error_required_picklist.json", 500, "autotask unavailable: server error: POST Tasks: 500 Internal Server Error: Value does not reference an existing entity for taskType ."},
	}
	for _, tt := range tests {
		body := realBody(t, tt.file)
		f := newFake(t, func(w http.ResponseWriter, r *http.Request, path, _ string) { writeJSON(w, tt.status, body) })
		c, _ := newTestClient(t, f, Config{})
		_, err := c.Create(context.Background(), "Tasks", map[string]any{"title": "x"})
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.Status != tt.status || err.Error() != tt.want {
			t.Errorf("%s: err = %v\n want %s", tt.file, err, tt.want)
		}
		if n := len(f.requests(false)); n != 1 {
			t.Errorf("%s: server saw %d calls, want 1", tt.file, n)
		}
	}
}
