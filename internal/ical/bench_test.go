package ical_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/ical"
	"github.com/portalctl/portalctl/pkg/api"
)

// BenchmarkWrite encodes a feed of 5,000 items (a user with 1,000
// projects: their dates, two events each, a task due each).
func BenchmarkWrite(b *testing.B) {
	c := &ical.Calendar{Name: "Contoso portal: Ava", TimeZone: "America/Chicago", Domain: "0123456789abcdef.portald"}
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		d := day.AddDate(0, 0, i%365)
		date := api.Date(d.Format(time.DateOnly))
		c.Items = append(c.Items,
			ical.Item{Key: fmt.Sprintf("event-%d", 2*i), Category: "Project event", Summary: "Weekly check-in with the project team, agenda attached",
				Description: "Progress, risks, next steps; the minutes go to the project notes afterwards.\n\nProject P20260101.0001 Rollout (Contoso Ltd).",
				Location:    "Teams", Start: d.Add(15 * time.Hour), End: d.Add(16 * time.Hour), Modified: modified},
			ical.Item{Key: fmt.Sprintf("event-%d", 2*i+1), Category: "Project event", Summary: "Cut-over", AllDay: true,
				StartDate: date, EndDate: date, Modified: modified},
			ical.Item{Key: fmt.Sprintf("project-%d-start", i), Category: "Project dates", Summary: "Rollout starts (P20260101.0001)",
				AllDay: true, StartDate: date, EndDate: date, Modified: modified},
			ical.Item{Key: fmt.Sprintf("project-%d-end", i), Category: "Project dates", Summary: "Rollout ends (P20260101.0001)",
				AllDay: true, StartDate: date, EndDate: date, Modified: modified},
			ical.Item{Key: fmt.Sprintf("task-%d-due", i), Category: "Task due", Summary: "Due: Confirm the cut-over window (T20260101.0001)",
				AllDay: true, StartDate: date, EndDate: date, Modified: modified,
				Description: "Task T20260101.0001 of project P20260101.0001 Rollout, status waiting_customer."})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := ical.Write(io.Discard, c, modified); err != nil {
			b.Fatal(err)
		}
	}
}
