package output

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// appendJSON writes the value as the API does: times unchanged (the API
// sends UTC), decimals as numbers with two decimals, dates as strings.
func (v Value) appendJSON(dst []byte) []byte {
	switch v.kind {
	case kindNull:
		return append(dst, "null"...)
	case kindString, kindDate:
		return appendJSONString(dst, v.s)
	case kindInt:
		return strconv.AppendInt(dst, v.i, 10)
	case kindBool:
		return strconv.AppendBool(dst, v.i == 1)
	case kindDecimal:
		return appendDecimal(dst, v.i)
	case kindTime:
		dst = append(dst, '"')
		dst = v.t.AppendFormat(dst, time.RFC3339Nano)
		return append(dst, '"')
	case kindStrings:
		dst = append(dst, '[')
		for i, s := range v.list {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, s)
		}
		return append(dst, ']')
	}
	return dst
}

// jqValue converts the value to the types gojq accepts. Decimals become
// json.Number so that jq prints 3.00 the way the API sent it.
func (v Value) jqValue() any {
	switch v.kind {
	case kindString, kindDate:
		return v.s
	case kindInt:
		return int(v.i)
	case kindBool:
		return v.i == 1
	case kindDecimal:
		return json.Number(appendDecimal(nil, v.i))
	case kindTime:
		return v.t.Format(time.RFC3339Nano)
	case kindStrings:
		list := make([]any, len(v.list))
		for i, s := range v.list {
			list[i] = s
		}
		return list
	}
	return nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as JSON. Hand-written (rather than
// json.Marshal) because it runs for every text cell of an export and must
// not allocate; invalid UTF-8 becomes U+FFFD like encoding/json does.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			// Valid JSON, but not valid JavaScript; escape like encoding/json.
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
