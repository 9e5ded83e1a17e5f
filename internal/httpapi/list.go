package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// wantsNDJSON reports whether the client asked for a stream.
func wantsNDJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), ndjson)
}

// listSpec describes one list endpoint for serveList.
type listSpec[T any] struct {
	stream bool              // NDJSON streaming offered
	key    func(T) store.Key // keyset position of a row
	fetch  func(store.Page, func(T) error) error
	// appendJSON, when set, encodes streamed rows without reflection
	// (e.g. api.BilledHoursRow.AppendJSON); it must write what
	// encoding/json writes.
	appendJSON appendJSONFunc[T]
}

// serveList answers a list endpoint: a keyset page ({"items", "next_cursor"})
// or, when offered and asked for, an NDJSON stream of every row.
func serveList[T any](h *handler, w http.ResponseWriter, r *http.Request, spec listSpec[T]) {
	if spec.stream && wantsNDJSON(r) {
		streamRows(h, w, r, spec.fetch, spec.appendJSON)
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
