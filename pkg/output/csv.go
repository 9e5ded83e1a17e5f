package output

import (
	"bufio"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// csvEncoder writes RFC 4180 CSV byte for byte as encoding/csv's Writer
// does (comma, LF line ends), but appends a whole row to one buffer and
// quotes only the cells that need it: encoding/csv wants a []string per
// row, which cost an allocation and a second pass per row of an export.
// FuzzCSVMatchesEncodingCSV holds the two to the same bytes. The header
// row uses the API keys, so a CSV column is named like its --columns and
// JSON key.
type csvEncoder struct {
	bw    *bufio.Writer
	loc   *time.Location
	guard bool
	buf   []byte
}

func newCSVEncoder(bw *bufio.Writer, hs []header, opts Options) (*csvEncoder, error) {
	e := &csvEncoder{bw: bw, loc: opts.location(), guard: !opts.CSVRaw}
	if !opts.NoHeaders {
		for i, h := range hs {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			e.buf = appendCSVField(e.buf, h.key)
		}
		e.buf = append(e.buf, '\n')
		if _, err := bw.Write(e.buf); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (e *csvEncoder) row(vals []Value) error {
	b := e.buf[:0]
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		// Numbers and instants never hold a character CSV quotes, nor start
		// a formula; text does, and so may a date (any string the server
		// sent).
		if !v.isText() && v.kind != kindDate {
			b = v.appendText(b, e.loc, styleMachine)
			continue
		}
		start := len(b)
		if e.guard && needsFormulaGuard(v) {
			// A spreadsheet would run "=HYPERLINK(...)" or "+cmd|..." as a
			// formula; a leading apostrophe makes it plain text (OWASP).
			// A real date is never touched, a forged "=..." one is.
			b = append(b, '\'')
		}
		b = v.appendText(b, e.loc, styleMachine)
		if e.guard {
			b = sanitizeCSVTail(b, start)
		}
		b = quoteCSVTail(b, start)
	}
	b = append(b, '\n')
	e.buf = b
	_, err := e.bw.Write(b)
	return err
}

func (e *csvEncoder) end() error { return e.bw.Flush() }

func appendCSVField(dst []byte, s string) []byte {
	start := len(dst)
	return quoteCSVTail(append(dst, s...), start)
}

// quoteCSVTail quotes the cell buf[start:] in place when encoding/csv
// would: it holds a comma, quote, CR or LF, starts with a space, or is \.
// Inner quotes are doubled. Most cells need nothing and cost one scan.
func quoteCSVTail(buf []byte, start int) []byte {
	cell := buf[start:]
	if !csvNeedsQuotes(cell) {
		return buf
	}
	quotes := 0
	for _, c := range cell {
		if c == '"' {
			quotes++
		}
	}
	n := len(cell)
	buf = append(buf, make([]byte, quotes+2)...) // room for the quoting
	cell = buf[start:]
	// Shift right to left so no byte is overwritten before it is moved.
	w := len(cell) - 1
	cell[w] = '"'
	w--
	for r := n - 1; r >= 0; r-- {
		cell[w] = cell[r]
		w--
		if cell[r] == '"' {
			cell[w] = '"'
			w--
		}
	}
	cell[w] = '"'
	return buf
}

// csvNeedsQuotes is encoding/csv's fieldNeedsQuotes for a comma separator.
func csvNeedsQuotes(cell []byte) bool {
	if len(cell) == 0 {
		return false
	}
	if len(cell) == 2 && cell[0] == '\\' && cell[1] == '.' {
		return true
	}
	for _, c := range cell {
		if csvSpecial[c] {
			return true
		}
	}
	if c := cell[0]; c < utf8.RuneSelf {
		return c == ' ' || c == '\t' || c == '\v' || c == '\f' // the ASCII spaces left
	}
	r, _ := utf8.DecodeRune(cell)
	return unicode.IsSpace(r)
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

// sanitizeCSVTail writes the control characters of the cell buf[start:]
// in caret notation, as on a terminal (sanitize.go), except tab, CR and
// LF, which CSV carries inside quotes: a CSV printed with cat must not
// drive the terminal. --raw keeps every byte.
func sanitizeCSVTail(buf []byte, start int) []byte {
	cell := string(buf[start:])
	if !needsCSVSanitizing(cell) {
		return buf
	}
	buf = buf[:start]
	for {
		line, rest, found := strings.Cut(cell, "\r")
		buf = appendSanitized(buf, line, true)
		if !found {
			return buf
		}
		buf = append(buf, '\r')
		cell = rest
	}
}

// needsCSVSanitizing reports whether sanitizeCSVTail changes cell. Each
// piece between CRs is checked on its own, as it is written: checked
// joined, "\xcf\r\xa6" read as one valid rune and its invalid bytes went
// out unreplaced (found by FuzzSanitize).
func needsCSVSanitizing(cell string) bool {
	for i := 0; i < len(cell); i++ {
		if c := cell[i]; c != '\r' && (c < 0x20 && c != '\t' && c != '\n' || c >= 0x7f) {
			for line := range strings.SplitSeq(cell, "\r") {
				if needsSanitizing(line, true) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// csvSpecial marks the bytes that make encoding/csv quote a cell.
var csvSpecial = [256]bool{'\n': true, '\r': true, '"': true, ',': true}
