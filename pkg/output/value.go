package output

import (
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// kind says how a Value is rendered in each format. Numbers are kept apart
// from text so that CSV never "neutralises" a negative number and JSON
// writes them unquoted.
type kind uint8

const (
	kindNull kind = iota
	kindString
	kindInt
	kindBool
	kindDecimal
	kindDate
	kindTime
	kindStrings
)

// Value is one cell. It is a small tagged struct rather than an interface so
// that accessors return it without allocating on the per-row hot path.
type Value struct {
	kind   kind
	indent uint8 // table-only left indent in steps of two spaces (schedule outline)
	// ident marks text a table never cuts: numbers, statuses and other
	// values a user copies into the next command.
	ident bool
	s     string
	i     int64
	t     time.Time
	list  []string
}

// Null is an absent value: empty in table/CSV/TSV, null in JSON.
func Null() Value { return Value{} }

// Str is a text value.
func Str(s string) Value { return Value{kind: kindString, s: s} }

// StrPtr is a text value or null.
func StrPtr(s *string) Value {
	if s == nil {
		return Null()
	}
	return Str(*s)
}

// Ident is text that identifies or classifies a record (a project or task
// number, a status, a kind, an e-mail address): like Str in every format,
// but a table never cuts it to fit the terminal, since a cut identifier
// leaves nothing to copy into the next command.
func Ident(s string) Value { return Value{kind: kindString, s: s, ident: true} }

// IdentPtr is an identifier or null.
func IdentPtr(s *string) Value {
	if s == nil {
		return Null()
	}
	return Ident(*s)
}

// Indented is text shown in tables indented by depth levels (schedule
// titles); every other format gets the plain text.
func Indented(s string, depth int) Value {
	v := Str(s)
	v.indent = uint8(min(max(depth, 0), 255))
	return v
}

// Int is an integer value.
func Int(i int64) Value { return Value{kind: kindInt, i: i} }

// IntPtr is an integer value or null.
func IntPtr(i *int64) Value {
	if i == nil {
		return Null()
	}
	return Int(*i)
}

// Bool is a boolean value.
func Bool(b bool) Value {
	v := Value{kind: kindBool}
	if b {
		v.i = 1
	}
	return v
}

// Dec is an exact decimal, printed with two decimals ("3.00").
func Dec(d api.Decimal) Value { return Value{kind: kindDecimal, i: d.Hundredths()} }

// DecPtr is a decimal or null.
func DecPtr(d *api.Decimal) Value {
	if d == nil {
		return Null()
	}
	return Dec(*d)
}

// DateV is a calendar date, printed exactly as the API sent it: it is never
// parsed into a time, so it cannot shift a day in another time zone.
func DateV(d api.Date) Value { return Value{kind: kindDate, s: string(d)} }

// DatePtr is a date or null.
func DatePtr(d *api.Date) Value {
	if d == nil {
		return Null()
	}
	return DateV(*d)
}

// Time is an instant: JSON keeps the API's value, text formats show it in
// Options.Location.
func Time(t time.Time) Value { return Value{kind: kindTime, t: t} }

// TimePtr is an instant or null.
func TimePtr(t *time.Time) Value {
	if t == nil {
		return Null()
	}
	return Time(*t)
}

// Strings is a list of text (e-mail recipients): a JSON array, and
// "a, b" in the text formats.
func Strings(list []string) Value { return Value{kind: kindStrings, list: list} }

// textStyle selects how instants are written in the text formats.
type textStyle uint8

const (
	styleMachine textStyle = iota // CSV/TSV: RFC 3339 with offset
	styleHuman                    // table and view: "2006-01-02 15:04 MST"
)

// humanTime is the table layout: minutes are enough for people, and the
// zone abbreviation (CST/CDT) says which zone the clock time is in.
const humanTime = "2006-01-02 15:04 MST"

// isText reports whether the value is free text (the only kind the CSV
// formula guard and the table truncation apply to).
func (v Value) isText() bool { return v.kind == kindString || v.kind == kindStrings }

// cuttable reports whether a table may shorten the value to fit the
// terminal: free text only (titles, names, descriptions), never numbers,
// dates, times or identifiers.
func (v Value) cuttable() bool { return v.isText() && !v.ident }

// appendText writes the value for table, CSV and TSV.
func (v Value) appendText(dst []byte, loc *time.Location, style textStyle) []byte {
	switch v.kind {
	case kindString, kindDate:
		return append(dst, v.s...)
	case kindInt:
		return strconv.AppendInt(dst, v.i, 10)
	case kindBool:
		return strconv.AppendBool(dst, v.i == 1)
	case kindDecimal:
		return appendDecimal(dst, v.i)
	case kindTime:
		if style == styleHuman {
			return v.t.In(loc).AppendFormat(dst, humanTime)
		}
		return v.t.In(loc).AppendFormat(dst, time.RFC3339)
	case kindStrings:
		for i, s := range v.list {
			if i > 0 {
				dst = append(dst, ", "...)
			}
			dst = append(dst, s...)
		}
	}
	return dst
}

// appendDecimal writes hundredths as "-12.05" without going through a
// string, which keeps CSV export allocation-free per cell.
func appendDecimal(dst []byte, h int64) []byte {
	u := uint64(h)
	if h < 0 {
		dst = append(dst, '-')
		u = uint64(-h)
	}
	dst = strconv.AppendUint(dst, u/100, 10)
	frac := u % 100
	return append(dst, '.', byte('0'+frac/10), byte('0'+frac%10))
}

// tableText renders a cell for a table: one line, indented when asked.
func (v Value) tableText(loc *time.Location) string {
	var b []byte
	for range v.indent {
		b = append(b, "  "...)
	}
	b = v.appendText(b, loc, styleHuman)
	s := string(b)
	if strings.ContainsAny(s, "\t\r\n") {
		// A table row must stay one line; the full text is in -o json.
		s = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace(s)
	}
	return Sanitize(s)
}
