package client_test

import (
	"context"
	"io"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
	"github.com/portalctl/portalctl/pkg/client"
)

// Every typed method calls the documented method and path (api/openapi.yaml).
func TestEndpointPaths(t *testing.T) {
	ctx := context.Background()
	page := `{"items":[],"next_cursor":null}`
	tests := []struct {
		method, path string
		query        url.Values
		body         string
		call         func(c *client.Client) error
	}{
		{"GET", "/v1/me", nil, `{}`, func(c *client.Client) error { _, err := c.Me(ctx); return err }},
		{"GET", "/v1/organizations", nil, page, func(c *client.Client) error { _, err := c.Organizations(ctx); return err }},
		{"GET", "/v1/projects/P20260105.0001", nil, `{}`, func(c *client.Client) error { _, err := c.Project(ctx, "P20260105.0001"); return err }},
		{"GET", "/v1/projects", url.Values{"cursor": {"abc"}, "limit": {"10"}}, page, func(c *client.Client) error {
			_, err := c.ProjectsPage(ctx, client.ProjectsQuery{}, client.Page{Cursor: "abc", Limit: 10})
			return err
		}},
		{"GET", "/v1/projects/4/schedule", nil, `{}`, func(c *client.Client) error { _, err := c.Schedule(ctx, "4"); return err }},
		{"GET", "/v1/projects/4/issues", nil, page, func(c *client.Client) error { _, err := client.Collect(c.Issues(ctx, "4", 0)); return err }},
		{"POST", "/v1/projects/4/issues", nil, `{}`, func(c *client.Client) error {
			_, err := c.NewIssue(ctx, "4", api.NewIssue{Title: "t"}, "k")
			return err
		}},
		{"GET", "/v1/projects/4/notes", nil, page, func(c *client.Client) error { _, err := client.Collect(c.Notes(ctx, "4", 0)); return err }},
		{"POST", "/v1/projects/4/notes", nil, `{}`, func(c *client.Client) error { _, err := c.AddNote(ctx, "4", api.NewNote{}); return err }},
		{"GET", "/v1/projects/4/attachments", nil, page, func(c *client.Client) error {
			_, err := client.Collect(c.Attachments(ctx, "4", 0))
			return err
		}},
		{"GET", "/v1/projects/4/calendar", url.Values{"from": {"2026-01-01"}, "to": {"2026-02-01"}}, page, func(c *client.Client) error {
			_, err := client.Collect(c.Calendar(ctx, "4", "2026-01-01", "2026-02-01", 0))
			return err
		}},
		{"GET", "/v1/projects/4/team", nil, page, func(c *client.Client) error { _, err := client.Collect(c.Team(ctx, "4", 0)); return err }},
		{"POST", "/v1/projects/4/team/email", nil, `{}`, func(c *client.Client) error {
			_, err := c.EmailTeam(ctx, "4", api.TeamEmail{})
			return err
		}},
		{"GET", "/v1/tasks/open", url.Values{"project": {"4"}}, page, func(c *client.Client) error {
			_, err := client.Collect(c.OpenTasks(ctx, "4", 0))
			return err
		}},
		{"GET", "/v1/tasks/T20260105.0002", nil, `{}`, func(c *client.Client) error { _, err := c.Task(ctx, "T20260105.0002"); return err }},
		{"GET", "/v1/tasks/7/notes", nil, page, func(c *client.Client) error { _, err := client.Collect(c.TaskNotes(ctx, "7", 0)); return err }},
		{"POST", "/v1/tasks/7/notes", nil, `{}`, func(c *client.Client) error { _, err := c.AddTaskNote(ctx, "7", api.NewTaskNote{}); return err }},
		{"POST", "/v1/tasks/7/complete", nil, `{}`, func(c *client.Client) error { _, err := c.CompleteTask(ctx, "7"); return err }},
		{"GET", "/v1/end-client/clients", nil, page, func(c *client.Client) error { _, err := client.Collect(c.EndClients(ctx, 0)); return err }},
		{"GET", "/v1/end-client/projects", url.Values{"client": {"Acme"}, "include_completed": {"true"}}, page, func(c *client.Client) error {
			_, err := client.Collect(c.EndClientProjects(ctx, client.EndClientProjectsQuery{Client: "Acme", IncludeCompleted: true}, 0))
			return err
		}},
		{"GET", "/v1/end-client/projects/5", nil, `{}`, func(c *client.Client) error { _, err := c.EndClientProject(ctx, "5"); return err }},
		{"GET", "/v1/end-client/tickets", url.Values{"client": {"Acme"}, "include_completed": {"true"}}, page, func(c *client.Client) error {
			_, err := client.Collect(c.EndClientTickets(ctx, client.EndClientProjectsQuery{Client: "Acme", IncludeCompleted: true}, 0))
			return err
		}},
		{"GET", "/v1/end-client/tickets/T20260106.0001", nil, `{}`, func(c *client.Client) error {
			_, err := c.EndClientTicket(ctx, "T20260106.0001")
			return err
		}},
		{"GET", "/v1/end-client/tickets/7001/notes", nil, page, func(c *client.Client) error {
			_, err := client.Collect(c.EndClientTicketNotes(ctx, "7001", 0))
			return err
		}},
		{"GET", "/v1/end-client/projects/5/schedule", nil, `{}`, func(c *client.Client) error { _, err := c.EndClientSchedule(ctx, "5"); return err }},
		{"GET", "/v1/end-client/projects/5/team", nil, page, func(c *client.Client) error {
			_, err := client.Collect(c.EndClientTeam(ctx, "5", 0))
			return err
		}},
		{"POST", "/v1/end-client/projects/5/team/email", nil, `{}`, func(c *client.Client) error {
			_, err := c.EndClientEmailTeam(ctx, "5", api.TeamEmail{})
			return err
		}},
		{"GET", "/v1/end-client/billed-hours", url.Values{"from": {"2026-01-01"}, "after": {"99"}}, page, func(c *client.Client) error {
			_, err := c.BilledHoursPage(ctx, client.BilledHoursQuery{From: "2026-01-01", After: "99"}, client.Page{})
			return err
		}},
		{"POST", "/v1/auth/tokens", nil, `{}`, func(c *client.Client) error { _, err := c.Login(ctx, api.CreateTokenRequest{}); return err }},
		{"GET", "/v1/auth/tokens", nil, page, func(c *client.Client) error { _, err := c.Tokens(ctx); return err }},
		{"DELETE", "/v1/auth/tokens/12", nil, ``, func(c *client.Client) error { return c.RevokeToken(ctx, 12) }},
		{"DELETE", "/v1/auth/token", nil, ``, func(c *client.Client) error { return c.RevokeCurrentToken(ctx) }},
		{"GET", "/v1/end-client/billed-hours/summary", url.Values{"by": {"client,month"}, "from": {"2026-01-01"}, "client": {"Acme"}}, `{}`,
			func(c *client.Client) error {
				_, err := c.BilledHoursSummary(ctx, client.BilledHoursQuery{From: "2026-01-01", Client: "Acme", After: "9"}, []string{"client", "month"})
				return err
			}},
		{"POST", "/v1/calendar/feeds", nil, `{}`, func(c *client.Client) error { _, err := c.Subscribe(ctx, "phone"); return err }},
		{"GET", "/v1/calendar/feeds", nil, page, func(c *client.Client) error { _, err := c.CalendarFeeds(ctx); return err }},
		{"DELETE", "/v1/calendar/feeds/3", nil, ``, func(c *client.Client) error { return c.Unsubscribe(ctx, 3) }},
		{"GET", "/v1/calendar.ics", url.Values{"project": {"4"}}, "BEGIN:VCALENDAR", func(c *client.Client) error {
			body, err := c.CalendarICS(ctx, "4")
			if err == nil {
				body.Close()
			}
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			reg := &httpmock.Registry{}
			reg.Register(httpmock.QueryMatcher(tt.method, tt.path, tt.query), httpmock.StringResponse(tt.body))
			defer reg.Verify(t)
			c, err := reg.APIClient()()
			require.NoError(t, err)
			assert.NoError(t, tt.call(c))
		})
	}
}

func TestAttachmentContent(t *testing.T) {
	reg := &httpmock.Registry{}
	reg.Register(httpmock.REST("GET", "/v1/attachments/3/content"),
		httpmock.WithHeader(httpmock.WithHeader(httpmock.StringResponse("PDFDATA"),
			"Content-Disposition", `attachment; filename="plan v2.pdf"`), "ETag", `"abc"`))
	reg.Register(httpmock.REST("GET", "/v1/attachments/4/content"), httpmock.ErrorResponse(404, api.CodeNotFound, "attachment not found"))
	defer reg.Verify(t)
	c, err := reg.APIClient()()
	require.NoError(t, err)
	body, meta, err := c.AttachmentContent(context.Background(), "3")
	require.NoError(t, err)
	data, _ := io.ReadAll(body)
	require.NoError(t, body.Close())
	assert.Equal(t, "PDFDATA", string(data))
	assert.Equal(t, client.AttachmentMeta{ContentType: "text/plain", ContentLength: 7, Filename: "plan v2.pdf", ETag: `"abc"`}, meta)
	_, _, err = c.AttachmentContent(context.Background(), "4")
	assert.True(t, client.IsNotFound(err))
}
