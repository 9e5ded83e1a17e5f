package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// WriteDocument prints a value that is not a table of rows (a schedule
// tree) as one JSON document: indented on a terminal, filtered by --jq when
// set. Numbers go through float64 for --jq, so keep such documents free of
// values where that matters.
func WriteDocument(w io.Writer, doc any, opts Options) error {
	bw := bufio.NewWriter(w)
	if opts.JQ != "" {
		e, err := newJQEncoder(bw, nil, opts, true)
		if err != nil {
			return err
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return err
		}
		var generic any
		if err := json.Unmarshal(b, &generic); err != nil {
			return err
		}
		e.rows = append(e.rows, generic)
		return e.end()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if opts.IsTTY {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(doc); err != nil {
		return err
	}
	out := b.Bytes()
	if opts.IsTTY {
		out = escapeC1JSON(out)
	}
	if _, err := bw.Write(out); err != nil {
		return err
	}
	return bw.Flush()
}
