package autotask

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"
)

// Autotask writes timestamps as "2026-01-05T15:00:00Z", sometimes with
// fractional seconds, and sometimes without a zone (which means UTC). Go's
// parser accepts a fractional second after the seconds field even when the
// layout has none, so two layouts cover the three forms; the date-only form
// is accepted for date fields.
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"}

// ParseTime parses a timestamp in any form Autotask sends. A time without a
// zone is UTC. The result is always in UTC.
func ParseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("autotask: %q is not a timestamp (want like 2026-01-05T15:00:00Z)", s)
}

// Time is a timestamp field of an Autotask record. JSON null and "" decode
// to the zero Time; the zero Time encodes as null.
type Time struct{ time.Time }

// UnmarshalJSON accepts every form ParseTime does, and null.
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*t = Time{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("autotask: timestamp must be a string, got %s", b)
	}
	if s == "" {
		*t = Time{}
		return nil
	}
	parsed, err := ParseTime(s)
	if err != nil {
		return err
	}
	t.Time = parsed
	return nil
}

// MarshalJSON writes the UTC form Autotask documents, or null for zero.
func (t Time) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format(time.RFC3339Nano))
}
