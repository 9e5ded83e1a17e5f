package portal

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// FeedPath is the calendar feed's path; a feed token goes in its query.
const FeedPath = "/v1/calendar.ics"

func errBadFeed() *api.Error {
	return api.Errorf(api.CodeUnauthenticated, "this calendar feed address is invalid or was revoked; "+
		"get a new one with `portalctl calendar subscribe`")
}

// CreateCalendarFeed creates a calendar subscription for u: a feed token
// that reads u's calendar feed and nothing else. The secret is shown only
// in this answer.
func (s *Service) CreateCalendarFeed(ctx context.Context, u *User, in api.NewCalendarFeed) (api.CreatedCalendarFeed, error) {
	name := strings.TrimSpace(in.Name)
	if name == "" {
		name = "calendar"
	}
	if err := optionalText("name", name, api.MaxTitle); err != nil {
		return api.CreatedCalendarFeed{}, err
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return api.CreatedCalendarFeed{}, err
	}
	secret := api.FeedTokenPrefix + base64.RawURLEncoding.EncodeToString(buf)
	f, err := s.calendar.CreateCalendarFeed(ctx, store.CalendarFeed{ContactID: u.Contact.ID, Name: name, Hash: HashToken(secret),
		CreatedAt: s.now().UTC().Truncate(time.Second)})
	if err != nil {
		return api.CreatedCalendarFeed{}, err
	}
	return api.CreatedCalendarFeed{CalendarFeed: apiFeed(f), Token: secret,
		Path: FeedPath + "?" + url.Values{"token": {secret}}.Encode()}, nil
}

func apiFeed(f store.CalendarFeed) api.CalendarFeed {
	return api.CalendarFeed{ID: f.ID, Name: f.Name, CreatedAt: f.CreatedAt, LastUsedAt: f.LastUsedAt}
}

// CalendarFeeds lists u's calendar subscriptions (never their secrets).
func (s *Service) CalendarFeeds(ctx context.Context, u *User) ([]api.CalendarFeed, error) {
	feeds, err := s.calendar.CalendarFeeds(ctx, u.Contact.ID)
	if err != nil {
		return nil, err
	}
	out := make([]api.CalendarFeed, 0, len(feeds))
	for _, f := range feeds {
		out = append(out, apiFeed(f))
	}
	return out, nil
}

// RevokeCalendarFeed revokes one of u's subscriptions at once; another
// user's answers 404, as one that does not exist.
func (s *Service) RevokeCalendarFeed(ctx context.Context, u *User, id int64) error {
	err := s.calendar.RevokeCalendarFeed(ctx, u.Contact.ID, id, s.now())
	if errors.Is(err, store.ErrNotFound) {
		return api.NotFound("calendar subscription")
	}
	return err
}

// AuthenticateFeed resolves a feed token to its user, for the calendar
// feed only: an API token is refused here, as a feed token is refused by
// Authenticate. The user's rights are read afresh, so a disabled contact
// or a narrowed scope shows in the feed's next read.
func (s *Service) AuthenticateFeed(ctx context.Context, secret string) (*User, error) {
	if !strings.HasPrefix(secret, api.FeedTokenPrefix) {
		return nil, errBadFeed()
	}
	id, err := s.calendar.IdentityByFeedHash(ctx, HashToken(secret))
	if errors.Is(err, store.ErrNotFound) || err == nil && id.Token.RevokedAt != nil {
		return nil, errBadFeed()
	}
	if err != nil {
		return nil, err
	}
	f := id.Token
	u, err := identityUser(id)
	if err != nil {
		return nil, err
	}
	u.FeedID = f.ID
	now := s.now()
	if f.LastUsedAt == nil || now.Sub(*f.LastUsedAt) > time.Minute {
		if err := s.calendar.TouchCalendarFeed(ctx, f.ID, now); err != nil {
			return nil, err
		}
	}
	return u, nil
}
