package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

const ndjson = "application/x-ndjson"

const (
	// ndjsonFlushBytes is how much a stream gathers before it writes: a few
	// large writes instead of one per row (a million-row export is
	// ~400 MB), small enough that a client sees rows steadily.
	ndjsonFlushBytes = 64 << 10
	// ndjsonBatchRows rows go to the encoder at a time, and at most
	// ndjsonBatches batches wait: bounded memory, few channel operations.
	ndjsonBatchRows = 256
	ndjsonBatches   = 4
)

// appendJSONFunc appends one row's JSON to dst (the shape of a method
// expression such as api.BilledHoursRow.AppendJSON), as encoding/json
// writes it with SetEscapeHTML(false), without the newline.
type appendJSONFunc[T any] func(v T, dst []byte) ([]byte, error)

// encodingJSON is the appendJSONFunc for rows without their own encoder.
func encodingJSON[T any]() appendJSONFunc[T] {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	return func(v T, dst []byte) ([]byte, error) {
		b.Reset()
		if err := enc.Encode(v); err != nil {
			return dst, err
		}
		return append(dst, bytes.TrimSuffix(b.Bytes(), []byte("\n"))...), nil
	}
}

// streamRows writes every row as one JSON line. The rows are read (fetch,
// on this goroutine) while earlier ones are encoded and written (on
// another): an export then takes about as long as the slower of the two,
// not their sum. Errors found before the first row get a normal error
// response; a failure after rows were sent ends the stream with an
// {"error": …} line so the client never mistakes a cut stream for a
// complete one.
func streamRows[T any](h *handler, w http.ResponseWriter, r *http.Request, fetch func(store.Page, func(T) error) error, appendJSON appendJSONFunc[T]) {
	if appendJSON == nil {
		appendJSON = encodingJSON[T]()
	}
	out := &ndjsonWriter{w: w, rc: http.NewResponseController(w), pace: newPacer(h, w), buf: make([]byte, 0, ndjsonFlushBytes+4<<10)}
	enc := startEncoder(out, appendJSON)
	fetched := 0
	err := fetch(store.Page{}, func(v T) error {
		fetched++
		return enc.add(v)
	})
	if encErr := enc.finish(); encErr != nil {
		err = encErr // the encoder stopped first: fetch only relayed it
	}
	if err != nil && fetched == 0 {
		h.writeError(w, r, err)
		return
	}
	out.start()
	if err != nil && clientGone(r, err) { // nobody reads an error line
		h.log.DebugContext(r.Context(), "client went away during a stream", "err", err, "rows", enc.written, "request_id", requestID(r))
		return
	}
	if errors.Is(err, os.ErrDeadlineExceeded) { // the pacer's deadline: the client reads too slowly
		h.log.WarnContext(r.Context(), "stream cut: the client read it slower than the floor rate", "rows", enc.written,
			"request_id", requestID(r))
		return
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "stream failed", "err", err, "rows", enc.written, "request_id", requestID(r))
		e, ok := err.(*api.Error)
		if !ok {
			e = api.Errorf(api.CodeInternal, "the stream failed after %d rows; retry (request id %s)", enc.written, requestID(r))
		}
		body := *e
		body.RequestID = requestID(r)
		out.buf, _ = encodingJSON[api.ErrorBody]()(api.ErrorBody{Error: &body}, out.buf)
		out.buf = append(out.buf, '\n')
	}
	out.flush()
}

// rowEncoder encodes and writes batches of rows on its own goroutine.
type rowEncoder[T any] struct {
	out        *ndjsonWriter
	appendJSON appendJSONFunc[T]
	batch      []T
	full, free chan []T
	stopped    chan struct{} // closed when the goroutine ends
	err        error         // why it ended early; read after stopped
	written    int           // rows encoded; read after stopped
}

func startEncoder[T any](out *ndjsonWriter, appendJSON appendJSONFunc[T]) *rowEncoder[T] {
	e := &rowEncoder[T]{out: out, appendJSON: appendJSON, batch: make([]T, 0, ndjsonBatchRows),
		full: make(chan []T, ndjsonBatches), free: make(chan []T, ndjsonBatches), stopped: make(chan struct{})}
	go e.run()
	return e
}

// add queues a row; it fails once the encoder has stopped (the client went
// away, or a row cannot be encoded), which ends the fetch.
func (e *rowEncoder[T]) add(v T) error {
	e.batch = append(e.batch, v)
	if len(e.batch) < ndjsonBatchRows {
		return nil
	}
	select {
	case e.full <- e.batch:
	case <-e.stopped:
		return e.err
	}
	select {
	case e.batch = <-e.free:
	default:
		e.batch = make([]T, 0, ndjsonBatchRows)
	}
	return nil
}

// finish hands over the last rows and waits for the encoder; afterwards
// the writer belongs to the caller again.
func (e *rowEncoder[T]) finish() error {
	if len(e.batch) > 0 {
		select {
		case e.full <- e.batch:
		case <-e.stopped:
		}
	}
	close(e.full)
	<-e.stopped
	return e.err
}

func (e *rowEncoder[T]) run() {
	defer close(e.stopped)
	defer func() {
		if p := recover(); p != nil {
			e.err = fmt.Errorf("encoding a row panicked: %v", p)
		}
	}()
	for batch := range e.full {
		if e.err = e.encode(batch); e.err != nil {
			return
		}
		clear(batch) // drop the rows' strings for the GC
		select {
		case e.free <- batch[:0]:
		default:
		}
	}
}

func (e *rowEncoder[T]) encode(batch []T) error {
	o := e.out
	o.start()
	for _, v := range batch {
		n := len(o.buf)
		line, err := e.appendJSON(v, o.buf)
		if err != nil {
			o.buf = o.buf[:n] // no half row on the wire
			return err
		}
		o.buf = append(line, '\n')
		e.written++
		if len(o.buf) >= ndjsonFlushBytes {
			if err := o.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

// ndjsonWriter gathers lines and writes them in large pieces, at the
// client's pace as long as it keeps to the floor rate (pacer).
type ndjsonWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	pace    *pacer
	buf     []byte
	started bool
}

// start sends the status line and headers once, with the first row (or at
// the end of an empty stream).
func (o *ndjsonWriter) start() {
	if o.started {
		return
	}
	o.started = true
	o.w.Header().Set("Content-Type", ndjson)
	o.w.WriteHeader(http.StatusOK)
}

// flush writes what was gathered and pushes it to the client, within the
// deadline the pacer sets.
func (o *ndjsonWriter) flush() error {
	o.pace.begin(len(o.buf))
	defer o.pace.end()
	if _, err := o.w.Write(o.buf); err != nil {
		return err
	}
	o.buf = o.buf[:0]
	return o.rc.Flush()
}
