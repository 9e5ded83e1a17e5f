package dataset

import (
	"time"

	"github.com/portalctl/portalctl/pkg/api"
)

// The value readers of fastRecord's parser. Each reads only what it can
// read exactly as encoding/json would, and reports false otherwise.

func (p *parser) text() (string, bool) {
	s, ok := p.plainString()
	return string(s), ok
}

func (p *parser) date() (api.Date, bool) {
	s, ok := p.plainString()
	return api.Date(s), ok
}

// integer reads -?(0|[1-9][0-9]*) of at most 18 digits (no overflow);
// fractions, exponents and larger numbers go to encoding/json.
func (p *parser) integer() (int64, bool) {
	neg := p.peek() == '-'
	if neg {
		p.i++
	}
	n, ok := p.digits()
	if neg {
		n = -n
	}
	return n, ok
}

// digits reads 0|[1-9][0-9]* of at most 18 digits.
func (p *parser) digits() (int64, bool) {
	start := p.i
	var n int64
	for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
		n = n*10 + int64(p.b[p.i]-'0')
		p.i++
	}
	count := p.i - start
	return n, count > 0 && count <= 18 && (count == 1 || p.b[start] != '0')
}

// decimal reads what api.Decimal's UnmarshalJSON accepts in its commonest
// form: a JSON number with at most 2 decimals and 15 integer digits.
func (p *parser) decimal() (api.Decimal, bool) {
	neg := p.peek() == '-'
	if neg {
		p.i++
	}
	whole, ok := p.digits()
	if !ok || whole > 999_999_999_999_999 {
		return 0, false
	}
	v := whole * 100
	if p.peek() == '.' {
		p.i++
		start := p.i
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' && p.i-start < 3 {
			p.i++
		}
		switch p.i - start {
		case 1:
			v += int64(p.b[start]-'0') * 10
		case 2:
			v += int64(p.b[start]-'0')*10 + int64(p.b[start+1]-'0')
		default: // none, or more than 2 digits
			return 0, false
		}
	}
	if neg {
		v = -v
	}
	return api.Decimal(v), true
}

func (p *parser) boolean() (bool, bool) {
	for _, lit := range [...]string{"true", "false"} {
		if len(p.b)-p.i >= len(lit) && string(p.b[p.i:p.i+len(lit)]) == lit {
			p.i += len(lit)
			return lit == "true", true
		}
	}
	return false, false
}

// timestamp gives the quoted string to time.Time's UnmarshalJSON, as
// encoding/json does.
func (p *parser) timestamp() (time.Time, bool) {
	start := p.i
	var t time.Time
	if _, ok := p.plainString(); !ok {
		return t, false
	}
	return t, t.UnmarshalJSON(p.b[start:p.i]) == nil
}

// skipValue returns the end of the JSON value starting at i (after white
// space), trusting that it is valid: encoding/json checks it afterwards.
func skipValue(b []byte, i int) (int, bool) {
	depth, inString := 0, false
	for ; i < len(b); i++ {
		c := b[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
				if depth == 0 {
					return i + 1, true
				}
			}
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth == 0 { // the end of the enclosing record
				return i, true
			}
			if depth--; depth == 0 {
				return i + 1, true
			}
		case depth == 0 && (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r'):
			return i, true
		}
	}
	return i, depth == 0 && !inString
}
