package atemu

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
)

// The real client against the emulator: discovery, paging, count, reads,
// writes, picklists and the typed errors, as the bridge will use them.
func TestWithTheClient(t *testing.T) {
	t.Parallel()
	s := seeded(t, Options{PageSize: 3})
	ctx := context.Background()
	c, err := autotask.New(ctx, autotask.Config{Credentials: testCreds, DiscoveryURL: s.DiscoveryURL(),
		MaxRetries: 1, RetryBase: time.Millisecond})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if c.BaseURL() != s.URL() {
		t.Errorf("discovered base %q, want %q", c.BaseURL(), s.URL())
	}
	s.ResetCalls()
	var got []int64
	err = c.Query(ctx, "Tasks", autotask.Query{Filter: []autotask.Filter{autotask.Gte("id", 0)}, IncludeFields: []string{"title"}},
		func(it autotask.Item) error {
			var rec struct{ ID int64 }
			err := json.Unmarshal(it, &rec)
			got = append(got, rec.ID)
			return err
		})
	if err != nil || len(got) != 10 || got[0] != 100 || got[9] != 109 {
		t.Errorf("Query = %v, %v", got, err)
	}
	if n := s.CallsTo("Tasks"); n != 4 { // ceil(10/3) pages, followed with POST
		t.Errorf("%d calls to Tasks for 10 records in pages of 3, want 4", n)
	}
	if n, err := c.Count(ctx, "Tasks", []autotask.Filter{autotask.Eq("projectID", 5)}); err != nil || n != 2 {
		t.Errorf("Count = %d, %v", n, err)
	}
	var task map[string]any
	if err := c.Get(ctx, "Tasks", 99999, &task); !errors.Is(err, autotask.ErrNotFound) {
		t.Errorf("Get missing: %v, want ErrNotFound", err)
	}
	var att struct{ Data []byte }
	if err := c.GetChild(ctx, "Projects", 1, "Attachments", 900, &att); err != nil || string(att.Data) != "Migration plan\n" {
		t.Errorf("GetChild = %q, %v", att.Data, err)
	}
	id, err := c.Create(ctx, "Projects/1/Tasks", map[string]any{"title": "New", "status": 11, "taskType": 1})
	if err != nil || id != 110 {
		t.Errorf("Create = %d, %v", id, err)
	}
	_, err = c.Create(ctx, "Projects/1/Tasks", map[string]any{"status": 11, "taskType": 1})
	if err == nil || !strings.Contains(err.Error(), "title is required") {
		t.Errorf("Create without title: %v, want the error naming the field", err)
	}
	if _, err := c.Update(ctx, "Projects/1/Tasks", map[string]any{"id": 110, "status": 5}); err != nil || s.Record("Tasks", 110)["status"] != 5.0 {
		t.Errorf("Update: %v", err)
	}
	fields, err := c.Fields(ctx, "Projects")
	if err != nil || len(fields) == 0 {
		t.Fatalf("Fields: %v", err)
	}
	s.SetDown(true)
	var down *autotask.UnavailableError
	if err := c.Get(ctx, "Tasks", 100, &task); !errors.As(err, &down) {
		t.Errorf("Get while down: %v, want UnavailableError", err)
	}
	s.SetDown(false)
	bad := testCreds
	bad.Secret = "wrong"
	c2, err := autotask.New(ctx, autotask.Config{Credentials: bad, BaseURL: s.URL()})
	var auth *autotask.AuthError
	if err == nil {
		err = c2.Get(ctx, "Tasks", 100, &task)
	}
	if !errors.As(err, &auth) {
		t.Errorf("wrong secret: %v, want AuthError", err)
	}
}
