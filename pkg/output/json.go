package output

import (
	"bufio"

	"github.com/portalctl/portalctl/pkg/api"
)

// jsonEncoder streams a JSON array (or one object for a view, or NDJSON).
// Keys are the API's keys, in model order (or --columns order). Indented on
// a terminal, compact when piped.
type jsonEncoder struct {
	bw     *bufio.Writer
	tty    bool // escape C1 characters (sanitize.go)
	indent bool
	view   bool
	ndjson bool
	rows   int
	buf    []byte
	pad    string
	keys   []string // what precedes each value: separator, padding, "key":
}

func newJSONEncoder(bw *bufio.Writer, hs []header, opts Options, view, ndjson bool) *jsonEncoder {
	e := &jsonEncoder{bw: bw, tty: opts.IsTTY, indent: opts.IsTTY && !ndjson, view: view, ndjson: ndjson}
	// An element of an indented array is nested one level deeper.
	if e.indent {
		e.pad = "\n  "
		if !e.view {
			e.pad = "\n    "
		}
	}
	// The keys are the same on every row: quote them once.
	e.keys = make([]string, len(hs))
	for i, h := range hs {
		var b []byte
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, e.pad...)
		b = api.AppendJSONString(b, h.key)
		b = append(b, ':')
		if e.pad != "" {
			b = append(b, ' ')
		}
		e.keys[i] = string(b)
	}
	return e
}

func (e *jsonEncoder) row(vals []Value) error {
	b := e.buf[:0]
	switch {
	case e.ndjson || e.view:
	case e.rows == 0 && e.indent:
		b = append(b, "[\n  "...)
	case e.rows == 0:
		b = append(b, '[')
	case e.indent:
		b = append(b, ",\n  "...)
	default:
		b = append(b, ',')
	}
	b = append(b, '{')
	for i, key := range e.keys {
		b = append(b, key...)
		b = vals[i].appendJSON(b)
	}
	if e.pad != "" {
		b = append(b, e.pad[:len(e.pad)-2]...)
	}
	b = append(b, '}')
	if e.ndjson || e.view {
		b = append(b, '\n')
	}
	e.rows++
	e.buf = b
	if e.tty {
		b = escapeC1JSON(b)
	}
	_, err := e.bw.Write(b)
	return err
}

func (e *jsonEncoder) end() error {
	if !e.ndjson && !e.view {
		switch {
		case e.rows == 0:
			_, _ = e.bw.WriteString("[]\n") // never null
		case e.indent:
			_, _ = e.bw.WriteString("\n]\n")
		default:
			_, _ = e.bw.WriteString("]\n")
		}
	}
	return e.bw.Flush()
}
