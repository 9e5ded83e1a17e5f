package dataset

import (
	"encoding/json"
	"reflect"
	"time"
	"unicode/utf8"

	"github.com/portalctl/portalctl/pkg/api"
)

// fastRecord decodes one record object the way decodeRecord does for a
// record without problems, in one pass over its bytes and without
// encoding/json's reflection on the common values (integers, plain strings,
// decimals, dates, timestamps, booleans). Anything else (an escaped string,
// null, a list, base64) is handed to encoding/json value by value, so the
// result is the same by construction.
//
// It returns ok=false as soon as the record is not plainly valid: not an
// object, an unknown, repeated or escaped key, a required field absent or
// null, or a value encoding/json refuses. The caller then runs decodeRecord,
// which reports the problems in its own words.
func fastRecord(kind string, raw []byte) (rec any, ok bool) {
	sp := specs[kind]
	p := parser{b: raw}
	if !p.byte('{') {
		return nil, false
	}
	rec = sp.new()
	v := reflect.ValueOf(rec).Elem()
	var set, null uint64 // fields seen; fields seen as null (bit = field index)
	if p.ws(); p.peek() == '}' {
		p.i++
	} else {
		for {
			name, ok := p.key()
			if !ok {
				return nil, false
			}
			i, known := sp.fields[string(name)]
			if !known || set&(1<<i) != 0 || kind != "contacts" && string(name) == "password_hash" {
				return nil, false
			}
			set |= 1 << i
			p.ws()
			if p.peek() == 'n' {
				null |= 1 << i
			}
			if !p.value(v.Field(i).Addr().Interface()) {
				return nil, false
			}
			p.ws()
			if p.byte(',') {
				continue
			}
			if p.byte('}') {
				break
			}
			return nil, false
		}
	}
	if p.ws(); p.i != len(p.b) {
		return nil, false
	}
	if req := sp.requiredMask; set&^null&req != req {
		return nil, false
	}
	return rec, true
}

// parser reads one JSON record held in b, strictly: whatever it accepts
// itself is valid JSON, and the rest it gives to encoding/json.
type parser struct {
	b []byte
	i int
}

func (p *parser) peek() byte {
	if p.i < len(p.b) {
		return p.b[p.i]
	}
	return 0
}

func (p *parser) ws() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// byte consumes c after optional white space.
func (p *parser) byte(c byte) bool {
	p.ws()
	if p.peek() != c {
		return false
	}
	p.i++
	return true
}

// key reads `"name":`; names with escapes are left to the slow path.
func (p *parser) key() ([]byte, bool) {
	s, ok := p.plainString()
	if !ok || !p.byte(':') {
		return nil, false
	}
	return s, true
}

// plainString reads a string without escapes or control characters, in
// valid UTF-8 (encoding/json returns those bytes unchanged).
func (p *parser) plainString() ([]byte, bool) {
	if !p.byte('"') {
		return nil, false
	}
	start, ascii := p.i, true
	for ; p.i < len(p.b); p.i++ {
		switch c := p.b[p.i]; {
		case c == '"':
			s := p.b[start:p.i]
			p.i++
			return s, ascii || utf8.Valid(s)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false
}

// value decodes the value at p.i into dst, a pointer to a record field.
func (p *parser) value(dst any) bool {
	start := p.i
	if p.fastValue(dst) && p.delimited() {
		return true
	}
	// Not a value this parser reads itself: find where it ends and let
	// encoding/json decode (and judge) exactly those bytes.
	p.i = start
	end, ok := skipValue(p.b, start)
	if !ok {
		return false
	}
	p.i = end
	return json.Unmarshal(p.b[start:end], dst) == nil
}

// delimited reports whether a value just read ends where JSON allows.
func (p *parser) delimited() bool {
	switch p.peek() {
	case ',', '}', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// fastValue reads the common value types itself; it stores into dst only
// what it read completely.
func (p *parser) fastValue(dst any) bool {
	switch d := dst.(type) {
	case *int64:
		return store(d, p.integer)
	case *int:
		n, ok := p.integer()
		if ok {
			*d = int(n)
		}
		return ok
	case **int64:
		return storeNew(d, p.integer)
	case *string:
		return store(d, p.text)
	case *api.Date:
		return store(d, p.date)
	case **api.Date:
		return storeNew(d, p.date)
	case *api.Decimal:
		return store(d, p.decimal)
	case **api.Decimal:
		return storeNew(d, p.decimal)
	case *bool:
		return store(d, p.boolean)
	case *time.Time:
		return store(d, p.timestamp)
	case **time.Time:
		return storeNew(d, p.timestamp)
	}
	return false
}

func store[T any](dst *T, read func() (T, bool)) bool {
	v, ok := read()
	if ok {
		*dst = v
	}
	return ok
}

func storeNew[T any](dst **T, read func() (T, bool)) bool {
	v, ok := read()
	if ok {
		*dst = &v
	}
	return ok
}
