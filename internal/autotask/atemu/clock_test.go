package atemu

import (
	"net/http"
	"testing"
	"time"
)

// With Options.Now, what Autotask stamps on a record (its create time, the
// date in its task number, its completion time) comes from that clock.
func TestClockStampsCreatedAndCompletedRecords(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	s := seeded(t, Options{Now: func() time.Time { return now }})
	a := call(t, "POST", s.URL()+"Projects/5/Tasks", map[string]any{"title": "Label cables", "status": 11, "taskType": 1})
	if a.status != http.StatusOK {
		t.Fatalf("create = %d %v", a.status, a.body)
	}
	id := int64(a.body["itemId"].(float64))
	rec := s.Record("Tasks", id)
	if rec["taskNumber"] != "T20260215.0001" || rec["createDateTime"] != "2026-02-15T12:00:00.000Z" {
		t.Errorf("created task: number %v, created %v", rec["taskNumber"], rec["createDateTime"])
	}
	now = now.Add(90 * time.Minute)
	if c := call(t, "PATCH", s.URL()+"Projects/5/Tasks", map[string]any{"id": id, "status": 5}); c.status != http.StatusOK {
		t.Fatalf("complete = %d %v", c.status, c.body)
	}
	if got := s.Record("Tasks", id)["completedDateTime"]; got != "2026-02-15T13:30:00.000Z" {
		t.Errorf("completedDateTime = %v", got)
	}
}
