package api

import (
	"strconv"
	"time"
	"unicode/utf8"
)

// AppendJSON appends r as one JSON object, byte for byte what a
// json.Encoder with SetEscapeHTML(false) writes for it (without the
// newline). portald streams millions of rows with it: encoding/json's
// reflection was a quarter of an export's CPU. The error is the one
// encoding/json would report (a billed_at outside years 0–9999).
func (r BilledHoursRow) AppendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"id":`...)
	dst = strconv.AppendInt(dst, r.ID, 10)
	switch r.Entry { // the three kinds need no escaping
	case EntryNew, EntryReversal, EntryCorrection:
		dst = append(append(append(dst, `,"entry":"`...), r.Entry...), '"')
	default:
		dst = AppendJSONString(append(dst, `,"entry":`...), r.Entry)
	}
	dst = append(dst, `,"client_id":`...)
	dst = strconv.AppendInt(dst, r.ClientID, 10)
	dst = append(dst, `,"client_name":`...)
	dst = AppendJSONString(dst, r.ClientName)
	dst = append(dst, `,"project_id":`...)
	dst = strconv.AppendInt(dst, r.ProjectID, 10)
	dst = append(dst, `,"project_number":`...)
	dst = AppendJSONString(dst, r.ProjectNumber)
	dst = append(dst, `,"project_name":`...)
	dst = AppendJSONString(dst, r.ProjectName)
	dst = append(dst, `,"task_id":`...)
	dst = appendJSONIntPtr(dst, r.TaskID)
	dst = append(dst, `,"task_number":`...)
	dst = appendJSONStringPtr(dst, r.TaskNumber)
	dst = append(dst, `,"task_title":`...)
	dst = appendJSONStringPtr(dst, r.TaskTitle)
	dst = append(dst, `,"resource":`...)
	dst = appendJSONStringPtr(dst, r.Resource)
	dst = append(dst, `,"worked_date":`...)
	dst = AppendJSONString(dst, string(r.WorkedDate))
	dst = append(dst, `,"hours_worked":`...)
	dst = r.HoursWorked.Append(dst)
	dst = append(dst, `,"hours_billed":`...)
	dst = r.HoursBilled.Append(dst)
	dst = append(dst, `,"rate":`...)
	dst = appendJSONDecimalPtr(dst, r.Rate)
	dst = append(dst, `,"amount":`...)
	dst = appendJSONDecimalPtr(dst, r.Amount)
	dst = append(dst, `,"description":`...)
	dst = AppendJSONString(dst, r.Description)
	dst = append(dst, `,"billed_at":`...)
	dst, err := appendJSONTimePtr(dst, r.BilledAt)
	return append(dst, '}'), err
}

func appendJSONIntPtr(dst []byte, p *int64) []byte {
	if p == nil {
		return append(dst, "null"...)
	}
	return strconv.AppendInt(dst, *p, 10)
}

func appendJSONStringPtr(dst []byte, p *string) []byte {
	if p == nil {
		return append(dst, "null"...)
	}
	return AppendJSONString(dst, *p)
}

func appendJSONDecimalPtr(dst []byte, p *Decimal) []byte {
	if p == nil {
		return append(dst, "null"...)
	}
	return p.Append(dst)
}

// appendJSONTimePtr writes what time.Time's MarshalJSON writes: RFC 3339
// with nanoseconds when there are any, quoted.
func appendJSONTimePtr(dst []byte, p *time.Time) ([]byte, error) {
	if p == nil {
		return append(dst, "null"...), nil
	}
	dst = append(dst, '"')
	dst, err := p.AppendText(dst) // errors exactly where MarshalJSON does
	return append(dst, '"'), err
}

// jsonSafe marks the ASCII bytes encoding/json copies as they are when it
// does not escape HTML: printable ASCII but for '"' and '\\'.
var jsonSafe = func() (safe [utf8.RuneSelf]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		safe[b] = b != '"' && b != '\\'
	}
	return safe
}()

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s quoted the way encoding/json does with
// SetEscapeHTML(false): \" \\ \b \f \n \r \t, other control bytes as
// \u00XX, invalid UTF-8 as \ufffd, and U+2028/U+2029 escaped.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if jsonSafe[b] {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
