package output

import (
	"bufio"
	"time"
)

// tsvEncoder writes tab-separated values, one record per line. Tabs,
// newlines, carriage returns and backslashes inside a value are written as
// \t \n \r \\ so that `cut -f` and `while read` see one row per line and
// the original text can be restored.
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
// which is rare, so the common row costs nothing extra).
func escapeTSVTail(buf []byte, start int) []byte {
	i := start
	for i < len(buf) && !isTSVSpecial(buf[i]) {
		i++
	}
	if i == len(buf) {
		return buf
	}
	tail := append([]byte(nil), buf[i:]...)
	buf = buf[:i]
	for _, c := range tail {
		switch c {
		case '\t':
			buf = append(buf, '\\', 't')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\\':
			buf = append(buf, '\\', '\\')
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

func isTSVSpecial(c byte) bool { return c == '\t' || c == '\n' || c == '\r' || c == '\\' }
