// Package icaltest checks iCalendar output with parsers this project did
// not write: Debian's python3-icalendar (Parse) and the RFC 5545 rules for
// content lines (CheckLines). Without python3-icalendar a test is skipped,
// or failed when PORTALCTL_TEST_NO_SKIP is set (CI installs it).
package icaltest

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"unicode/utf8"
)

//go:embed parse.py
var parseScript string

// Python is Debian's interpreter, the one python3-icalendar installs into
// (a python3 earlier on PATH, such as a pyenv one, would not have it).
const Python = "/usr/bin/python3"

// Calendar is what python3-icalendar read.
type Calendar struct {
	Properties map[string]string `json:"properties"`
	Timezones  []string          `json:"timezones"`
	Events     []Event           `json:"events"`
}

// Event is one VEVENT as read.
type Event struct {
	UID          string   `json:"uid"`
	Summary      string   `json:"summary"`
	Description  string   `json:"description"`
	Location     string   `json:"location"`
	Sequence     int      `json:"sequence"`
	LastModified string   `json:"last_modified"`
	DTStamp      string   `json:"dtstamp"`
	Start        When     `json:"start"`
	End          When     `json:"end"`
	Categories   []string `json:"categories"`
}

// When is a DTSTART or DTEND: a "date" or a "datetime" (ISO text), the
// latter also read in the feed's VTIMEZONE and in the system's zoneinfo
// for the feed's X-WR-TIMEZONE.
type When struct {
	Kind      string `json:"kind"`
	Value     string `json:"value"`
	VTimezone string `json:"vtimezone"`
	Zoneinfo  string `json:"zoneinfo"`
}

// Events returns the events by UID.
func (c Calendar) Event(uid string) (Event, bool) {
	for _, e := range c.Events {
		if e.UID == uid {
			return e, true
		}
	}
	return Event{}, false
}

// Parse reads ics with python3-icalendar; a parse error fails the test.
func Parse(t testing.TB, ics []byte) Calendar {
	t.Helper()
	if err := exec.Command(Python, "-c", "import icalendar").Run(); err != nil {
		msg := "python3-icalendar is not installed (apt-get install python3-icalendar): " + err.Error()
		if os.Getenv("PORTALCTL_TEST_NO_SKIP") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command(Python, "-c", parseScript)
	cmd.Stdin = bytes.NewReader(ics)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3-icalendar cannot read the feed: %v\n%s\nfeed:\n%.2000s", err, stderr.String(), ics)
	}
	var c Calendar
	if err := json.Unmarshal(out, &c); err != nil {
		t.Fatalf("parse.py: %v: %s", err, out)
	}
	return c
}

// CheckLines checks RFC 5545 3.1: every content line ends with CRLF and is
// at most 75 octets long, a fold never splits a UTF-8 character, and the
// object is valid UTF-8.
func CheckLines(t testing.TB, ics []byte) {
	t.Helper()
	if !utf8.Valid(ics) {
		t.Fatal("the feed is not valid UTF-8")
	}
	if !bytes.HasSuffix(ics, []byte("\r\n")) {
		t.Fatal("the feed does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(ics), "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d holds a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d is %d octets, more than 75: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d: a fold splits a UTF-8 character: %q", i+1, line)
		}
	}
}
