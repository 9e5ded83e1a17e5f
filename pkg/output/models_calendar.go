package output

import "github.com/portalctl/portalctl/pkg/api"

// CalendarFeeds is the row model of api.CalendarFeed: a calendar
// subscription, never its secret.
var CalendarFeeds = NewModel(
	Shown("id", "ID", func(f *api.CalendarFeed) Value { return Int(f.ID) }),
	Shown("name", "Name", func(f *api.CalendarFeed) Value { return Str(f.Name) }),
	Shown("created_at", "Created", func(f *api.CalendarFeed) Value { return Time(f.CreatedAt) }),
	Shown("last_used_at", "Last read", func(f *api.CalendarFeed) Value { return TimePtr(f.LastUsedAt) }),
)

// CalendarSubscription is a new subscription as portalctl shows it: the
// record and the URL a calendar app subscribes to (the server's path on
// the portal's address).
type CalendarSubscription struct {
	api.CalendarFeed
	URL string `json:"url"`
}

// CalendarSubscriptions is the row model of a new CalendarSubscription.
var CalendarSubscriptions = NewModel(
	Shown("id", "ID", func(s *CalendarSubscription) Value { return Int(s.ID) }),
	Shown("name", "Name", func(s *CalendarSubscription) Value { return Str(s.Name) }),
	Shown("url", "URL", func(s *CalendarSubscription) Value { return Ident(s.URL) }),
	Extra("created_at", "Created", func(s *CalendarSubscription) Value { return Time(s.CreatedAt) }),
)
