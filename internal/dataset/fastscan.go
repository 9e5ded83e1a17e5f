package dataset

import (
	"io"
	"slices"
)

// fileScanner reads the top level of a data file ({"kind": [record, ...],
// ...}) and hands out each record's bytes, for the one-pass import. It is
// strict only about the top level; records are judged by fastRecord. Any
// surprise (a syntax error, an unknown or repeated key) makes the caller
// fall back to the checked import, which words the problem.
type fileScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int   // unread bytes are buf[pos:end]
	err      error // the reader's error (io.EOF at the end)
}

func newFileScanner(r io.Reader) *fileScanner {
	return &fileScanner{r: r, buf: make([]byte, 1<<20)}
}

// more reads more bytes, keeping the unread ones; it grows the buffer when
// a record is larger than it. It reports whether any byte was added.
func (s *fileScanner) more() bool {
	for s.err == nil {
		if s.pos > 0 {
			s.end = copy(s.buf, s.buf[s.pos:s.end])
			s.pos = 0
		}
		if s.end == len(s.buf) {
			s.buf = slices.Grow(s.buf, len(s.buf))[:2*len(s.buf)]
		}
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		s.err = err
		if n > 0 {
			return true
		}
	}
	return false
}

// next skips white space and returns the next byte without consuming it;
// ok is false at the end of the input.
func (s *fileScanner) next() (c byte, ok bool) {
	for {
		for ; s.pos < s.end; s.pos++ {
			switch c := s.buf[s.pos]; c {
			case ' ', '\t', '\n', '\r':
			default:
				return c, true
			}
		}
		if !s.more() {
			return 0, false
		}
	}
}

// consume skips white space and then c, if c comes next.
func (s *fileScanner) consume(c byte) bool {
	if next, ok := s.next(); !ok || next != c {
		return false
	}
	s.pos++
	return true
}

// key reads `"name":` for a name without escapes.
func (s *fileScanner) key() (string, bool) {
	if !s.consume('"') {
		return "", false
	}
	for j := s.pos; ; j++ {
		if j == s.end {
			off := j - s.pos
			if !s.more() {
				return "", false
			}
			j = s.pos + off
		}
		switch c := s.buf[j]; {
		case c == '"':
			name := string(s.buf[s.pos:j])
			s.pos = j + 1
			return name, s.consume(':')
		case c == '\\' || c < 0x20:
			return "", false
		}
	}
}

// object returns the bytes of the {...} value that comes next. They stay
// valid until the next call.
func (s *fileScanner) object() ([]byte, bool) {
	if c, ok := s.next(); !ok || c != '{' {
		return nil, false
	}
	depth, inString, escaped := 0, false, false
	for j := s.pos; ; j++ {
		if j == s.end {
			off := j - s.pos
			if !s.more() {
				return nil, false
			}
			j = s.pos + off
		}
		c := s.buf[j]
		switch {
		case escaped: // the byte after a backslash cannot end the string
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			if depth--; depth == 0 {
				rec := s.buf[s.pos : j+1]
				s.pos = j + 1
				return rec, true
			}
		}
	}
}

// walkFile reads a data file whose kinds come in Kinds order, each at most
// once, calling visit for every record (index -1 for the portal object) and
// done at the end of each kind's array. It returns errSlow for anything
// else, including a syntax error.
func walkFile(r io.Reader, visit func(kind string, i int, raw []byte) error, done func(kind string) error) error {
	s := newFileScanner(r)
	if !s.consume('{') {
		return errSlow
	}
	if !s.consume('}') {
		last := -1
		for {
			kind, ok := s.key()
			k, known := kindIndex[kind]
			if !ok || !known || k <= last {
				return errSlow
			}
			last = k
			if err := walkKind(s, kind, visit); err != nil {
				return err
			}
			if err := done(kind); err != nil {
				return err
			}
			if s.consume(',') {
				continue
			}
			if s.consume('}') {
				break
			}
			return errSlow
		}
	}
	if _, ok := s.next(); ok || s.err != io.EOF { // data after the object, or a read error
		return errSlow
	}
	return nil
}

func walkKind(s *fileScanner, kind string, visit func(kind string, i int, raw []byte) error) error {
	if kind == "portal" {
		raw, ok := s.object()
		if !ok {
			return errSlow
		}
		return visit(kind, -1, raw)
	}
	if !s.consume('[') {
		return errSlow
	}
	if s.consume(']') {
		return nil
	}
	for i := 0; ; i++ {
		raw, ok := s.object()
		if !ok {
			return errSlow
		}
		if err := visit(kind, i, raw); err != nil {
			return err
		}
		if s.consume(',') {
			continue
		}
		if s.consume(']') {
			return nil
		}
		return errSlow
	}
}
