package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// headerFeedPosition tells the billing feed position a billed-hours answer
// brings its reader to: the next run asks since=<it>.
const headerFeedPosition = "Portal-Feed-Position"

// formatFeedPosition is a position as the API shows it: FEED:NUMBER.
func formatFeedPosition(p store.FeedPosition) string {
	return p.Feed + ":" + strconv.FormatInt(p.Position, 10)
}

// parseFeedPosition reads FEED:NUMBER.
func parseFeedPosition(s string) (store.FeedPosition, bool) {
	feed, num, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || n < 0 || feed == "" || strings.ContainsFunc(feed, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z')
	}) {
		return store.FeedPosition{}, false
	}
	return store.FeedPosition{Feed: feed, Position: n}, true
}

// billedFilter reads the export's filters, which the summary shares.
func billedFilter(q url.Values) portal.BilledHoursFilter {
	return portal.BilledHoursFilter{Client: q.Get("client"), Kind: q.Get("kind"), From: q.Get("from"), To: q.Get("to")}
}

// billedHours answers GET /v1/end-client/billed-hours: the current rows,
// or with since the changes after that position (docs/billed-hours.md).
// A stream, and every page of a since run, tells its position in
// Portal-Feed-Position; the cursor of a since run carries the first
// page's, so its pages add up to one consistent run.
func (h *handler) billedHours(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := billedFilter(q)
	if s := q.Get("after"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			h.writeError(w, r, api.Invalid("after", "after must be a billing item id (a whole number), not %q", s))
			return
		}
		f.AfterID = id
	}
	if s := q.Get("since"); s != "" {
		pos, ok := parseFeedPosition(s)
		if !ok {
			h.writeError(w, r, api.Invalid("since", "since must be a Portal-Feed-Position value (FEED:NUMBER), not %q", s))
			return
		}
		if f.AfterID > 0 {
			h.writeError(w, r, api.Invalid("after", "give since or after, not both (since replaces after)"))
			return
		}
		f.Since = &pos
	}
	var pinned int64 // the position of this run's first page
	serveList(h, w, r, listSpec[api.BilledHoursRow]{stream: true, appendJSON: api.BilledHoursRow.AppendJSON,
		key: func(b api.BilledHoursRow) store.Key {
			if f.Since == nil {
				return store.Key{Value: string(b.WorkedDate), ID: b.ID}
			}
			k := store.Key{Value: strconv.FormatInt(pinned, 10), ID: b.ID}
			if b.Entry == api.EntryReversal { // its correction may be next
				k.Value += "/" + api.EntryReversal
			}
			return k
		},
		fetch: func(page store.Page, each func(api.BilledHoursRow) error) error {
			if f.Since != nil && page.After != nil {
				until, sub, _ := strings.Cut(page.After.Value, "/")
				f.Until, _ = strconv.ParseInt(until, 10, 64) // signed: as this server wrote it
				page.After = &store.Key{ID: page.After.ID, Value: sub}
			}
			// Pages without since are not pinned: they get no position.
			var head func(store.FeedPosition) error
			if f.Since != nil || page.Limit == 0 {
				head = func(p store.FeedPosition) error {
					pinned = p.Position
					w.Header().Set(headerFeedPosition, formatFeedPosition(p))
					return nil
				}
			}
			return h.svc.BilledHours(r.Context(), userFrom(r), f, page, head, each)
		}})
}
