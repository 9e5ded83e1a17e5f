package ical

import (
	"fmt"
	"time"

	ics "github.com/arran4/golang-ical"
)

// vtimezone describes loc from the start of year first to the end of year
// last, from Go's time zone database: the observance in force on January 1
// of first, then one STANDARD or DAYLIGHT per transition, each with its own
// DTSTART (no RRULE to get wrong: a rule that changed in between, as the
// US's did in 2007, stays right).
func vtimezone(loc *time.Location, first, last int) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())
	start := time.Date(first, time.January, 1, 0, 0, 0, 0, loc)
	end := time.Date(last+1, time.January, 1, 0, 0, 0, 0, loc)
	tz.Components = append(tz.Components, observance(start, start.Add(-time.Second)))
	for t := start; t.Before(end); {
		next := t.Add(24 * time.Hour)
		if zoneOf(t, loc) != zoneOf(next, loc) {
			at := transition(t, next, loc)
			tz.Components = append(tz.Components, observance(at.In(loc), at.Add(-time.Second).In(loc)))
		}
		t = next
	}
	return tz
}

type zone struct {
	name   string
	offset int
}

func zoneOf(t time.Time, loc *time.Location) zone {
	n, o := t.In(loc).Zone()
	return zone{n, o}
}

// transition finds, to the second, when loc's zone changes within (lo, hi].
func transition(lo, hi time.Time, loc *time.Location) time.Time {
	before := zoneOf(lo, loc)
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
		if zoneOf(mid, loc) == before {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// observance is the sub-component for the zone in force from t on; before
// is the moment just before it. DTSTART is the local time at which it
// begins, read on the clock in force before (RFC 5545 3.6.5).
func observance(t, before time.Time) ics.Component {
	name, to := t.Zone()
	_, from := before.Zone()
	base := ics.ComponentBase{}
	base.SetProperty(ics.ComponentPropertyDtStart, t.In(time.FixedZone("", from)).Format("20060102T150405"))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(from))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(to))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	if t.IsDST() {
		return &ics.Daylight{ComponentBase: base}
	}
	return &ics.Standard{ComponentBase: base}
}

// utcOffset formats seconds east of UTC as RFC 5545's UTC-OFFSET: +HHMM,
// or +HHMMSS when there are seconds.
func utcOffset(secs int) string {
	sign := '+'
	if secs < 0 {
		sign, secs = '-', -secs
	}
	s := fmt.Sprintf("%c%02d%02d", sign, secs/3600, secs/60%60)
	if secs%60 != 0 {
		s += fmt.Sprintf("%02d", secs%60)
	}
	return s
}
