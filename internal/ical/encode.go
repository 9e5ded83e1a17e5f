package ical

import (
	"io"
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"github.com/portalctl/portalctl/pkg/api"
)

// ProductID is the feed's PRODID.
const ProductID = "-//portalctl//portald calendar feed//EN"

// Write encodes c as an iCalendar object with CRLF line ends and lines
// folded at 75 octets. now only chooses the VTIMEZONE's years when c has
// no items.
func Write(w io.Writer, c *Calendar, now time.Time) error {
	cal := ics.NewCalendar()
	cal.CalendarProperties = nil
	cal.SetProductId(ProductID)
	cal.SetVersion("2.0")
	cal.SetCalscale("GREGORIAN")
	cal.SetName(clean(c.Name)) // NAME (RFC 7986) and X-WR-CALNAME
	// Calendar apps poll a subscription at their own pace; these ask for
	// at most hourly (RFC 7986, and Outlook's X-PUBLISHED-TTL).
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	loc := location(c.TimeZone)
	cal.SetXWRTimezone(loc.String())
	first, last := c.years(now)
	cal.AddVTimezone(vtimezone(loc, first, last))
	for i := range c.Items {
		cal.AddVEvent(event(&c.Items[i], c.Domain))
	}
	return cal.SerializeTo(w, ics.WithNewLineWindows)
}

func event(it *Item, domain string) *ics.VEvent {
	// The properties are appended directly: the library's setters look
	// for an existing property and make a parameter map for each, a third
	// of the encoding's time for a feed of thousands of items.
	e := &ics.VEvent{ComponentBase: ics.ComponentBase{Properties: make([]ics.IANAProperty, 0, 12)}}
	add := func(name ics.ComponentProperty, value string, params map[string][]string) {
		e.Properties = append(e.Properties, ics.IANAProperty{BaseProperty: ics.BaseProperty{IANAToken: string(name),
			Value: value, ICalParameters: params}})
	}
	add(ics.ComponentPropertyUniqueId, it.Key+"@"+domain, nil)
	// Without a METHOD, DTSTAMP is when the item was last revised
	// (RFC 5545 3.8.7.2): the same as LAST-MODIFIED, so that an unchanged
	// feed is byte for byte the same.
	stamp := it.Modified.UTC().Format(utcLayout)
	add(ics.ComponentPropertyDtstamp, stamp, nil)
	add(ics.ComponentPropertyLastModified, stamp, nil)
	add(ics.ComponentPropertySequence, strconv.Itoa(it.Sequence), nil)
	if it.AllDay {
		add(ics.ComponentPropertyDtStart, compactDate(it.StartDate), dateParam)
		add(ics.ComponentPropertyDtEnd, compactDate(it.EndDate), dateParam)
		add(ics.ComponentPropertyTransp, string(ics.TransparencyTransparent), nil) // a day marked, not a busy day
	} else {
		add(ics.ComponentPropertyDtStart, it.Start.UTC().Format(utcLayout), nil)
		add(ics.ComponentPropertyDtEnd, it.End.UTC().Format(utcLayout), nil)
	}
	add(ics.ComponentPropertySummary, clean(it.Summary), nil)
	if it.Description != "" {
		add(ics.ComponentPropertyDescription, clean(it.Description), nil)
	}
	if it.Location != "" {
		add(ics.ComponentPropertyLocation, clean(it.Location), nil)
	}
	if it.Category != "" {
		add(ics.ComponentPropertyCategories, clean(it.Category), nil)
	}
	return e
}

const utcLayout = "20060102T150405Z"

// dateParam marks a DATE value; shared by every all-day property (the
// encoder only reads it).
var dateParam = map[string][]string{string(ics.ParameterValue): {string(ics.ValueDataTypeDate)}}

// compactDate writes a YYYY-MM-DD date as YYYYMMDD, never through a time
// zone.
func compactDate(d api.Date) string {
	s := string(d)
	if len(s) != len("2006-01-02") {
		return s
	}
	return s[0:4] + s[5:7] + s[8:10]
}

// dateOf reads a date the data keeps as YYYY-MM-DD; the encoder writes it
// back as YYYYMMDD, never through a time zone.
func dateOf(d api.Date) time.Time {
	t, _ := time.Parse(time.DateOnly, string(d))
	return t
}

// clean keeps what TEXT may hold (RFC 5545 3.3.11): line breaks become
// "\n" (which the encoder escapes), other control characters go. A bare CR
// would otherwise end the content line in the middle of a value.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// location loads the organization's zone; one the system does not know
// is shown in UTC rather than failing the whole feed.
func location(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	return loc
}

// years is the span of years the items fall in (now's year when there are
// none): the VTIMEZONE describes the zone over [first, last].
func (c *Calendar) years(now time.Time) (first, last int) {
	for i := range c.Items {
		it := &c.Items[i]
		var a, b int
		if it.AllDay {
			a, b = dateOf(it.StartDate).Year(), dateOf(it.EndDate).Year()
		} else {
			a, b = it.Start.UTC().Year(), it.End.UTC().Year()
		}
		if first == 0 || a < first {
			first = a
		}
		if b > last {
			last = b
		}
	}
	if first == 0 {
		first, last = now.UTC().Year(), now.UTC().Year()
	}
	return first, last
}
