package client

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"time"
	"unicode/utf8"

	"github.com/portalctl/portalctl/pkg/api"
)

// newBilledHoursDecoder returns the export's fast path, one per stream: it
// decodes an NDJSON line of the exact shape portald writes (compact, known
// keys, plain numbers) into a zero row with two allocations, where
// encoding/json made twenty or so (and was most of portalctl's CPU in a
// million-row export). It reports false for anything else — whitespace,
// an unknown or differently cased key, a quoted number, a null where the
// API never sends one, invalid JSON — and the caller then decodes the line
// with encoding/json, which decides the result and the error.
// FuzzBilledHoursRow holds the two to the same result.
func newBilledHoursDecoder() func(line []byte, r *api.BilledHoursRow) bool {
	d := &rowDecoder{}
	var row *api.BilledHoursRow
	field := func(key []byte) bool { return d.field(key, row) }
	return func(line []byte, r *api.BilledHoursRow) bool {
		*d = rowDecoder{b: line, buf: d.buf[:0]}
		row = r
		if !d.object(field) {
			return false
		}
		d.finish()
		return true
	}
}

// rowDecoder reads one line. Text values are gathered back to back in buf
// (kept from line to line) and become substrings of one string at the end;
// the pointed-to values of the optional fields share one allocation
// (extras).
type rowDecoder struct {
	b      []byte
	i      int
	buf    []byte
	texts  [16]pendingText
	ntexts int
	extras *billedExtras
}

// pendingText is a text value waiting for its string: buf[start:end].
type pendingText struct {
	dst        *string
	start, end int
}

type billedExtras struct {
	projectID, ticketID, taskID   int64
	projectNumber, projectName    string
	ticketNumber, ticketTitle     string
	taskNumber, taskTitle, person string
	rate, amount                  api.Decimal
	billedAt                      time.Time
}

func (d *rowDecoder) more() *billedExtras {
	if d.extras == nil {
		d.extras = &billedExtras{}
	}
	return d.extras
}

// object reads the line's one object, each member's value with field
// (false: a key or value for encoding/json to judge).
func (d *rowDecoder) object(field func(key []byte) bool) bool {
	if !d.skip('{') {
		return false
	}
	if d.skip('}') {
		return d.i == len(d.b)
	}
	for {
		key, _, ok := d.rawString()
		if !ok || !d.skip(':') || !field(key) {
			return false
		}
		if d.skip('}') {
			return d.i == len(d.b)
		}
		if !d.skip(',') {
			return false
		}
	}
}

// field decodes the value of key (the switch on string(key) does not copy).
func (d *rowDecoder) field(key []byte, r *api.BilledHoursRow) bool {
	switch string(key) {
	case "id":
		return d.int(&r.ID)
	case "client_id":
		return d.int(&r.ClientID)
	case "project_id":
		return null(d, &r.ProjectID) || d.int(&d.more().projectID) && set(&r.ProjectID, &d.extras.projectID)
	case "ticket_id":
		return null(d, &r.TicketID) || d.int(&d.more().ticketID) && set(&r.TicketID, &d.extras.ticketID)
	case "ticket_number":
		return null(d, &r.TicketNumber) || d.text(&d.more().ticketNumber) && set(&r.TicketNumber, &d.extras.ticketNumber)
	case "ticket_title":
		return null(d, &r.TicketTitle) || d.text(&d.more().ticketTitle) && set(&r.TicketTitle, &d.extras.ticketTitle)
	case "entry":
		return d.entry(&r.Entry)
	case "client_name":
		return d.text(&r.ClientName)
	case "project_number":
		return null(d, &r.ProjectNumber) || d.text(&d.more().projectNumber) && set(&r.ProjectNumber, &d.extras.projectNumber)
	case "project_name":
		return null(d, &r.ProjectName) || d.text(&d.more().projectName) && set(&r.ProjectName, &d.extras.projectName)
	case "description":
		return d.text(&r.Description)
	case "worked_date":
		return d.text((*string)(&r.WorkedDate))
	case "hours_worked":
		return d.decimal(&r.HoursWorked)
	case "hours_billed":
		return d.decimal(&r.HoursBilled)
	case "task_id":
		return null(d, &r.TaskID) || d.int(&d.more().taskID) && set(&r.TaskID, &d.extras.taskID)
	case "task_number":
		return null(d, &r.TaskNumber) || d.text(&d.more().taskNumber) && set(&r.TaskNumber, &d.extras.taskNumber)
	case "task_title":
		return null(d, &r.TaskTitle) || d.text(&d.more().taskTitle) && set(&r.TaskTitle, &d.extras.taskTitle)
	case "resource":
		return null(d, &r.Resource) || d.text(&d.more().person) && set(&r.Resource, &d.extras.person)
	case "rate":
		return null(d, &r.Rate) || d.decimal(&d.more().rate) && set(&r.Rate, &d.extras.rate)
	case "amount":
		return null(d, &r.Amount) || d.decimal(&d.more().amount) && set(&r.Amount, &d.extras.amount)
	case "billed_at":
		return null(d, &r.BilledAt) || d.time(&d.more().billedAt) && set(&r.BilledAt, &d.extras.billedAt)
	}
	return false
}

func set[T any](dst **T, v *T) bool {
	*dst = v
	return true
}

// null reads a JSON null, which sets a pointer field to nil.
func null[T any](d *rowDecoder, dst **T) bool {
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		*dst = nil
		return true
	}
	return false
}

func (d *rowDecoder) skip(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// rawString returns the bytes between the quotes of a string without
// escapes or control characters (the rare others go to encoding/json), and
// whether they are all ASCII. Most strings are plain ASCII: the closing
// quote is found with bytes.IndexByte and the bytes before it checked
// eight at a time.
func (d *rowDecoder) rawString() (s []byte, ascii, ok bool) {
	if !d.skip('"') {
		return nil, false, false
	}
	start := d.i
	if end := bytes.IndexByte(d.b[start:], '"'); end >= 0 && plainASCII(d.b[start:start+end]) {
		d.i += end + 1
		return d.b[start : start+end], true, true
	}
	ascii = true
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], ascii, true
		case c == '\\' || c < 0x20:
			return nil, false, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return nil, false, false
}

// plainASCII reports whether s holds only ASCII bytes from 0x20 up, none of
// them a backslash. Per 8-byte word, with the classic bit tricks: x-0x01…
// & ^x & 0x80… is non-zero exactly when some byte of x is zero, and
// x-0x20… & ^x & 0x80… when some byte is below 0x20.
func plainASCII(s []byte) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for len(s) >= 8 {
		w := binary.LittleEndian.Uint64(s)
		backslashes := w ^ (ones * '\\') // zero bytes where s has a backslash
		if (w|(w-ones*0x20)&^w|(backslashes-ones)&^backslashes)&highs != 0 {
			return false
		}
		s = s[8:]
	}
	for _, c := range s {
		if c < 0x20 || c == '\\' || c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// text reads a string value; dst is set in finish. Escapes and invalid
// UTF-8 (which encoding/json turns into U+FFFD) are decoded by
// encoding/json, for exactly its result.
func (d *rowDecoder) text(dst *string) bool {
	if d.ntexts == len(d.texts) {
		return false // a key given many times over: let encoding/json judge
	}
	start := d.i
	s, ascii, ok := d.rawString()
	if !ok || !ascii && !utf8.Valid(s) {
		d.i = start
		if !d.quoted() {
			return false
		}
		var v string
		if json.Unmarshal(d.b[start:d.i], &v) != nil {
			return false
		}
		s = []byte(v)
	}
	at := len(d.buf)
	d.buf = append(d.buf, s...)
	d.texts[d.ntexts] = pendingText{dst: dst, start: at, end: len(d.buf)}
	d.ntexts++
	return true
}

// entry reads the entry kind: one of three words, shared rather than
// copied; anything else is a text like any other.
func (d *rowDecoder) entry(dst *string) bool {
	start := d.i
	s, _, ok := d.rawString()
	switch {
	case ok && string(s) == api.EntryNew:
		*dst = api.EntryNew
	case ok && string(s) == api.EntryReversal:
		*dst = api.EntryReversal
	case ok && string(s) == api.EntryCorrection:
		*dst = api.EntryCorrection
	default:
		d.i = start
		return d.text(dst)
	}
	return true
}

// quoted skips any JSON string token, escapes included.
func (d *rowDecoder) quoted() bool {
	if !d.skip('"') {
		return false
	}
	for ; d.i < len(d.b); d.i++ {
		switch d.b[d.i] {
		case '"':
			d.i++
			return true
		case '\\':
			d.i++
		}
	}
	return false
}

// finish makes the one string all text values are cut from.
func (d *rowDecoder) finish() {
	all := string(d.buf)
	for _, t := range d.texts[:d.ntexts] {
		*t.dst = all[t.start:t.end]
	}
}

// digits reads a run of decimal digits without a superfluous leading zero,
// at most 15 of them (so no overflow).
func (d *rowDecoder) digits() (int64, int, bool) {
	start, v := d.i, int64(0)
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		v = v*10 + int64(d.b[d.i]-'0')
		d.i++
	}
	n := d.i - start
	return v, n, n > 0 && n <= 15 && (n == 1 || d.b[start] != '0')
}

// int reads an integer such as -12 (no fraction, no exponent).
func (d *rowDecoder) int(dst *int64) bool {
	neg := d.skip('-')
	v, _, ok := d.digits()
	if !ok || d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return false
	}
	if neg {
		v = -v
	}
	*dst = v
	return true
}

// decimal reads a number with at most two decimals, as api.ParseDecimal
// does: 3, 3.5, -0.25.
func (d *rowDecoder) decimal(dst *api.Decimal) bool {
	neg := d.skip('-')
	whole, _, ok := d.digits()
	if !ok {
		return false
	}
	frac := int64(0)
	if d.skip('.') {
		f, n, _ := d.digits()
		switch n {
		case 1:
			frac = f * 10
		case 2:
			frac = f
		default:
			return false
		}
	}
	if d.i < len(d.b) && (d.b[d.i] == 'e' || d.b[d.i] == 'E') {
		return false
	}
	v := whole*100 + frac
	if neg {
		v = -v
	}
	*dst = api.Decimal(v)
	return true
}

// time reads an RFC 3339 timestamp exactly as time.Time's UnmarshalJSON
// does (it does not unescape either).
func (d *rowDecoder) time(dst *time.Time) bool {
	s, _, ok := d.rawString()
	return ok && dst.UnmarshalText(s) == nil
}
