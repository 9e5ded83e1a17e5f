package output

import (
	"bufio"
	"io"
	"iter"
)

// encoder is one format. It sees cells, never records, so it is not
// generic; the ListWriter does the typed part.
type encoder interface {
	row(vals []Value) error
	// end finishes the document (closing bracket, table render, jq run)
	// and flushes.
	end() error
}

// header is the metadata an encoder needs about a selected column.
type header struct {
	key, label string
}

// ListWriter writes records of one type in the chosen format. Call Write
// for each record, then Close; after an error, stop and discard the output
// (for --output-file, Abort the AtomicWriter).
type ListWriter[T any] struct {
	cols []Column[T]
	vals []Value
	enc  encoder
	rec  T // the record being written, which the accessors read by pointer
}

// NewList checks the options (columns, format, jq expression) and writes
// whatever a format prints before the first row.
func NewList[T any](w io.Writer, m *Model[T], opts Options) (*ListWriter[T], error) {
	return newWriter(w, m, opts, false)
}

func newWriter[T any](w io.Writer, m *Model[T], opts Options, view bool) (*ListWriter[T], error) {
	f := opts.format()
	if _, err := ParseFormat(string(f), opts.IsTTY); err != nil {
		return nil, err
	}
	// Tables and TSV stand in for each other (TSV is the piped default), so
	// both show the table's default columns; CSV and JSON are exports and
	// carry every column.
	shownOnly := opts.JQ == "" && (f == FormatTable || f == FormatTSV)
	cols, err := m.selectColumns(opts.Columns, shownOnly && !view)
	if err != nil {
		return nil, err
	}
	hs := make([]header, len(cols))
	for i, c := range cols {
		hs[i] = header{key: c.Key, label: c.Header}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var enc encoder
	switch {
	case opts.JQ != "":
		enc, err = newJQEncoder(bw, hs, opts, view)
	case f == FormatCSV:
		enc, err = newCSVEncoder(bw, hs, opts)
	case f == FormatTSV:
		enc, err = newTSVEncoder(bw, hs, opts)
	case f == FormatJSON:
		enc = newJSONEncoder(bw, hs, opts, view, false)
	case f == FormatNDJSON:
		enc = newJSONEncoder(bw, hs, opts, false, true)
	case view:
		enc = newViewEncoder(bw, hs, opts)
	default:
		enc = newTableEncoder(bw, hs, opts)
	}
	if err != nil {
		return nil, err
	}
	return &ListWriter[T]{cols: cols, vals: make([]Value, len(cols)), enc: enc}, nil
}

// Write renders one record. The cell slice is reused, so a row costs only
// its encoded bytes.
func (l *ListWriter[T]) Write(rec T) error {
	l.rec = rec
	for i, c := range l.cols {
		l.vals[i] = c.Get(&l.rec)
	}
	return l.enc.row(l.vals)
}

// Close ends the document and flushes it.
func (l *ListWriter[T]) Close() error { return l.enc.end() }

// Rows streams rows already in memory, for WriteList and the lists a
// command has read whole.
func Rows[T any](rows []T) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// WriteList writes every record of a stream. A stream error stops the
// output and is returned as is; the caller discards the partial output.
func WriteList[T any](w io.Writer, m *Model[T], opts Options, rows iter.Seq2[T, error]) error {
	lw, err := NewList(w, m, opts)
	if err != nil {
		return err
	}
	for rec, err := range rows {
		if err != nil {
			return err
		}
		if err := lw.Write(rec); err != nil {
			return err
		}
	}
	return lw.Close()
}

// WriteSlice writes a list held in memory (one page of a list endpoint).
func WriteSlice[T any](w io.Writer, m *Model[T], opts Options, rows []T) error {
	return WriteList(w, m, opts, func(yield func(T, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	})
}

// WriteView writes one record: a JSON object (not an array), "key: value"
// lines for a table, a header and one row for CSV/TSV, one line of NDJSON.
// Views show every column unless --columns says otherwise.
func WriteView[T any](w io.Writer, m *Model[T], opts Options, rec T) error {
	lw, err := newWriter(w, m, opts, true)
	if err != nil {
		return err
	}
	if err := lw.Write(rec); err != nil {
		return err
	}
	return lw.Close()
}
