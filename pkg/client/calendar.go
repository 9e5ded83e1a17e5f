package client

import (
	"context"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/pkg/api"
)

// Subscribe creates a calendar subscription (a feed token). Not retried on
// its own: a retry after a lost answer would make a second one.
func (c *Client) Subscribe(ctx context.Context, name string) (api.CreatedCalendarFeed, error) {
	var out api.CreatedCalendarFeed
	return out, c.call(ctx, request{method: "POST", path: "/v1/calendar/feeds", body: api.NewCalendarFeed{Name: name}}, &out)
}

// CalendarFeeds lists the user's calendar subscriptions.
func (c *Client) CalendarFeeds(ctx context.Context) ([]api.CalendarFeed, error) {
	return Collect(all[api.CalendarFeed](ctx, c, "/v1/calendar/feeds", nil, 0))
}

// Unsubscribe revokes a calendar subscription.
func (c *Client) Unsubscribe(ctx context.Context, id int64) error {
	return c.call(ctx, request{method: "DELETE", path: "/v1/calendar/feeds/" + strconv.FormatInt(id, 10)}, nil)
}

// CalendarICS streams the user's calendar feed as iCalendar (one
// project's with project), read with this client's token.
func (c *Client) CalendarICS(ctx context.Context, project string) (io.ReadCloser, error) {
	q := url.Values{}
	setIf(q, "project", project)
	resp, err := c.send(ctx, request{method: "GET", path: "/v1/calendar.ics", query: q, stream: true,
		header: map[string]string{"Accept": "text/calendar"}})
	if err != nil {
		return nil, err
	}
	return resp.RawBody(), nil
}

// FeedURL is the address of a subscription's path on this client's
// portal: what a calendar app subscribes to.
func (c *Client) FeedURL(path string) string {
	return strings.TrimSuffix(c.baseURL.String(), "/") + path
}
