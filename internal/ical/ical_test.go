package ical_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"github.com/portalctl/portalctl/internal/ical"
	"github.com/portalctl/portalctl/internal/testutil/icaltest"
)

var modified = time.Date(2026, 2, 1, 9, 30, 0, 0, time.UTC)

// longText crosses several 75-octet folds with two- and three-byte
// characters and every character TEXT must escape.
const longText = "Agenda; part 1, part 2\\3 — naïve café façade ≥ résumé: " +
	"ééééééééééééééééééééééééééééééééééééééé €€€€€€€€€€€€€€€€€€€€€€€€\nsecond line\r\nthird line"

// sample is a Chicago feed with the two DST edges of 2026 and an all-day
// item: spring forward on 8 March at 02:00 CST (08:00Z) and fall back on
// 1 November at 02:00 CDT (07:00Z), when 01:30 happens twice.
func sample() *ical.Calendar {
	return &ical.Calendar{Name: "Contoso portal", TimeZone: "America/Chicago", Domain: "test.portald", Items: []ical.Item{
		{Key: "event-1", Category: "Project event", Summary: "Spring forward", Description: longText, Location: "Room 1",
			Start: time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC), End: time.Date(2026, 3, 8, 9, 0, 0, 0, time.UTC),
			Sequence: 2, Modified: modified},
		{Key: "event-2", Summary: "Fall back, first 01:30",
			Start: time.Date(2026, 11, 1, 6, 30, 0, 0, time.UTC), End: time.Date(2026, 11, 1, 7, 0, 0, 0, time.UTC), Modified: modified},
		{Key: "event-3", Summary: "Fall back, second 01:30",
			Start: time.Date(2026, 11, 1, 7, 30, 0, 0, time.UTC), End: time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), Modified: modified},
		{Key: "event-4", Category: "Project event", Summary: "Cut-over weekend", AllDay: true, StartDate: "2026-03-14",
			EndDate: "2026-03-16", Modified: modified},
	}}
}

func render(t *testing.T, c *ical.Calendar) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := ical.Write(&buf, c, time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestDSTEdgesAndAllDayReadByPython: python3-icalendar reads every timed
// item as the UTC instant it is, and the feed's own VTIMEZONE puts it at
// the same local time and offset as the system's zoneinfo, on both sides of
// each DST edge; the all-day item stays a pair of dates.
func TestDSTEdgesAndAllDayReadByPython(t *testing.T) {
	ics := render(t, sample())
	icaltest.CheckLines(t, ics)
	cal := icaltest.Parse(t, ics)
	if cal.Properties["X-WR-TIMEZONE"] != "America/Chicago" || len(cal.Timezones) != 1 || cal.Timezones[0] != "America/Chicago" {
		t.Fatalf("time zone: %v %v", cal.Properties, cal.Timezones)
	}
	want := map[string][2]string{ // UID: start and end in the VTIMEZONE
		"event-1@test.portald": {"2026-03-08T01:30:00-06:00", "2026-03-08T04:00:00-05:00"},
		"event-2@test.portald": {"2026-11-01T01:30:00-05:00", "2026-11-01T01:00:00-06:00"},
		"event-3@test.portald": {"2026-11-01T01:30:00-06:00", "2026-11-01T02:00:00-06:00"},
	}
	for uid, w := range want {
		e, ok := cal.Event(uid)
		if !ok {
			t.Fatalf("no %s in %+v", uid, cal.Events)
		}
		for i, got := range []icaltest.When{e.Start, e.End} {
			if got.Kind != "datetime" || got.VTimezone != w[i] || got.Zoneinfo != w[i] {
				t.Errorf("%s: %+v, want %s in both the VTIMEZONE and zoneinfo", uid, got, w[i])
			}
		}
	}
	e1, _ := cal.Event("event-1@test.portald")
	if e1.Start.Value != "2026-03-08T07:30:00+00:00" {
		t.Errorf("the instant moved: %s", e1.Start.Value)
	}
	wantText := strings.ReplaceAll(longText, "\r\n", "\n")
	if e1.Description != wantText || e1.Location != "Room 1" || e1.Sequence != 2 ||
		e1.LastModified != "2026-02-01T09:30:00+00:00" || e1.DTStamp != e1.LastModified || e1.Categories[0] != "Project event" {
		t.Errorf("event 1 read back as %+v", e1)
	}
	allDay, _ := cal.Event("event-4@test.portald")
	if allDay.Start != (icaltest.When{Kind: "date", Value: "2026-03-14"}) || allDay.End != (icaltest.When{Kind: "date", Value: "2026-03-16"}) {
		t.Errorf("all-day item read as %+v – %+v, want the dates 2026-03-14 – 2026-03-16", allDay.Start, allDay.End)
	}
}

// TestVTimezoneMatchesZoneinfo: for zones with odd rules (DST across the
// new year in Sydney, a half-hour offset without DST in Kolkata, a
// 45-minute offset in Chatham, none at all in UTC), the VTIMEZONE gives
// every item the offset the system's zoneinfo gives.
func TestVTimezoneMatchesZoneinfo(t *testing.T) {
	for _, zone := range []string{"Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "UTC", "Europe/London"} {
		t.Run(zone, func(t *testing.T) {
			c := &ical.Calendar{Name: "z", TimeZone: zone, Domain: "d"}
			for i, at := 0, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 2027; i, at = i+1, at.Add(137*time.Hour) {
				c.Items = append(c.Items, ical.Item{Key: "e" + string(rune('a'+i%26)) + at.Format("20060102"), Summary: "x",
					Start: at, End: at.Add(time.Hour), Modified: modified})
			}
			cal := icaltest.Parse(t, render(t, c))
			if len(cal.Events) != len(c.Items) {
				t.Fatalf("%d events read, %d written", len(cal.Events), len(c.Items))
			}
			for _, e := range cal.Events {
				if e.Start.VTimezone != e.Start.Zoneinfo {
					t.Errorf("%s: the VTIMEZONE says %s, zoneinfo %s", e.UID, e.Start.VTimezone, e.Start.Zoneinfo)
				}
			}
		})
	}
}

// TestReadByGoICal: a second independent parser (emersion/go-ical) reads
// the same feed, and its encoder's checks accept every component.
func TestReadByGoICal(t *testing.T) {
	ics := render(t, sample())
	cal, err := goical.NewDecoder(bytes.NewReader(ics)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if err := goical.NewEncoder(&bytes.Buffer{}).Encode(cal); err != nil {
		t.Fatalf("go-ical finds the feed invalid: %v", err)
	}
	events := cal.Events()
	if len(events) != 4 {
		t.Fatalf("%d events", len(events))
	}
	start := events[3].Props.Get(goical.PropDateTimeStart)
	if start.ValueType() != goical.ValueDate || start.Value != "20260314" {
		t.Errorf("all-day DTSTART %+v, want the DATE 20260314", start)
	}
	got, err := events[0].DateTimeStart(nil)
	if err != nil || !got.Equal(time.Date(2026, 3, 8, 7, 30, 0, 0, time.UTC)) {
		t.Errorf("DTSTART %v %v", got, err)
	}
	desc, err := events[0].Props.Text(goical.PropDescription)
	if err != nil || desc != strings.ReplaceAll(longText, "\r\n", "\n") {
		t.Errorf("description %q %v", desc, err)
	}
}

// TestUnchangedFeedIsByteForByte: the same data gives the same bytes and
// ETag (DTSTAMP is the revision, not the clock); any change in what an
// item shows changes its hash and the ETag.
func TestUnchangedFeedIsByteForByte(t *testing.T) {
	now := time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC)
	a, b := sample(), sample()
	if !bytes.Equal(render(t, a), render(t, b)) || a.ETag(now) != b.ETag(now) {
		t.Fatal("the same calendar rendered twice differs")
	}
	b.Items[0].Sequence, b.Items[0].Modified = 3, modified.Add(time.Hour)
	if a.ETag(now) != b.ETag(now) {
		t.Error("the ETag depends on the revision, which is looked up only after it")
	}
	changes := map[string]func(it *ical.Item){
		"summary":  func(it *ical.Item) { it.Summary += "!" },
		"location": func(it *ical.Item) { it.Location = "Room 2" },
		"start":    func(it *ical.Item) { it.Start = it.Start.Add(time.Minute) },
		"category": func(it *ical.Item) { it.Category = "" },
	}
	for name, change := range changes {
		c := sample()
		change(&c.Items[0])
		if c.Items[0].Hash() == sample().Items[0].Hash() || c.ETag(now) == a.ETag(now) {
			t.Errorf("changing the %s changes neither the item's hash nor the ETag", name)
		}
	}
	c := sample()
	c.TimeZone = "Europe/Paris"
	if c.ETag(now) == a.ETag(now) {
		t.Error("another time zone keeps the ETag")
	}
}

// TestControlCharactersNeverBreakALine: a bare CR or other control
// character in the data cannot end a content line early.
func TestControlCharactersNeverBreakALine(t *testing.T) {
	c := sample()
	c.Items[0].Summary = "a\rb\x00c\x1bd\x7fe"
	ics := render(t, c)
	icaltest.CheckLines(t, ics)
	e, _ := icaltest.Parse(t, ics).Event("event-1@test.portald")
	if e.Summary != "a\nbcde" {
		t.Errorf("summary %q", e.Summary)
	}
}
