package autotask

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/pkg/api"
)

// Real Autotask response bodies (internal/autotask/testdata/real, with
// their sources in SOURCES.md) decoded through the bridge's mapping.

func realBody(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "autotask", "testdata", "real", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRealCompanyPages serves two real Companies pages (a sparse record
// with fields absent, a full one with many nulls; an absolute nextPageUrl
// on the zone host with Autotask's own path casing) and reads them as
// organizations.
func TestRealCompanyPages(t *testing.T) {
	first, last := realBody(t, "companies_query_next_page.json"), realBody(t, "companies_query_single.json")
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := strings.ToLower(r.URL.Path); {
		case p == "/atservicesrest/v1.0/companies/query" && r.Method == http.MethodPost:
			w.Write([]byte(strings.ReplaceAll(string(first), "https://webservices15.autotask.net", srv.URL)))
		case p == "/atservicesrest/v1.0/companies/query/next": // the client POSTs it (Autotask refuses GET)
			w.Write(last)
		default: // ThresholdInformation: no real body exists; the client goes on without it
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"errors":["not here"]}`))
		}
	}))
	defer srv.Close()
	ctx := context.Background()
	c, err := at.New(ctx, at.Config{Credentials: at.Credentials{Username: "u", Secret: "s", IntegrationCode: "i"},
		BaseURL: srv.URL + "/ATServicesRest/V1.0/", RetryBase: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	local, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, Options{Client: c, Local: local, DefaultTimeZone: "Europe/Oslo"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	orgs, err := s.Organizations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id     int64
		name   string
		parent int64
	}{{0, "Example MSP", 203}, {174, "Autotask Corporation", 0}, {29683616, "Example Customer Ltd", 0}}
	if len(orgs) != len(want) {
		t.Fatalf("organizations: %+v", orgs)
	}
	for i, w := range want {
		o := orgs[i]
		parent := int64(0)
		if o.ParentID != nil {
			parent = *o.ParentID
		}
		if o.ID != w.id || o.Name != w.name || parent != w.parent || o.TimeZone != "Europe/Oslo" {
			t.Errorf("organization %d: %+v (parent %d), want %+v", i, o, parent, w)
		}
	}
}

// TestRealTaskRecord maps a real Tasks record: milliseconds with Z,
// date-only fields at midnight, priorityLabel and phaseID null, no UDFs.
// The Tasks picklist labels are the standard ones (no real Tasks
// entityInformation body was found): status 8 In Progress, category 2 Standard.
func TestRealTaskRecord(t *testing.T) {
	var page struct{ Items []at.Item }
	if err := json.Unmarshal(realBody(t, "tasks_query_item.json"), &page); err != nil || len(page.Items) != 1 {
		t.Fatalf("%v", err)
	}
	raw, err := decode[atTask]("Tasks", page.Items[0])
	if err != nil {
		t.Fatal(err)
	}
	pl := newPicklists([]at.Field{
		{Name: "status", IsPickList: true, PicklistValues: []at.PicklistValue{{Value: "1", Label: "New"}, {Value: "8", Label: "In Progress"}}},
		{Name: "taskCategoryID", IsPickList: true, PicklistValues: []at.PicklistValue{{Value: "2", Label: "Standard"}}},
	})
	s := &Store{opt: Options{UDFs: UDFNames{Contact: "Portal Contact", CompletedBy: "Portal Completed By"}}}
	task := s.toTask(raw, taskHeader{number: "P9", name: "Nine"}, pl, names{resources: map[int64]string{29682886: "Ann Admin"}})
	created := time.Date(2020, 5, 1, 9, 49, 57, 183_000_000, time.UTC)
	if task.ID != 19254 || task.Number != "T20200501.0049" || task.Status != api.TaskInProgress || task.Priority != nil ||
		task.IsIssue || task.PhaseID != nil || task.ContactID != nil || *task.StartDate != "2020-05-01" ||
		*task.DueDate != "2020-09-06" || task.CompletedAt != nil || !task.CreatedAt.Equal(created) ||
		task.ClientCompletable || *task.AssignedResource != "Ann Admin" || task.ProjectID != 9 {
		t.Errorf("task: %+v", task)
	}
}

// TestRealPicklist reads a real entityInformation/fields body: string value
// ids, a customer-defined value, non-picklist fields with null values.
func TestRealPicklist(t *testing.T) {
	var body struct{ Fields []at.Field }
	if err := json.Unmarshal(realBody(t, "fields_picklist.json"), &body); err != nil {
		t.Fatal(err)
	}
	pl := newPicklists(body.Fields)
	if len(pl) != 1 || pl.name("ActionType", 29682776) != "email" || pl.name("actiontype", 5) != "quick_note" {
		t.Errorf("picklists: %+v", pl)
	}
	if id, ok := pl.id("ActionType", "phone_call"); !ok || id != 1 {
		t.Errorf("phone_call → %d %v", id, ok)
	}
}

// TestDecimalsFromAutotask: Autotask keeps four decimals (the real task's
// hoursToBeScheduled is -168.1166); the portal shows hundredths.
func TestDecimalsFromAutotask(t *testing.T) {
	for in, want := range map[string]int64{"-168.1166": -16812, "0.0": 0, "120.5": 12050, "0.033": 3, "0.005": 1, `"2.25"`: 225, "null": 0} {
		var d atDec
		if err := json.Unmarshal([]byte(in), &d); err != nil || int64(d) != want {
			t.Errorf("%s → %d %v, want %d", in, d, err, want)
		}
	}
}
