package store

import (
	"context"
	"time"
)

// CalendarFeed is a calendar feed token: a secret that reads one portal
// user's iCalendar feed (GET /v1/calendar.ics?token=…) and nothing else.
// Calendar apps cannot send an Authorization header, so the secret travels
// in the feed's URL; it lives in a table of its own, apart from the API's
// tokens, so that no lookup of an API token can ever find it. Only its
// SHA-256 hash is kept.
type CalendarFeed struct {
	ID         int64
	ContactID  int64
	Name       string
	Hash       string // hex SHA-256 of the secret
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CalendarVersion is the version of one item of the calendar feed. The
// portal data keeps no modification time, so versions come from the items'
// content: the store remembers each item's content hash, and a hash it has
// not seen for that UID is a new revision.
type CalendarVersion struct {
	UID      string // the item's key, without the UID's domain ("event-950")
	Hash     string // the item's content hash
	Sequence int    // RFC 5545 SEQUENCE: 0 when first seen, +1 each change
	Modified time.Time
}

// CalendarStore is portald's own record of the calendar feed (like
// Accounts, kept apart from the portal's data): its tokens and the
// versions of its items.
type CalendarStore interface {
	// CreateCalendarFeed stores a feed token and returns it with its id.
	CreateCalendarFeed(ctx context.Context, f CalendarFeed) (CalendarFeed, error)
	// IdentityByFeedHash is Accounts.IdentityByTokenHash for a feed token:
	// the feed (in Token; it never expires) with its contact, in one round
	// trip, revoked or not; ErrNotFound when there is none.
	IdentityByFeedHash(ctx context.Context, hash string) (Identity, error)
	// CalendarFeeds lists a contact's feed tokens that are not revoked,
	// newest first.
	CalendarFeeds(ctx context.Context, contactID int64) ([]CalendarFeed, error)
	// RevokeCalendarFeed revokes one of the contact's live feed tokens
	// (ErrNotFound when it has no such live token).
	RevokeCalendarFeed(ctx context.Context, contactID, id int64, at time.Time) error
	// TouchCalendarFeed records when a feed token was last used.
	TouchCalendarFeed(ctx context.Context, id int64, at time.Time) error

	// CalendarVersions fills in the Sequence and Modified of each item from
	// its Hash: an item seen for the first time gets sequence 0 and
	// modified now; an item whose hash differs from the one stored gets
	// the stored sequence + 1 and modified now; any other keeps what is
	// stored. Concurrent calls with the same change bump it once. It
	// returns the domain of the feed's UIDs: random, made once per
	// database, so that two portals' items never share a UID.
	CalendarVersions(ctx context.Context, now time.Time, items []CalendarVersion) (domain string, err error)
}
