package output

import (
	"bufio"
	"encoding/csv"
	"time"
)

// csvEncoder writes RFC 4180 CSV with encoding/csv. The header row uses the
// API keys, so a CSV column is named like its --columns and JSON key.
type csvEncoder struct {
	bw     *bufio.Writer
	w      *csv.Writer
	loc    *time.Location
	guard  bool
	buf    []byte   // one row's cell texts, back to back
	ends   []int    // end offset of each cell in buf
	fields []string // substrings of one string made from buf
}

func newCSVEncoder(bw *bufio.Writer, hs []header, opts Options) (*csvEncoder, error) {
	e := &csvEncoder{bw: bw, w: csv.NewWriter(bw), loc: opts.location(), guard: !opts.Raw,
		ends: make([]int, len(hs)), fields: make([]string, len(hs))}
	if !opts.NoHeaders {
		for i, h := range hs {
			e.fields[i] = h.key
		}
		if err := e.w.Write(e.fields); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// row converts all cells with a single string allocation: the cells are
// appended to one buffer and the fields are slices of its string copy.
func (e *csvEncoder) row(vals []Value) error {
	e.buf = e.buf[:0]
	for i, v := range vals {
		if e.guard && (v.isText() || v.kind == kindDate) && needsFormulaGuard(v) {
			// A spreadsheet would run "=HYPERLINK(...)" or "+cmd|..." as a
			// formula; a leading apostrophe makes it plain text (OWASP).
			// Dates are strings from the server too: a real one is never
			// touched, a forged "=..." one is.
			e.buf = append(e.buf, '\'')
		}
		e.buf = v.appendText(e.buf, e.loc, styleMachine)
		e.ends[i] = len(e.buf)
	}
	s := string(e.buf)
	start := 0
	for i, end := range e.ends {
		e.fields[i] = s[start:end]
		start = end
	}
	return e.w.Write(e.fields)
}

func (e *csvEncoder) end() error {
	e.w.Flush()
	if err := e.w.Error(); err != nil {
		return err
	}
	return e.bw.Flush()
}

// needsFormulaGuard reports whether a text cell starts with a character a
// spreadsheet treats as the start of a formula. Numbers never get here, so a
// negative amount stays a number.
func needsFormulaGuard(v Value) bool {
	first := v.s
	if v.kind == kindStrings {
		if len(v.list) == 0 {
			return false
		}
		first = v.list[0]
	}
	if first == "" {
		return false
	}
	switch first[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}
