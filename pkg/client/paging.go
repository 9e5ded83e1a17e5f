package client

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/portalctl/portalctl/pkg/api"
)

// Page asks for one page of a list: Cursor from the previous page's
// NextCursor ("" for the first), Limit rows (0 = server default).
type Page struct {
	Cursor string
	Limit  int
}

func (p Page) apply(q url.Values) url.Values {
	if q == nil {
		q = url.Values{}
	}
	if p.Cursor != "" {
		q.Set("cursor", p.Cursor)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	return q
}

// getPage fetches one page of a list endpoint.
func getPage[T any](ctx context.Context, c *Client, path string, q url.Values, p Page) (api.List[T], error) {
	var out api.List[T]
	err := c.call(ctx, request{method: "GET", path: path, query: p.apply(clone(q))}, &out)
	if out.Items == nil {
		out.Items = []T{}
	}
	return out, err
}

// all yields the rows of a list endpoint, following next_cursor until limit
// rows were yielded (0 = every row). Pages are sized to what is still
// needed, up to the API's maximum.
func all[T any](ctx context.Context, c *Client, path string, q url.Values, limit int) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		cursor, n := "", 0
		for {
			size := api.MaxLimit
			if limit > 0 && limit-n < size {
				size = limit - n
			}
			page, err := getPage[T](ctx, c, path, q, Page{Cursor: cursor, Limit: size})
			if err != nil {
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return
				}
				if n++; limit > 0 && n >= limit {
					return
				}
			}
			if page.NextCursor == nil || *page.NextCursor == "" || len(page.Items) == 0 {
				return
			}
			cursor = *page.NextCursor
		}
	}
}

// Collect gathers an iterator into a slice ([] rather than nil when empty),
// stopping at the first error.
func Collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for item, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, item)
	}
	return out, nil
}

// ErrStreamCut reports an NDJSON stream that ended without its last line:
// the connection dropped, so the rows received are not the whole answer.
var ErrStreamCut = fmt.Errorf("the server's answer was cut off before the end: %w", io.ErrUnexpectedEOF)

// stream yields the rows of an NDJSON answer (Accept: application/x-ndjson).
// A line {"error":…} ends the stream with that error; a stream that stops
// mid-line or on a read error is an error too, never a silent success.
func stream[T any](ctx context.Context, c *Client, path string, q url.Values) iter.Seq2[T, error] {
	return streamFast[T](ctx, c, path, q, nil, nil)
}

// streamFast is stream with a fast decoder for the usual line, made by
// newFast (when not nil) for each stream (see newBilledHoursDecoder); a
// line it declines goes to encoding/json. onHeader, when not nil, sees the
// answer's headers before the first row.
func streamFast[T any](ctx context.Context, c *Client, path string, q url.Values, newFast func() func([]byte, *T) bool,
	onHeader func(http.Header)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero, row T // row is decoded into, then yielded by value
		var fast func([]byte, *T) bool
		if newFast != nil {
			fast = newFast()
		}
		resp, err := c.send(ctx, request{method: "GET", path: path, query: q, stream: true,
			header: map[string]string{"Accept": "application/x-ndjson"}})
		if err != nil {
			yield(zero, err)
			return
		}
		body := resp.RawBody()
		defer body.Close()
		if onHeader != nil {
			onHeader(resp.Header())
		}
		r := bufio.NewReaderSize(body, 64<<10)
		var long []byte // a line longer than the buffer, gathered
		for {
			line, err := r.ReadSlice('\n')
			if errors.Is(err, bufio.ErrBufferFull) {
				long = append(long[:0], line...)
				for errors.Is(err, bufio.ErrBufferFull) {
					line, err = r.ReadSlice('\n')
					long = append(long, line...)
				}
				line = long
			}
			if err != nil && !errors.Is(err, io.EOF) {
				var stalled *StalledError
				if ctx.Err() != nil {
					err = ctx.Err()
				} else if errors.As(err, &stalled) {
					err = stalled // says why the answer is incomplete
				} else if !errors.Is(err, io.ErrUnexpectedEOF) {
					err = fmt.Errorf("%w (%v)", ErrStreamCut, err)
				} else {
					err = ErrStreamCut
				}
				yield(zero, err)
				return
			}
			if errors.Is(err, io.EOF) && len(line) > 0 {
				// Every row ends with a newline; a last line without one was
				// cut, even if only blanks of it arrived.
				yield(zero, ErrStreamCut)
				return
			}
			if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 {
				lineErr := decodeLine(trimmed, resp.StatusCode(), fast, &row)
				if !yield(row, lineErr) || lineErr != nil {
					return
				}
			}
			if errors.Is(err, io.EOF) {
				return
			}
		}
	}
}

// errorLine starts the line portald sends when a stream fails part-way:
// {"error": {...}}. Rows are objects that start with their "id", so a prefix
// check tells the two apart without decoding every row twice.
var errorLine = []byte(`{"error"`)

// decodeLine decodes one line (the reader's buffer: nothing may keep it)
// into *row, which it zeroes first.
func decodeLine[T any](line []byte, status int, fast func([]byte, *T) bool, row *T) error {
	var zero T
	*row = zero
	if bytes.HasPrefix(line, errorLine) {
		if err := streamError(line); err != nil {
			return err
		}
	}
	if fast != nil {
		if fast(line, row) {
			return nil
		}
		*row = zero // it may have stopped half-way
	}
	if err := json.Unmarshal(line, row); err != nil {
		return &api.Error{Code: api.CodeInternal, Status: status,
			Message: fmt.Sprintf("unexpected line in the server's stream: %v", err)}
	}
	return nil
}

// streamError decodes an error line, or returns nil if the line is not one.
func streamError(line []byte) *api.Error {
	var probe struct {
		Error *api.Error `json:"error"`
	}
	if json.Unmarshal(line, &probe) != nil || probe.Error == nil {
		return nil
	}
	if probe.Error.Code == "" {
		probe.Error.Code = api.CodeInternal
	}
	if probe.Error.Message == "" { // never an error that says nothing
		probe.Error.Message = "the server ended the stream with an error (" + probe.Error.Code + "); try again"
	}
	if probe.Error.Status == 0 {
		probe.Error.Status = api.HTTPStatus(probe.Error.Code)
	}
	return probe.Error
}

func clone(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}
