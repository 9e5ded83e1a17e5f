package output

import (
	"bufio"
	"time"
	"unicode/utf8"
)

// tsvEncoder writes tab-separated values, one record per line. Tabs,
// newlines, carriage returns and backslashes inside a value are written as
// \t \n \r \\ so that `cut -f` and `while read` see one row per line and
// the original text can be restored; other control characters as \xHH or
// \u00HH (see escapeTSVTail).
type tsvEncoder struct {
	bw  *bufio.Writer
	loc *time.Location
	buf []byte
}

func newTSVEncoder(bw *bufio.Writer, hs []header, opts Options) (*tsvEncoder, error) {
	e := &tsvEncoder{bw: bw, loc: opts.location()}
	if !opts.NoHeaders {
		for i, h := range hs {
			if i > 0 {
				e.buf = append(e.buf, '\t')
			}
			e.buf = appendTSVEscaped(e.buf, h.key)
		}
		e.buf = append(e.buf, '\n')
		if _, err := bw.Write(e.buf); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (e *tsvEncoder) row(vals []Value) error {
	e.buf = e.buf[:0]
	for i, v := range vals {
		if i > 0 {
			e.buf = append(e.buf, '\t')
		}
		start := len(e.buf)
		e.buf = v.appendText(e.buf, e.loc, styleMachine)
		if v.isText() {
			e.buf = escapeTSVTail(e.buf, start)
		}
	}
	e.buf = append(e.buf, '\n')
	_, err := e.bw.Write(e.buf)
	return err
}

func (e *tsvEncoder) end() error { return e.bw.Flush() }

func appendTSVEscaped(dst []byte, s string) []byte {
	start := len(dst)
	return escapeTSVTail(append(dst, s...), start)
}

// escapeTSVTail escapes buf[start:] in place (rewriting only when needed,
// which is rare, so the common row costs nothing extra). Besides \t \n \r
// and \\, the other control characters are escaped so that a terminal
// never receives them (sanitize.go): C0 and DEL as \xHH, C1 as \u00HH, and
// a byte that is not UTF-8 as \xHH.
func escapeTSVTail(buf []byte, start int) []byte {
	i := start + tsvPlain(buf[start:])
	if i == len(buf) {
		return buf
	}
	tail := append([]byte(nil), buf[i:]...)
	buf = buf[:i]
	for j := 0; j < len(tail); {
		c := tail[j]
		switch {
		case c == '\t':
			buf = append(buf, '\\', 't')
		case c == '\n':
			buf = append(buf, '\\', 'n')
		case c == '\r':
			buf = append(buf, '\\', 'r')
		case c == '\\':
			buf = append(buf, '\\', '\\')
		case c < 0x20 || c == 0x7f:
			buf = append(buf, '\\', 'x', hexDigit(c>>4), hexDigit(c&0xf))
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(tail[j:])
			switch {
			case r == utf8.RuneError && size == 1:
				buf = append(buf, '\\', 'x', hexDigit(c>>4), hexDigit(c&0xf))
			case isC1(r):
				buf = append(buf, '\\', 'u', '0', '0', hexDigit(byte(r)>>4), hexDigit(byte(r)&0xf))
			default:
				buf = append(buf, tail[j:j+size]...)
			}
			j += size
			continue
		default:
			buf = append(buf, c)
		}
		j++
	}
	return buf
}

// tsvPlain is the length of the prefix of b that TSV writes as it is.
func tsvPlain(b []byte) int {
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '\\' || c < 0x20 || c == 0x7f:
			return i
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(b[i:])
			if (r == utf8.RuneError && size == 1) || isC1(r) {
				return i
			}
			i += size - 1
		}
	}
	return len(b)
}
