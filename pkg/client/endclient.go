package client

import (
	"context"
	"iter"
	"net/http"
	"net/url"

	"github.com/portalctl/portalctl/pkg/api"
)

// EndClientProjectsQuery filters End Client Projects.
type EndClientProjectsQuery struct {
	Client           string // id or name; "" = every end client
	IncludeCompleted bool
}

func (q EndClientProjectsQuery) values() url.Values {
	v := url.Values{}
	setIf(v, "client", q.Client)
	if q.IncludeCompleted {
		v.Set("include_completed", "true")
	}
	return v
}

// BilledHoursQuery filters the billed-hours export. Since is the
// Portal-Feed-Position of the last run with the same filters: only the
// changes after it, as entries. After (deprecated: ids are not posting
// order) is the id of the last billing item exported.
type BilledHoursQuery struct {
	From, To api.Date
	Client   string
	Kind     string // "project" or "ticket" work only; "" = both
	Since    string
	After    string
}

func (q BilledHoursQuery) values() url.Values {
	v := url.Values{}
	setIf(v, "from", string(q.From))
	setIf(v, "to", string(q.To))
	setIf(v, "client", q.Client)
	setIf(v, "kind", q.Kind)
	setIf(v, "since", q.Since)
	setIf(v, "after", q.After)
	return v
}

// EndClients yields the end clients with projects billed to the user's organization.
func (c *Client) EndClients(ctx context.Context, limit int) iter.Seq2[api.EndClient, error] {
	return all[api.EndClient](ctx, c, "/v1/end-client/clients", nil, limit)
}

// EndClientProjects yields end-client projects with their billed hours.
func (c *Client) EndClientProjects(ctx context.Context, q EndClientProjectsQuery, limit int) iter.Seq2[api.EndClientProject, error] {
	return all[api.EndClientProject](ctx, c, "/v1/end-client/projects", q.values(), limit)
}

// EndClientProjectsStream yields every matching end-client project from one NDJSON response.
func (c *Client) EndClientProjectsStream(ctx context.Context, q EndClientProjectsQuery) iter.Seq2[api.EndClientProject, error] {
	return stream[api.EndClientProject](ctx, c, "/v1/end-client/projects", q.values())
}

// EndClientTickets yields end-client tickets with their billed hours
// (the same filters as projects).
func (c *Client) EndClientTickets(ctx context.Context, q EndClientProjectsQuery, limit int) iter.Seq2[api.EndClientTicket, error] {
	return all[api.EndClientTicket](ctx, c, "/v1/end-client/tickets", q.values(), limit)
}

// EndClientTicketsStream yields every matching end-client ticket from one NDJSON response.
func (c *Client) EndClientTicketsStream(ctx context.Context, q EndClientProjectsQuery) iter.Seq2[api.EndClientTicket, error] {
	return streamFast(ctx, c, "/v1/end-client/tickets", q.values(), newEndClientTicketDecoder, nil)
}

// EndClientTicket returns one end-client ticket by id or number.
func (c *Client) EndClientTicket(ctx context.Context, id string) (api.EndClientTicket, error) {
	var out api.EndClientTicket
	return out, c.call(ctx, request{method: "GET", path: p("/v1/end-client/tickets/%s", id)}, &out)
}

// EndClientTicketNotes yields an end-client ticket's published notes.
func (c *Client) EndClientTicketNotes(ctx context.Context, id string, limit int) iter.Seq2[api.TicketNote, error] {
	return all[api.TicketNote](ctx, c, p("/v1/end-client/tickets/%s/notes", id), nil, limit)
}

// EndClientProject returns one end-client project.
func (c *Client) EndClientProject(ctx context.Context, id string) (api.EndClientProject, error) {
	var out api.EndClientProject
	return out, c.call(ctx, request{method: "GET", path: p("/v1/end-client/projects/%s", id)}, &out)
}

// EndClientSchedule returns an end-client project's schedule.
func (c *Client) EndClientSchedule(ctx context.Context, id string) (api.Schedule, error) {
	var out api.Schedule
	return out, c.call(ctx, request{method: "GET", path: p("/v1/end-client/projects/%s/schedule", id)}, &out)
}

// EndClientTeam yields an end-client project's team.
func (c *Client) EndClientTeam(ctx context.Context, id string, limit int) iter.Seq2[api.TeamMember, error] {
	return all[api.TeamMember](ctx, c, p("/v1/end-client/projects/%s/team", id), nil, limit)
}

// EndClientEmailTeam emails an end-client project's team (never retried).
func (c *Client) EndClientEmailTeam(ctx context.Context, id string, email api.TeamEmail) (api.EmailResult, error) {
	var out api.EmailResult
	return out, c.call(ctx, request{method: "POST", path: p("/v1/end-client/projects/%s/team/email", id), body: email}, &out)
}

// BilledHours yields billed-hours rows, paging as needed (limit 0 = all).
func (c *Client) BilledHours(ctx context.Context, q BilledHoursQuery, limit int) iter.Seq2[api.BilledHoursRow, error] {
	return all[api.BilledHoursRow](ctx, c, "/v1/end-client/billed-hours", q.values(), limit)
}

// BilledHoursPage fetches one page of billed-hours rows.
func (c *Client) BilledHoursPage(ctx context.Context, q BilledHoursQuery, page Page) (api.List[api.BilledHoursRow], error) {
	return getPage[api.BilledHoursRow](ctx, c, "/v1/end-client/billed-hours", q.values(), page)
}

// BilledHoursStream yields every matching row from one NDJSON response, in
// constant memory: the export path.
func (c *Client) BilledHoursStream(ctx context.Context, q BilledHoursQuery) iter.Seq2[api.BilledHoursRow, error] {
	return c.BilledHoursFeed(ctx, q, nil)
}

// FeedPositionHeader is the answer header naming the billing feed position
// a billed-hours answer brings its reader to.
const FeedPositionHeader = "Portal-Feed-Position"

// BilledHoursFeed is BilledHoursStream that calls position, before the
// first row, with the answer's Portal-Feed-Position ("" from a server
// without a change feed). Keep it only once every row was read.
func (c *Client) BilledHoursFeed(ctx context.Context, q BilledHoursQuery, position func(string)) iter.Seq2[api.BilledHoursRow, error] {
	var onHeader func(http.Header)
	if position != nil {
		onHeader = func(h http.Header) { position(h.Get(FeedPositionHeader)) }
	}
	return streamFast(ctx, c, "/v1/end-client/billed-hours", q.values(), newBilledHoursDecoder, onHeader)
}
