package autotask

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

// entityFake answers like Autotask for the single-record endpoints.
func entityFake(t *testing.T) *fakeAutotask {
	return newFake(t, func(w http.ResponseWriter, r *http.Request, path, body string) {
		switch r.Method + " " + path {
		case "POST Tasks/query/count":
			writeJSON(w, 200, `{"queryCount":1234}`)
		case "GET Tasks/7":
			writeJSON(w, 200, `{"item":{"id":7,"title":"Set up VPN","createDateTime":"2026-01-05T15:00:00.123","completedDateTime":null}}`)
		case "GET Tasks/8":
			writeJSON(w, 200, `{"item":null}`)
		case "GET Widgets/1":
			writeJSON(w, 404, `{"errors":["The requested resource does not exist."]}`)
		case "GET Projects/5/Attachments/9":
			writeJSON(w, 200, `{"items":[{"id":9,"title":"plan.pdf","data":"aGVsbG8="}]}`)
		case "GET Projects/5/Attachments/10":
			writeJSON(w, 200, `{"items":[]}`)
		case "POST Projects/5/Tasks", "PATCH Tasks":
			writeJSON(w, 200, `{"itemId":31}`)
		case "GET Tasks/entityInformation/fields":
			writeJSON(w, 200, `{"fields":[{"name":"status","dataType":"integer","isPickList":true,"picklistValues":[{"value":"1","label":"New","isActive":true,"isSystem":true,"isDefaultValue":false,"sortOrder":1,"parentValue":""},{"value":"5","label":"Complete","isActive":true,"isSystem":true}]},{"name":"title","dataType":"string","isPickList":false,"picklistValues":null}]}`)
		default:
			writeJSON(w, 404, `{"errors":["no route"]}`)
		}
	})
}

func TestCount(t *testing.T) {
	f := entityFake(t)
	c, _ := newTestClient(t, f, Config{})
	n, err := c.Count(context.Background(), "Tasks", []Filter{In("projectID", []int{5, 6})})
	if err != nil || n != 1234 {
		t.Fatalf("Count = %d, %v", n, err)
	}
	if body := f.requests(false)[0].Body; body != `{"filter":[{"op":"in","field":"projectID","value":[5,6]}]}` {
		t.Errorf("count body = %s", body)
	}
}

func TestGet(t *testing.T) {
	f := entityFake(t)
	c, _ := newTestClient(t, f, Config{})
	ctx := context.Background()
	var task struct {
		ID        int64  `json:"id"`
		Title     string `json:"title"`
		Created   Time   `json:"createDateTime"`
		Completed Time   `json:"completedDateTime"`
	}
	if err := c.Get(ctx, "Tasks", 7, &task); err != nil {
		t.Fatal(err)
	}
	if task.ID != 7 || task.Title != "Set up VPN" || task.Created.Format("2006-01-02T15:04:05.000Z07:00") != "2026-01-05T15:00:00.123Z" || !task.Completed.IsZero() {
		t.Errorf("task = %+v", task)
	}
	for _, tt := range []struct {
		entity, msg string
		id          int64
	}{
		{"Tasks", "autotask: no such record: Tasks/8", 8},
		{"Widgets", "autotask: no such record: Widgets/1", 1},
	} {
		err := c.Get(ctx, tt.entity, tt.id, &task)
		if !errors.Is(err, ErrNotFound) || err.Error() != tt.msg {
			t.Errorf("Get %s %d = %v, want %q", tt.entity, tt.id, err, tt.msg)
		}
	}
}

func TestGetChild(t *testing.T) {
	f := entityFake(t)
	c, _ := newTestClient(t, f, Config{})
	var att struct {
		Title string `json:"title"`
		Data  []byte `json:"data"` // base64 in JSON
	}
	if err := c.GetChild(context.Background(), "Projects", 5, "Attachments", 9, &att); err != nil {
		t.Fatal(err)
	}
	if att.Title != "plan.pdf" || string(att.Data) != "hello" {
		t.Errorf("attachment = %+v", att)
	}
	err := c.GetChild(context.Background(), "Projects", 5, "Attachments", 10, &att)
	if !errors.Is(err, ErrNotFound) {
		t.Errorf("missing child = %v, want ErrNotFound", err)
	}
}

func TestCreateAndUpdate(t *testing.T) {
	f := entityFake(t)
	c, _ := newTestClient(t, f, Config{})
	ctx := context.Background()
	id, err := c.Create(ctx, "Projects/5/Tasks", map[string]any{"title": "Printer jams", "status": 1})
	if err != nil || id != 31 {
		t.Fatalf("Create = %d, %v", id, err)
	}
	id, err = c.Update(ctx, "Tasks", map[string]any{"id": 31, "status": 5})
	if err != nil || id != 31 {
		t.Fatalf("Update = %d, %v", id, err)
	}
	got := f.requests(false)
	if got[0].Method != "POST" || got[0].Path != "Projects/5/Tasks" || got[0].Body != `{"status":1,"title":"Printer jams"}` {
		t.Errorf("create sent %s %s %s", got[0].Method, got[0].Path, got[0].Body)
	}
	if got[1].Method != "PATCH" || got[1].Path != "Tasks" || got[1].Body != `{"id":31,"status":5}` {
		t.Errorf("update sent %s %s %s", got[1].Method, got[1].Path, got[1].Body)
	}
}

func TestFields(t *testing.T) {
	f := entityFake(t)
	c, _ := newTestClient(t, f, Config{})
	fields, err := c.Fields(context.Background(), "Tasks")
	if err != nil {
		t.Fatal(err)
	}
	if len(fields) != 2 || fields[0].Name != "status" || !fields[0].IsPickList || fields[0].DataType != "integer" ||
		len(fields[0].PicklistValues) != 2 || fields[0].PicklistValues[1] != (PicklistValue{Value: "5", Label: "Complete", IsActive: true, IsSystem: true}) ||
		fields[1].IsPickList || fields[1].PicklistValues != nil {
		t.Errorf("fields = %+v", fields)
	}
}

// Autotask counts its 3 concurrent calls per object endpoint, the first
// path segment: a child path shares its parent's (findings §0.9).
func TestEndpointOf(t *testing.T) {
	for path, want := range map[string]string{"Tasks": "tasks", "Projects/5/Tasks": "projects", "/Tasks/12/Notes/": "tasks",
		"Projects/query": "projects", "ThresholdInformation": "thresholdinformation"} {
		if got := endpointOf(path); got != want {
			t.Errorf("endpointOf(%q) = %q, want %q", path, got, want)
		}
	}
}

func TestInFilterOverFiveHundredValuesIsRefusedLocally(t *testing.T) {
	f := entityFake(t)
	c, _ := newTestClient(t, f, Config{})
	ids := make([]int64, 501)
	err := c.Query(context.Background(), "Tasks", Query{Filter: []Filter{Or(In("projectID", ids))}}, func(Item) error { return nil })
	want := "autotask: the in filter on Tasks.projectID has 501 values; Autotask takes at most 500, split the list"
	if err == nil || err.Error() != want || len(f.requests(true)) != 0 {
		t.Errorf("err = %v after %d calls, want %q after none", err, len(f.requests(true)), want)
	}
	if _, err := c.Count(context.Background(), "Tasks", []Filter{In("id", ids[:500])}); err != nil {
		t.Errorf("500 values refused: %v", err)
	}
}
