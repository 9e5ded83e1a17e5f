package api

import "time"

// FeedTokenPrefix starts every calendar feed token (pct_ starts the API's
// tokens): a feed token reads one user's calendar feed and nothing else.
const FeedTokenPrefix = "pcf_"

// CalendarFeed is a calendar subscription: a feed token, never its secret.
type CalendarFeed struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

// NewCalendarFeed is the body of POST /v1/calendar/feeds.
type NewCalendarFeed struct {
	Name string `json:"name"`
}

// CreatedCalendarFeed is a new subscription with its secret, shown once.
// Path is the feed's path and query on this server (the token in it):
// a client puts its own scheme and host in front.
type CreatedCalendarFeed struct {
	CalendarFeed
	Token string `json:"token"`
	Path  string `json:"path"`
}
