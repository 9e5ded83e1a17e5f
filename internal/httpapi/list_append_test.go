package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// checkPage checks that writePage with appendJSON answers exactly as
// writeJSON(w, 200, out) does: status, headers and body.
func checkPage[T any](t *testing.T, out api.List[T], appendJSON appendJSONFunc[T]) {
	t.Helper()
	want := httptest.NewRecorder()
	writeJSON(want, http.StatusOK, out)
	got := httptest.NewRecorder()
	writePage(got, out, appendJSON)
	if got.Code != want.Code {
		t.Errorf("status %d, writeJSON %d", got.Code, want.Code)
	}
	for _, h := range []string{"Content-Type", "Content-Length"} {
		if g, w := got.Header().Values(h), want.Header().Values(h); fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("%s %q, writeJSON %q", h, g, w)
		}
	}
	if !bytes.Equal(got.Body.Bytes(), want.Body.Bytes()) {
		t.Errorf("page differs from writeJSON\n got %s\nwant %s", got.Body, want.Body)
	}
}

func testProjects(n int) []api.Project {
	lead, start, end := "Tom \"T\" Berg <tb>", api.Date("2026-02-01"), api.Date("2026-03-31")
	est, pct := api.NewDecimal(40, 50), api.NewDecimal(33, 33)
	at := time.Date(2026, 2, 4, 18, 0, 0, 123000000, time.FixedZone("EST", -5*3600))
	ps := make([]api.Project, n)
	for i := range ps {
		ps[i] = api.Project{ID: int64(1000 + i), Number: fmt.Sprintf("P20260201.%04d", i), Name: "Rack install ü 日本 \u2028",
			Status: api.ProjectInProgress, OrganizationID: 300, OrganizationName: "Tailspin Dental & Co",
			Description: "Mount the racks\nand cable them\t\x00\xff"}
		if i%2 == 0 { // every other one with its optional fields set
			ps[i].StartDate, ps[i].EndDate, ps[i].CompletedAt, ps[i].Lead = &start, &end, &at, &lead
			ps[i].EstimatedHours, ps[i].PercentComplete = &est, &pct
		}
	}
	return ps
}

func TestWritePageMatchesWriteJSON(t *testing.T) {
	cursor := "eyJpZCI6MTB9.sig" // cursors are base64url, but quote whatever it is
	odd := "a\"b\\c<d>&\u2028\xff"
	ps := testProjects(3)
	for _, tt := range []struct {
		name string
		out  api.List[api.Project]
	}{
		{"one project, no next page", api.List[api.Project]{Items: ps[:1]}},
		{"several projects and a cursor", api.List[api.Project]{Items: ps, NextCursor: &cursor}},
		{"odd cursor", api.List[api.Project]{Items: ps[1:], NextCursor: &odd}},
		{"empty page", api.List[api.Project]{Items: []api.Project{}}},
		{"empty page with cursor", api.List[api.Project]{Items: []api.Project{}, NextCursor: &cursor}},
		{"nil items", api.List[api.Project]{}},
	} {
		t.Run(tt.name, func(t *testing.T) { checkPage(t, tt.out, api.Project.AppendJSON) })
	}
	t.Run("end-client projects", func(t *testing.T) {
		ecp := []api.EndClientProject{{Project: ps[0], BilledHours: api.NewDecimal(12, 5)}, {Project: ps[1]}}
		checkPage(t, api.List[api.EndClientProject]{Items: ecp, NextCursor: &cursor}, api.EndClientProject.AppendJSON)
		checkPage(t, api.List[api.EndClientProject]{Items: ecp}, api.EndClientProject.AppendJSON)
	})
}

// A row encoding/json cannot write (here a completed_at in year 10000) gets
// writeJSON's 500, not a page cut short.
func TestWritePageUnencodable(t *testing.T) {
	bad := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	ps := testProjects(3)
	ps[1].CompletedAt = &bad
	out := api.List[api.Project]{Items: ps}
	rec := httptest.NewRecorder()
	writePage(rec, out, api.Project.AppendJSON)
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	checkPage(t, out, api.Project.AppendJSON)
}

// discardWriter is a ResponseWriter that keeps nothing, so the benchmark
// measures encoding, not a recorder.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

// BenchmarkProjectPage compares a 50-project page (?limit=50) written
// by encoding/json (writeJSON) and by api.Project.AppendJSON (writePage).
func BenchmarkProjectPage(b *testing.B) {
	cursor := "eyJpZCI6MTA0OX0.c2ln"
	out := api.List[api.Project]{Items: testProjects(50), NextCursor: &cursor}
	w := &discardWriter{h: http.Header{}}
	b.Run("json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			writeJSON(w, http.StatusOK, out)
		}
	})
	b.Run("append", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			writePage(w, out, api.Project.AppendJSON)
		}
	})
}
