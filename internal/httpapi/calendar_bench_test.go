package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/time/rate"
)

// feedProjects is the target: the feed of a user with 1,000
// projects renders in under 200 ms.
const feedProjects = 1000

// calendarData is the demo data plus feedProjects Contoso projects, each
// with start and end dates, two calendar events (one all-day) and a task
// waiting for the customer with a due date: 5,000 feed items for ava.
func calendarData(b *testing.B) []byte {
	var data map[string][]map[string]any
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(dataset.DemoJSON, &raw); err != nil {
		b.Fatal(err)
	}
	data = map[string][]map[string]any{}
	for k, v := range raw {
		var rows []map[string]any
		if json.Unmarshal(v, &rows) == nil {
			data[k] = rows
		}
	}
	out := map[string]any{}
	for k, v := range raw {
		out[k] = v
	}
	for i := range feedProjects {
		id := 10000 + i
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%365)
		data["projects"] = append(data["projects"], map[string]any{"id": id, "number": fmt.Sprintf("P20260101.%04d", id),
			"name": fmt.Sprintf("Rollout %d", i), "organization_id": 100, "status": "in_progress",
			"start_date": day.Format(time.DateOnly), "end_date": day.AddDate(0, 2, 0).Format(time.DateOnly)})
		data["events"] = append(data["events"],
			map[string]any{"id": 20000 + 2*i, "project_id": id, "title": "Weekly check-in with the project team, agenda attached",
				"starts_at": day.Add(15 * time.Hour).Format(time.RFC3339), "ends_at": day.Add(16 * time.Hour).Format(time.RFC3339),
				"location": "Teams", "description": "Progress, risks, next steps; the minutes go to the project notes afterwards."},
			map[string]any{"id": 20001 + 2*i, "project_id": id, "title": "Cut-over", "all_day": true,
				"starts_at": day.AddDate(0, 1, 0).Format(time.RFC3339), "ends_at": day.AddDate(0, 1, 2).Format(time.RFC3339)})
		data["tasks"] = append(data["tasks"], map[string]any{"id": 30000 + i, "project_id": id, "number": fmt.Sprintf("T20260101.%04d", i),
			"title": "Confirm the cut-over window", "status": "waiting_customer", "position": 1,
			"due_date": day.AddDate(0, 0, 20).Format(time.DateOnly)})
	}
	for _, k := range []string{"projects", "events", "tasks"} {
		out[k] = data[k]
	}
	buf, err := json.Marshal(out)
	if err != nil {
		b.Fatal(err)
	}
	return buf
}

// BenchmarkCalendarFeed serves ava's feed of 1,000 projects (5,000 items)
// on SQLite through the handler: "read" is a calendar app's poll when
// something changed (the whole feed is built, versioned and encoded), "not
// modified" one whose copy is current (304).
func BenchmarkCalendarFeed(b *testing.B) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := dataset.Import(ctx, bytesReader(calendarData(b)), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		b.Fatal(err)
	}
	svc := portal.New(db.Stores(), portal.Options{})
	u, err := svc.Authenticate(ctx, mustToken(b, svc, "ava"))
	if err != nil {
		b.Fatal(err)
	}
	feed, err := svc.CreateCalendarFeed(ctx, u, apiNewFeed("bench"))
	if err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelError}))
	h := httpapi.New(svc, db, httpapi.Options{Logger: logger, TokenRate: rate.Inf})
	get := func(etag string) *httptest.ResponseRecorder {
		r, _ := http.NewRequest("GET", feed.Path, nil)
		if etag != "" {
			r.Header.Set("If-None-Match", etag)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 && w.Code != 304 {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
		return w
	}
	first := get("")
	etag := first.Header().Get("ETag")
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := get("")
			b.SetBytes(int64(w.Body.Len()))
		}
		b.ReportMetric(float64(feedProjects), "projects")
	})
	b.Run("not modified", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if w := get(etag); w.Code != 304 {
				b.Fatalf("%d", w.Code)
			}
		}
	})
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func mustToken(b *testing.B, svc *portal.Service, user string) string {
	tok, err := svc.CreateToken(context.Background(), user, "bench", time.Hour)
	if err != nil {
		b.Fatal(err)
	}
	return tok.Token
}

func apiNewFeed(name string) api.NewCalendarFeed { return api.NewCalendarFeed{Name: name} }
