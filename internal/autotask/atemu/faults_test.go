package atemu

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
)

// As on Autotask (docs/autotask.md §2): a wrong secret is a 401, an
// unknown user name or integration code a 500; both with an errors body.
func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	with := func(change func(c *autotask.Credentials)) autotask.Credentials {
		c := testCreds
		change(&c)
		return c
	}
	tests := []struct {
		name   string
		creds  autotask.Credentials
		status int
	}{
		{"wrong secret", with(func(c *autotask.Credentials) { c.Secret = "nope" }), 401},
		{"no secret", with(func(c *autotask.Credentials) { c.Secret = "" }), 401},
		{"unknown user name", with(func(c *autotask.Credentials) { c.Username = "who@example.com" }), 500},
		{"wrong integration code", with(func(c *autotask.Credentials) { c.IntegrationCode = "OTHER" }), 500},
		{"no headers", autotask.Credentials{}, 500},
	}
	for _, tc := range tests {
		a := callAs(t, tc.creds, "GET", s.URL()+"Tasks/100", nil)
		if a.status != tc.status || len(errorsOf(a)) == 0 || a.body["item"] != nil {
			t.Errorf("%s: %d %v, want %d with errors", tc.name, a.status, a.body, tc.status)
		}
	}
}

func TestZoneInformationNamesTheAPIBase(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	a := callAs(t, autotask.Credentials{}, "GET", s.DiscoveryURL()+"/v1.0/zoneInformation?user="+testCreds.Username, nil)
	if a.status != 200 || a.body["url"].(string)+"/v1.0/" != s.URL() {
		t.Errorf("zoneInformation = %d %v, want url + /v1.0/ = %s", a.status, a.body, s.URL())
	}
}

func TestHourlyLimitAnswers429WithRetryAfter(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{HourlyLimit: 4, ThresholdDelay: time.Millisecond})
	for i := range 3 {
		if a := call(t, "GET", s.URL()+"Tasks/100", nil); a.status != 200 {
			t.Fatalf("call %d: %d %v", i+1, a.status, a.body)
		}
	}
	th := call(t, "GET", s.URL()+"ThresholdInformation", nil).body // the 4th call
	if th["externalRequestThreshold"] != 4.0 || th["currentTimeframeRequestCount"] != 4.0 || th["requestThresholdTimeframe"] != 60.0 {
		t.Errorf("ThresholdInformation = %v", th)
	}
	a := call(t, "GET", s.URL()+"Tasks/100", nil)
	retry, err := strconv.Atoi(a.header.Get("Retry-After"))
	if a.status != http.StatusTooManyRequests || len(errorsOf(a)) == 0 || err != nil || retry < 1 || retry > 3600 {
		t.Errorf("5th call = %d %v Retry-After %q, want 429 with errors and Retry-After in seconds",
			a.status, a.body, a.header.Get("Retry-After"))
	}
}

func TestFailNextAndCounters(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	s.FailNext(2, http.StatusInternalServerError, "Object reference not set to an instance of an object.")
	for i := range 2 {
		a := call(t, "POST", s.URL()+"Tasks/query", filter(leaf("gte", "id", 0)))
		if msgs := errorsOf(a); a.status != 500 || len(msgs) != 1 || msgs[0] != "Object reference not set to an instance of an object." {
			t.Errorf("call %d = %d %v", i+1, a.status, a.body)
		}
	}
	if a := call(t, "POST", s.URL()+"Tasks/query", filter(leaf("gte", "id", 0))); a.status != 200 {
		t.Errorf("third call = %d, want 200", a.status)
	}
	call(t, "GET", s.URL()+"Projects/1/Attachments/900", nil)
	call(t, "GET", s.URL()+"Bogus/1", nil) // no such entity: still a call
	if s.Calls() != 5 || s.CallsTo("tasks") != 3 || s.CallsTo("ProjectAttachments") != 1 {
		t.Errorf("Calls %d, Tasks %d, ProjectAttachments %d; want 5, 3, 1", s.Calls(), s.CallsTo("tasks"), s.CallsTo("ProjectAttachments"))
	}
	s.ResetCalls()
	if s.Calls() != 0 || s.CallsTo("Tasks") != 0 {
		t.Error("ResetCalls left counts")
	}
}

func TestSetDownDropsConnections(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	s.SetDown(true)
	req, _ := http.NewRequest("GET", s.URL()+"Tasks/100", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("down: got status %d, want a connection error", resp.StatusCode)
	}
	s.SetDown(false)
	s.SetLatency(time.Millisecond)
	if a := call(t, "GET", s.URL()+"Tasks/100", nil); a.status != 200 {
		t.Errorf("back up: %d", a.status)
	}
}

func TestPicklistsByLabel(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	labels := map[string]map[string]string{} // field → id → label
	for _, f := range call(t, "GET", s.URL()+"Tasks/entityInformation/fields", nil).body["fields"].([]any) {
		m := f.(map[string]any)
		if m["isPickList"] != true {
			continue
		}
		labels[m["name"].(string)] = map[string]string{}
		for _, v := range m["picklistValues"].([]any) {
			pv := v.(map[string]any)
			labels[m["name"].(string)][pv["value"].(string)] = pv["label"].(string)
		}
	}
	task := s.Record("Tasks", 103) // new, high priority issue
	label := func(field string) string { return labels[field][strconv.Itoa(int(task[field].(float64)))] }
	if label("status") != "New" || label("priorityLabel") != "High" || label("taskCategoryID") != "Issue" {
		t.Errorf("task 103 labels: status %q priority %q category %q", label("status"), label("priorityLabel"), label("taskCategoryID"))
	}
	if len(labels["status"]) != 6 || labels["status"]["7"] != "Waiting Customer" {
		t.Errorf("status picklist = %v", labels["status"])
	}
	udfs := call(t, "GET", s.URL()+"Tasks/entityInformation/userDefinedFields", nil).body["fields"].([]any)
	if len(udfs) != 2 || udfs[0].(map[string]any)["name"] != "Portal Contact" {
		t.Errorf("userDefinedFields = %v", udfs)
	}
}

// Seeding maps the import format as the bridge reads it.
func TestSeedMapping(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{})
	checks := []struct {
		entity string
		id     int64
		field  string
		want   any
	}{
		{"Companies", 101, "parentCompanyID", 100.0},
		{"Companies", 101, "companyName", "Contoso Logistics"},
		{"Contacts", 1006, "isActive", 1.0},
		{"Contacts", 3001, "companyID", 300.0},
		{"Projects", 1, "startDateTime", "2026-01-05T00:00:00Z"},
		{"Projects", 1, "estimatedTime", 120.0},
		{"Projects", 4, "projectType", float64(projectTypeID["internal"])},
		{"Projects", 3, "completedDateTime", "2025-12-19T22:15:00Z"},
		{"Tasks", 100, "endDateTime", "2026-01-20T00:00:00Z"},
		{"Tasks", 100, "taskNumber", "T20260105.0001"},
		{"TaskNotes", 800, "createDateTime", "2026-01-06T15:30:00Z"},
		{"ProjectNotes", 701, "publish", 2.0},
		// As the recorded labour item: extendedPrice is not quantity ×
		// rate (3 h at 150 = 450), dates date-only, the posting instant in
		// postedOnTime, invoiceID 0, type and subtype 1.
		{"BillingItems", 60001, "extendedPrice", 548.0008},
		{"BillingItems", 60001, "companyID", 300.0},
		{"BillingItems", 60001, "itemDate", "2026-02-03T00:00:00Z"},
		{"BillingItems", 60001, "postedDate", "2026-02-04T00:00:00Z"},
		{"BillingItems", 60001, "postedOnTime", "2026-02-04T01:30:00.000Z"},
		{"BillingItems", 60001, "invoiceID", 0.0},
		{"BillingItems", 60001, "billingItemType", 1.0},
		{"BillingItems", 60001, "timeEntryID", 60001.0},
		{"BillingItems", 60004, "extendedPrice", 146.7424},
		// Every billed project also has an expense: units, no time entry.
		{"BillingItems", ExpenseItemBase + 5, "quantity", 2.0},
		{"BillingItems", ExpenseItemBase + 5, "extendedPrice", 91.0},
		{"BillingItems", ExpenseItemBase + 5, "timeEntryID", nil},
		{"BillingItems", ExpenseItemBase + 5, "expenseItemID", 5.0},
		{"ClientPortalUsers", 3_001_002, "userName", "ben"},
		{"ClientPortalUsers", 3_001_002, "securityLevel", float64(SecurityLevelIDs["basic"])},
		{"ClientPortalUsers", 3_001_006, "isClientPortalActive", false}, // dora
		{"TimeEntries", 60001, "hoursWorked", 3.5},
		{"TimeEntries", 60001, "hoursToBill", 3.0},
	}
	for _, c := range checks {
		if got := s.Record(c.entity, c.id)[c.field]; got != c.want {
			t.Errorf("%s %d %s = %v, want %v", c.entity, c.id, c.field, got, c.want)
		}
	}
	udf := s.Record("Projects", 1)["userDefinedFields"].([]any)[0].(map[string]any)
	if udf["value"] != ",1002,1005,1006," {
		t.Errorf("Portal Team Contacts = %v", udf["value"])
	}
}

// A resource on the team that is neither lead nor assignee becomes a
// secondary resource of the project's lowest-id task.
func TestSeedSecondaryResource(t *testing.T) {
	t.Parallel()
	s := New(Options{Credentials: testCreds})
	t.Cleanup(s.Close)
	err := s.Seed([]byte(`{"portal":{"support_email":"help@example.com"},
	 "organizations":[{"id":1,"name":"A"}],
	 "resources":[{"id":7,"first_name":"R","last_name":"S"},{"id":8,"first_name":"T","last_name":"U"}],
	 "projects":[{"id":2,"number":"P1","name":"P","organization_id":1,"status":"new","lead_resource_id":7}],
	 "tasks":[{"id":31,"project_id":2,"number":"T2","title":"b","status":"new","position":2},
	          {"id":30,"project_id":2,"number":"T1","title":"a","status":"new","position":1}],
	 "team":[{"project_id":2,"resource_id":7},{"project_id":2,"resource_id":8}]}`))
	if err != nil {
		t.Fatal(err)
	}
	rows := s.Records("TaskSecondaryResources")
	if len(rows) != 1 || rows[0]["taskID"] != 30.0 || rows[0]["resourceID"] != 8.0 {
		t.Errorf("TaskSecondaryResources = %v", rows)
	}
}

// Concurrent calls (run with -race): past 3 in progress on one endpoint
// Autotask refuses a call with a 500 naming Itgenatr005, counting child
// paths under their parent's endpoint.
func TestConcurrentUseAndThreadLimit(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{PageSize: 3})
	s.SetLatency(100 * time.Millisecond) // keeps the calls in progress together
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for i := range 8 {
		wg.Go(func() {
			var a answer
			if i%2 == 0 {
				a = call(t, "POST", s.URL()+"Projects/1/Notes", map[string]any{"title": "n", "description": "d", "publish": 1, "noteType": 13,
					"isAnnouncement": false})
			} else {
				a = call(t, "PATCH", s.URL()+"Projects/1/Tasks", map[string]any{"id": 100, "status": 8})
			}
			if a.status == 500 && !strings.Contains(fmt.Sprint(errorsOf(a)), "Itgenatr005") {
				t.Errorf("a 500 that is not the thread refusal: %v", a.body)
			}
			mu.Lock()
			statuses[a.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if statuses[200] < 3 || statuses[500] < 1 || statuses[200]+statuses[500] != 8 || s.ThreadRefusals() != statuses[500] {
		t.Errorf("answers %v, %d refusals: want at most 3 at once on the projects endpoint, the rest refused", statuses, s.ThreadRefusals())
	}
	if p := s.PeakConcurrency("Projects"); p < 4 {
		t.Errorf("PeakConcurrency(Projects) = %d, want the 8 overlapping calls to reach past 3", p)
	}
}
