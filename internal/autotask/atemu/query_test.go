package atemu

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Demo tasks 100..109; picklist ids are this emulator's (status 7 = Waiting
// Customer, 8 = In Progress, 11 = New; priority 1 = High; category 14 = Issue).
func TestQueryFilters(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	or := func(items ...any) map[string]any { return map[string]any{"op": "or", "items": items} }
	and := func(items ...any) map[string]any { return map[string]any{"op": "and", "items": items} }
	udf := func(op, field string, v any) map[string]any { m := leaf(op, field, v); m["udf"] = true; return m }
	tests := []struct {
		name   string
		entity string
		body   any
		want   []float64
	}{
		{"eq picklist id", "Tasks", filter(leaf("eq", "status", 7)), []float64{100, 106, 108}},
		{"eq numeric string", "Tasks", filter(leaf("eq", "status", "7")), []float64{100, 106, 108}},
		{"noteq skips nulls", "Tasks", filter(leaf("noteq", "assignedResourceID", 9001)), []float64{101, 102, 104}},
		{"gt", "Tasks", filter(leaf("gt", "id", 107)), []float64{108, 109}},
		{"gte", "Tasks", filter(leaf("gte", "id", 108)), []float64{108, 109}},
		{"lt", "Tasks", filter(leaf("lt", "id", 101)), []float64{100}},
		{"lte", "Tasks", filter(leaf("lte", "id", 101)), []float64{100, 101}},
		{"datetime lt", "Tasks", filter(leaf("lt", "endDateTime", "2026-01-31T00:00:00Z")), []float64{100}},
		{"datetime as instant with offset", "Tasks", filter(leaf("gte", "endDateTime", "2026-01-30T19:00:00-05:00")), []float64{101, 105}},
		{"datetime with fraction and no zone", "Tasks", filter(leaf("lte", "endDateTime", "2026-01-31T00:00:00.000")), []float64{100, 105}},
		{"beginsWith ignores case", "Tasks", filter(leaf("beginsWith", "title", "install")), []float64{109}},
		{"endsWith", "Tasks", filter(leaf("endsWith", "title", "WINDOW")), []float64{101}},
		{"contains", "Tasks", filter(leaf("contains", "title", "cable")), []float64{107}},
		{"exist", "Tasks", filter(map[string]any{"op": "exist", "field": "phaseID"}), []float64{100, 101, 102, 105}},
		{"notExist", "Tasks", filter(map[string]any{"op": "notExist", "field": "phaseID"}), []float64{103, 104, 106, 107, 108, 109}},
		{"in", "Tasks", filter(leaf("in", "projectID", []int{5, 8})), []float64{104, 107, 109}},
		{"notIn", "Tasks", filter(leaf("notIn", "projectID", []int{1, 5})), []float64{106, 108, 109}},
		{"boolean false", "Tasks", filter(leaf("eq", "isVisibleInClientPortal", false)), []float64{102}},
		{"boolean true", "Tasks", filter(leaf("eq", "canClientPortalUserCompleteTask", true)), []float64{101, 105}},
		{"field names ignore case", "Tasks", filter(leaf("eq", "PROJECTid", 5)), []float64{104, 107}},
		{"top-level items are ANDed", "Tasks", filter(leaf("eq", "projectID", 1), leaf("eq", "status", 11)), []float64{101, 103}},
		{"nested groups", "Tasks", filter(leaf("eq", "projectID", 1),
			or(leaf("eq", "status", 8), and(leaf("eq", "taskCategoryID", 14), leaf("eq", "priorityLabel", 1)))),
			[]float64{102, 103, 105}},
		{"or of and groups", "Tasks", filter(or(and(leaf("eq", "projectID", 5), leaf("eq", "status", 11)),
			and(leaf("eq", "projectID", 2), leaf("gte", "id", 0)))), []float64{107, 108}},
		{"udf eq", "Tasks", filter(udf("eq", "Portal Contact", "1002")), []float64{100, 105, 106}},
		{"udf name ignores case", "Tasks", filter(udf("eq", "portal contact", 1001)), []float64{101, 103}},
		{"udf contains", "Projects", filter(udf("contains", "Portal Team Contacts", ",1006,")), []float64{1}},
		{"udf exist", "Projects", filter(map[string]any{"op": "exist", "field": "Portal Team Contacts", "udf": true}), []float64{1, 2, 5, 6}},
		{"contact isActive as integer", "Contacts", filter(leaf("eq", "companyID", 101), leaf("eq", "isActive", 1)), []float64{1007}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := queryIDs(t, s, tc.entity, tc.body); !slices.Equal(got, tc.want) {
				t.Errorf("ids = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestQueryRejectsBadFilters(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	many := make([]int, 501)
	tests := []struct {
		name string
		body any
		want string
	}{
		{"unknown field", filter(leaf("eq", "nosuchField", 1)), "nosuchField"},
		{"unknown operator", filter(leaf("like", "title", "x")), "like"},
		{"unknown udf", filter(map[string]any{"op": "eq", "field": "Nope", "value": "1", "udf": true}), "Nope"},
		{"in without a list", filter(leaf("in", "id", 5)), "list"},
		{"in with 501 values", filter(leaf("in", "id", many)), "500"},
		{"no filter", filter(), "at least one"},
		{"unknown include field", map[string]any{"filter": []any{leaf("gte", "id", 0)}, "IncludeFields": []string{"bogus"}}, "bogus"},
		{"MaxRecords above 500", map[string]any{"filter": []any{leaf("gte", "id", 0)}, "MaxRecords": 501}, "maxCountOfRecordsToReturn"},
		{"MaxRecords 0", map[string]any{"filter": []any{leaf("gte", "id", 0)}, "MaxRecords": 0}, "maxCountOfRecordsToReturn"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := call(t, "POST", s.URL()+"Tasks/query", tc.body)
			msgs := errorsOf(a)
			if a.status != http.StatusInternalServerError || len(msgs) == 0 || !strings.Contains(msgs[0].(string), tc.want) {
				t.Errorf("status %d errors %v, want 500 naming %q", a.status, msgs, tc.want)
			}
		})
	}
}

// A query of 5 tasks with pages of 2 takes 3 pages. As on Autotask, the
// nextPageUrl of a POST query is fetched with POST and the same body (GET
// answers 405), that of a GET ?search= query with GET; either stays valid
// while a record is added meanwhile.
func TestQueryPagesThroughNextPageURL(t *testing.T) {
	t.Parallel()
	body := filter(leaf("eq", "projectID", 1))
	search, _ := json.Marshal(body)
	for _, method := range []string{"POST", "GET"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			s := seeded(t, Options{PageSize: 2})
			first := s.URL() + "Tasks/query?search=" + url.QueryEscape(string(search))
			if method == "POST" {
				first = s.URL() + "Tasks/query"
			}
			a := call(t, method, first, body)
			var pages [][]float64
			for {
				if a.status != http.StatusOK {
					t.Fatalf("page %d: status %d %v", len(pages)+1, a.status, a.body)
				}
				pages = append(pages, ids(a.body["items"]))
				details := a.body["pageDetails"].(map[string]any)
				if details["count"] != float64(len(pages[len(pages)-1])) || details["requestCount"] != 2.0 {
					t.Errorf("pageDetails = %v", details)
				}
				if len(pages) == 1 { // a new task in project 1 while the client pages
					if c := call(t, "POST", s.URL()+"Projects/1/Tasks", map[string]any{"title": "Late", "status": 11, "taskType": 1}); c.status != 200 {
						t.Fatalf("create: %d %v", c.status, c.body)
					}
				}
				next, _ := details["nextPageUrl"].(string)
				if next == "" {
					break
				}
				if want := s.URL() + "Tasks/query/next?paging="; len(next) < len(want) || !strings.EqualFold(next[:len(want)], want) {
					t.Errorf("nextPageUrl = %q", next)
				}
				if method == "POST" {
					if g := call(t, "GET", next, nil); g.status != http.StatusMethodNotAllowed || g.body["Message"] == nil {
						t.Errorf("GET of a POST query's nextPageUrl = %d %v, want 405 with Message", g.status, g.body)
					}
				}
				a = call(t, method, next, body)
			}
			want := [][]float64{{100, 101}, {102, 103}, {105, 110}}
			if !slices.EqualFunc(pages, want, slices.Equal) {
				t.Errorf("pages = %v, want %v", pages, want)
			}
		})
	}
}

func TestQueryIncludeFieldsMaxRecordsAndCount(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	a := call(t, "POST", s.URL()+"Tasks/query", map[string]any{
		"filter": []any{leaf("eq", "projectID", 1)}, "IncludeFields": []string{"Title", "status"}, "MaxRecords": 2})
	items := a.body["items"].([]any)
	if len(items) != 2 || a.body["pageDetails"].(map[string]any)["nextPageUrl"] == nil {
		t.Fatalf("MaxRecords 2: %d items, pageDetails %v", len(items), a.body["pageDetails"])
	}
	first := items[0].(map[string]any)
	var keys []string
	for k := range first {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	// UDFs come back only when IncludeFields names them.
	if want := []string{"id", "status", "title"}; !slices.Equal(keys, want) {
		t.Errorf("fields = %v, want %v", keys, want)
	}
	if first["title"] != "Confirm licence count" || first["status"] != 7.0 {
		t.Errorf("item = %v", first)
	}

	c := call(t, "POST", s.URL()+"Tasks/query/count", filter(leaf("eq", "projectID", 1)))
	if c.status != 200 || c.body["queryCount"] != 5.0 {
		t.Errorf("count = %d %v, want 5", c.status, c.body)
	}
}
