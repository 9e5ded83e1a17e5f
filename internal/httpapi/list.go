package httpapi

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

const ndjson = "application/x-ndjson"

// wantsNDJSON reports whether the client asked for a stream.
func wantsNDJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), ndjson)
}

// listSpec describes one list endpoint for serveList.
type listSpec[T any] struct {
	stream bool              // NDJSON streaming offered
	key    func(T) store.Key // keyset position of a row
	fetch  func(store.Page, func(T) error) error
}

// serveList answers a list endpoint: a keyset page ({"items", "next_cursor"})
// or, when offered and asked for, an NDJSON stream of every row.
func serveList[T any](h *handler, w http.ResponseWriter, r *http.Request, spec listSpec[T]) {
	if spec.stream && wantsNDJSON(r) {
		streamRows(h, w, r, spec.fetch)
		return
	}
	q := r.URL.Query()
	limit := api.DefaultLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > api.MaxLimit {
			h.writeError(w, r, api.Invalid("limit", "limit must be a whole number from 1 to %d", api.MaxLimit))
			return
		}
		limit = n
	}
	scope := cursorScope(r.Pattern, q)
	page := store.Page{Limit: limit + 1}
	if c := q.Get("cursor"); c != "" {
		after, err := h.decodeCursor(scope, c)
		if err != nil {
			h.writeError(w, r, err)
			return
		}
		page.After = after
	}
	items := make([]T, 0, min(limit+1, 64))
	if err := spec.fetch(page, func(v T) error { items = append(items, v); return nil }); err != nil {
		h.writeError(w, r, err)
		return
	}
	out := api.List[T]{Items: items}
	if len(items) > limit {
		out.Items = items[:limit]
		next := h.encodeCursor(scope, spec.key(items[limit-1]))
		out.NextCursor = &next
	}
	writeJSON(w, http.StatusOK, out)
}

func idKey(id int64) store.Key { return store.Key{ID: id} }

// streamRows writes every row as one JSON line, flushing as it goes. Errors
// found before the first row get a normal error response; a failure after
// rows were sent ends the stream with an {"error": …} line so the client
// never mistakes a cut stream for a complete one.
func streamRows[T any](h *handler, w http.ResponseWriter, r *http.Request, fetch func(store.Page, func(T) error) error) {
	rc := http.NewResponseController(w)
	bw := bufio.NewWriterSize(w, 32<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	started := false
	rows := 0
	err := fetch(store.Page{}, func(v T) error {
		if !started {
			w.Header().Set("Content-Type", ndjson)
			w.WriteHeader(http.StatusOK)
			started = true
		}
		if err := enc.Encode(v); err != nil {
			return err
		}
		if rows++; rows%1024 == 0 {
			// Long exports: keep extending the write deadline as data flows.
			rc.SetWriteDeadline(time.Now().Add(time.Minute))
			if err := bw.Flush(); err != nil {
				return err
			}
			return rc.Flush()
		}
		return nil
	})
	if err != nil && !started {
		h.writeError(w, r, err)
		return
	}
	if !started {
		w.Header().Set("Content-Type", ndjson)
		w.WriteHeader(http.StatusOK)
	}
	if err != nil {
		h.log.ErrorContext(r.Context(), "stream failed", "err", err, "rows", rows, "request_id", requestID(r))
		e, ok := err.(*api.Error)
		if !ok {
			e = api.Errorf(api.CodeInternal, "the stream failed after %d rows; retry (request id %s)", rows, requestID(r))
		}
		out := *e
		out.RequestID = requestID(r)
		enc.Encode(api.ErrorBody{Error: &out})
	}
	bw.Flush()
}
