package api

import (
	"fmt"
	"time"
)

// Date is a calendar date (YYYY-MM-DD) with no time and no zone: a task's due
// date or a billing item's worked date, which the portal defines as a US
// Eastern calendar date. It is never converted to a time.Time, so it cannot
// shift to the previous day west of UTC.
type Date string

// ParseDate checks that s is a real calendar date in YYYY-MM-DD form.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return "", fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return Date(s), nil
}

func (d Date) String() string { return string(d) }
