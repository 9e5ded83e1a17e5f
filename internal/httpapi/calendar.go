package httpapi

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/ical"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/pkg/api"
)

// calendarFeed serves GET /v1/calendar.ics: the user's feed as iCalendar,
// to a calendar app with a feed token in the query (apps cannot send an
// Authorization header), or to portalctl with its bearer token. The route
// is public in the route table because it authenticates itself (feedUser).
// The secret is never logged: the access log writes the path, not the
// query.
func (h *handler) calendarFeed(w http.ResponseWriter, r *http.Request) {
	u, ok := h.feedUser(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	cal, err := h.svc.CalendarFeed(ctx, u, r.URL.Query().Get("project"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	now := time.Now()
	etag := cal.ETag(now)
	w.Header().Set("ETag", etag)
	// A shared cache must not keep one user's calendar; every reuse asks
	// first (If-None-Match), which costs a 304 when nothing changed.
	w.Header().Set("Cache-Control", "private, no-cache")
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	if err := h.svc.VersionCalendar(ctx, &cal); err != nil {
		h.writeError(w, r, err)
		return
	}
	buf := getBuffer()
	defer putBuffer(buf)
	if err := ical.Write(buf, &cal, now); err != nil {
		h.writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// feedUser authenticates the feed's reader: a feed token in ?token=, or
// else the API's bearer token. It answers the error itself.
func (h *handler) feedUser(w http.ResponseWriter, r *http.Request) (*portal.User, bool) {
	secret := r.URL.Query().Get("token")
	if secret == "" {
		var u *portal.User
		h.authenticate(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { u = userFrom(r) })).ServeHTTP(w, r)
		return u, u != nil
	}
	u, err := h.svc.AuthenticateFeed(r.Context(), secret)
	if err != nil {
		h.writeError(w, r, err)
		return nil, false
	}
	infoFrom(r).user = u
	// Feed tokens are counted apart from API tokens (negative keys): the
	// ids come from different tables.
	if wait, ok := h.tokens.allow(-u.FeedID); !ok {
		h.writeError(w, r, rateLimited(wait))
		return nil, false
	}
	return u, true
}

// etagMatches is If-None-Match's weak comparison (RFC 9110 13.1.2).
func etagMatches(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, tag := range strings.Split(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

func (h *handler) createCalendarFeed(w http.ResponseWriter, r *http.Request) {
	var in api.NewCalendarFeed
	if err := h.decodeBody(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	f, err := h.svc.CreateCalendarFeed(r.Context(), userFrom(r), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "calendar_feed.created", "feed_id", f.ID)
	writeJSON(w, http.StatusCreated, f)
}

func (h *handler) calendarFeeds(w http.ResponseWriter, r *http.Request) {
	feeds, err := h.svc.CalendarFeeds(r.Context(), userFrom(r))
	respond(h, w, r, api.List[api.CalendarFeed]{Items: feeds}, err)
}

func (h *handler) revokeCalendarFeed(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "calendar subscription")
	if err == nil {
		err = h.svc.RevokeCalendarFeed(r.Context(), userFrom(r), id)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "calendar_feed.revoked", "feed_id", id)
	w.WriteHeader(http.StatusNoContent)
}
