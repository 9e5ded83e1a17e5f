package autotask

import (
	"context"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// The calendar feed's tokens and item versions are portald's own, like
// the API's tokens: they live in the local database (always a SQL store,
// which implements store.CalendarStore).

func (s *Store) calendarLocal() store.CalendarStore { return s.local.(store.CalendarStore) }

func (s *Store) CreateCalendarFeed(ctx context.Context, f store.CalendarFeed) (store.CalendarFeed, error) {
	return s.calendarLocal().CreateCalendarFeed(ctx, f)
}

func (s *Store) CalendarFeedByHash(ctx context.Context, hash string) (store.CalendarFeed, error) {
	return s.calendarLocal().CalendarFeedByHash(ctx, hash)
}

func (s *Store) CalendarFeeds(ctx context.Context, contactID int64) ([]store.CalendarFeed, error) {
	return s.calendarLocal().CalendarFeeds(ctx, contactID)
}

func (s *Store) RevokeCalendarFeed(ctx context.Context, contactID, id int64, at time.Time) error {
	return s.calendarLocal().RevokeCalendarFeed(ctx, contactID, id, at)
}

func (s *Store) TouchCalendarFeed(ctx context.Context, id int64, at time.Time) error {
	return s.calendarLocal().TouchCalendarFeed(ctx, id, at)
}

func (s *Store) CalendarVersions(ctx context.Context, now time.Time, items []store.CalendarVersion) (string, error) {
	return s.calendarLocal().CalendarVersions(ctx, now, items)
}

// ProjectEvents: the Autotask REST API has no project calendar (see Events).
func (s *Store) ProjectEvents(context.Context, store.ProjectQuery, func(api.Event) error) error {
	return store.ErrUnsupported
}
