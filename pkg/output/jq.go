package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/itchyny/gojq"
)

// jqEncoder buffers the rows as the JSON document (an array for a list, an
// object for a view), runs the --jq expression over it in-process (gojq, no
// jq binary) and prints each result on its own line like jq -r: strings
// unquoted (as gh prints them), null as an empty line, anything else
// JSON-encoded, indented on a terminal. Like gojq (and
// unlike jq) objects print with their keys sorted.
type jqEncoder struct {
	bw   *bufio.Writer
	hs   []header
	code *gojq.Code
	opts Options
	view bool
	rows []any
}

func newJQEncoder(bw *bufio.Writer, hs []header, opts Options, view bool) (*jqEncoder, error) {
	code, err := CompileJQ(opts.JQ)
	if err != nil {
		return nil, err
	}
	return &jqEncoder{bw: bw, hs: hs, code: code, opts: opts, view: view, rows: []any{}}, nil
}

// CompileJQ checks a --jq expression; a bad one is a usage error carrying
// gojq's message. The CLI may call it early to fail before any request.
func CompileJQ(expr string) (*gojq.Code, error) {
	q, err := gojq.Parse(expr)
	if err != nil {
		return nil, usageErrorf("invalid --jq expression: %v", err)
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, usageErrorf("invalid --jq expression: %v", err)
	}
	return code, nil
}

func (e *jqEncoder) row(vals []Value) error {
	obj := make(map[string]any, len(e.hs))
	for i, h := range e.hs {
		obj[h.key] = vals[i].jqValue()
	}
	e.rows = append(e.rows, obj)
	return nil
}

func (e *jqEncoder) end() error {
	var doc any = e.rows
	if e.view && len(e.rows) == 1 {
		doc = e.rows[0]
	}
	iter := e.code.Run(doc)
	for {
		v, ok := iter.Next()
		if !ok {
			break
		}
		if err, isErr := v.(error); isErr {
			if halt, ok := err.(*gojq.HaltError); ok && halt.Value() == nil {
				break // `halt` ends the output without an error, as in jq
			}
			_ = e.bw.Flush()
			return fmt.Errorf("--jq: %w", err)
		}
		if err := e.print(v); err != nil {
			return err
		}
	}
	return e.bw.Flush()
}

func (e *jqEncoder) print(v any) error {
	// Like gh (go-gh's jsonScalarToString): a string prints raw, null as
	// an empty line, so `--jq '.[].number'` feeds the next command as is;
	// on a terminal its control characters are made visible.
	switch s := v.(type) {
	case string:
		if e.opts.IsTTY {
			s = Sanitize(s)
		}
		_, err := fmt.Fprintln(e.bw, s)
		return err
	case nil:
		return e.bw.WriteByte('\n')
	}
	b, err := gojq.Marshal(v)
	if err != nil {
		return err
	}
	if e.opts.IsTTY {
		var out bytes.Buffer
		if err := json.Indent(&out, b, "", "  "); err == nil {
			b = out.Bytes()
		}
		b = escapeC1JSON(b)
	}
	if _, err := e.bw.Write(b); err != nil {
		return err
	}
	return e.bw.WriteByte('\n')
}
