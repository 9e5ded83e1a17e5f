// Package ical is portald's calendar feed as RFC 5545 iCalendar: the feed's
// model (a Calendar of Items, filled by internal/portal), each item's
// content hash and the feed's ETag, and the encoding, done by
// github.com/arran4/golang-ical (content lines folded at 75 octets, CRLF).
//
// Timed items are written in UTC (DTSTART:20260308T073000Z), which no time
// zone rule can move; the organization's zone travels as a VTIMEZONE and
// X-WR-TIMEZONE so that calendar apps show them in it. All-day items are
// DATE values (DTSTART;VALUE=DATE:20260314), never converted from a time,
// so they stay on their day wherever the reader is.
package ical

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// formatVersion changes whenever the encoding of the same data changes, so
// that every feed's ETag changes with it.
const formatVersion = "portald-ical-1"

// Calendar is one feed.
type Calendar struct {
	Name     string // X-WR-CALNAME
	TimeZone string // IANA zone of the organization; "" or unknown: UTC
	// Domain ends every UID ("event-950@" + Domain): unique per database.
	Domain string
	Items  []Item
}

// Item is one VEVENT.
type Item struct {
	// Key names the item within the portal and never changes: "event-950",
	// "task-100-due", "project-1-start". The UID is Key@Domain.
	Key         string
	Category    string // CATEGORIES: "Project event", "Task due", "Project dates"
	Summary     string
	Description string
	Location    string
	// AllDay items span the dates [StartDate, EndDate) (EndDate exclusive,
	// RFC 5545 3.6.1); the others the instants [Start, End).
	AllDay             bool
	StartDate, EndDate api.Date
	Start, End         time.Time
	// Sequence and Modified are the item's revision (SEQUENCE,
	// LAST-MODIFIED and DTSTAMP), from store.CalendarVersions.
	Sequence int
	Modified time.Time
}

// Hash is the SHA-256 of everything the feed shows of the item except its
// revision: a different hash is a new revision.
func (it *Item) Hash() string {
	h := sha256.New()
	it.hashTo(h)
	return hex.EncodeToString(h.Sum(nil))
}

func (it *Item) hashTo(h hash.Hash) {
	// One buffer, one Write: the fields length-prefixed, so that they
	// cannot run together.
	buf := make([]byte, 0, 256)
	field := func(s string) {
		buf = binary.BigEndian.AppendUint64(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	field(it.Key)
	field(it.Category)
	field(it.Summary)
	field(it.Description)
	field(it.Location)
	if it.AllDay {
		field("date")
		field(string(it.StartDate))
		field(string(it.EndDate))
	} else {
		field("time")
		buf = it.Start.UTC().AppendFormat(buf, time.RFC3339)
		buf = append(buf, ' ')
		buf = it.End.UTC().AppendFormat(buf, time.RFC3339)
	}
	h.Write(buf)
}

// ETag is the feed's entity tag: it changes whenever what the feed shows
// changes (an item's content, the items, the name or the time zone), and
// is computed before any revision is looked up, so that a client whose
// copy is current is answered 304 without further work. An item that
// changes and changes back gets the ETag it had: the reader's copy then
// shows the same content under an older SEQUENCE, which is harmless.
func (c *Calendar) ETag(now time.Time) string {
	h := sha256.New()
	for _, s := range []string{formatVersion, c.Name, c.TimeZone} {
		h.Write([]byte(strconv.Itoa(len(s)) + ":" + s))
	}
	first, last := c.years(now)
	h.Write([]byte(strconv.Itoa(first) + "-" + strconv.Itoa(last)))
	for i := range c.Items {
		c.Items[i].hashTo(h)
	}
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}
