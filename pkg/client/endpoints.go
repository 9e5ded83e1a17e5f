package client

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"

	"github.com/portalctl/portalctl/pkg/api"
)

// Paths take ids as strings because projects and tasks are also addressed
// by number (P20260105.0001); the server resolves either.
func p(format string, ids ...string) string {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = url.PathEscape(id)
	}
	return fmt.Sprintf(format, args...)
}

// ProjectsQuery filters My Projects (GET /v1/projects).
type ProjectsQuery struct {
	Org              string // "all", "own", an id or a name; "" = server default
	IncludeCompleted bool
	Search           string
}

func (q ProjectsQuery) values() url.Values {
	v := url.Values{}
	setIf(v, "org", q.Org)
	setIf(v, "q", q.Search)
	if q.IncludeCompleted {
		v.Set("include_completed", "true")
	}
	return v
}

// Me returns the signed-in user, organization and permissions.
func (c *Client) Me(ctx context.Context) (api.Me, error) {
	var out api.Me
	return out, c.call(ctx, request{method: "GET", path: "/v1/me"}, &out)
}

// Organizations lists the organizations in the user's scope.
func (c *Client) Organizations(ctx context.Context) ([]api.Organization, error) {
	return Collect(all[api.Organization](ctx, c, "/v1/organizations", nil, 0))
}

// Projects yields up to limit projects (0 = all), paging as needed.
func (c *Client) Projects(ctx context.Context, q ProjectsQuery, limit int) iter.Seq2[api.Project, error] {
	return all[api.Project](ctx, c, "/v1/projects", q.values(), limit)
}

// ProjectsPage fetches one page of projects.
func (c *Client) ProjectsPage(ctx context.Context, q ProjectsQuery, page Page) (api.List[api.Project], error) {
	return getPage[api.Project](ctx, c, "/v1/projects", q.values(), page)
}

// ProjectsStream yields every matching project from one NDJSON response.
func (c *Client) ProjectsStream(ctx context.Context, q ProjectsQuery) iter.Seq2[api.Project, error] {
	return stream[api.Project](ctx, c, "/v1/projects", q.values())
}

// Project returns a project summary by id or number.
func (c *Client) Project(ctx context.Context, id string) (api.Project, error) {
	var out api.Project
	return out, c.call(ctx, request{method: "GET", path: p("/v1/projects/%s", id)}, &out)
}

// Schedule returns a project's phases, tasks and issues as a tree.
func (c *Client) Schedule(ctx context.Context, projectID string) (api.Schedule, error) {
	var out api.Schedule
	return out, c.call(ctx, request{method: "GET", path: p("/v1/projects/%s/schedule", projectID)}, &out)
}

// Issues yields a project's issues.
func (c *Client) Issues(ctx context.Context, projectID string, limit int) iter.Seq2[api.Task, error] {
	return all[api.Task](ctx, c, p("/v1/projects/%s/issues", projectID), nil, limit)
}

// NewIssue files an issue. With an idempotency key the server files it at
// most once, which also makes the call safe to retry.
func (c *Client) NewIssue(ctx context.Context, projectID string, issue api.NewIssue, idempotencyKey string) (api.Task, error) {
	r, err := c.FileIssue(ctx, projectID, issue, idempotencyKey)
	return r.Issue, err
}

// IssueResult is a filed issue and whether the server created it (201), or
// answered with one it already had (200: the Idempotency-Key's first issue).
type IssueResult struct {
	Issue   api.Task
	Created bool
}

// FileIssue is NewIssue telling whether the server created the issue.
func (c *Client) FileIssue(ctx context.Context, projectID string, issue api.NewIssue, idempotencyKey string) (IssueResult, error) {
	req := request{method: "POST", path: p("/v1/projects/%s/issues", projectID), body: issue}
	if idempotencyKey != "" {
		req.header = map[string]string{"Idempotency-Key": idempotencyKey}
		req.idempotent = true
	}
	resp, err := c.send(ctx, req)
	if err != nil {
		return IssueResult{}, err
	}
	var out IssueResult
	if err := json.Unmarshal(resp.Body(), &out.Issue); err != nil {
		return out, &api.Error{Code: api.CodeInternal, Status: resp.StatusCode(),
			Message: fmt.Sprintf("unexpected response from POST %s: %v", req.path, err)}
	}
	out.Created = resp.StatusCode() == http.StatusCreated
	return out, nil
}

// AddTaskAttachment attaches a file to a task or issue. Not retried: a
// second attempt could attach it twice.
func (c *Client) AddTaskAttachment(ctx context.Context, taskID, name, contentType string, content []byte) (api.Attachment, error) {
	var out api.Attachment
	req := request{method: "POST", path: p("/v1/tasks/%s/attachments", taskID), query: url.Values{"name": {name}},
		body: content, bodyType: contentType}
	return out, c.call(ctx, req, &out)
}

// NewIssueIfAbsent files an issue unless the project has an open issue of
// the same title (ignoring case), which it returns instead; the server
// checks and files in one step, so concurrent callers file one issue.
// created is false when the issue was already open, or when the key
// replayed an earlier answer.
func (c *Client) NewIssueIfAbsent(ctx context.Context, projectID string, issue api.NewIssue, idempotencyKey string) (api.Task, bool, error) {
	issue.IfAbsent = true
	r, err := c.FileIssue(ctx, projectID, issue, idempotencyKey)
	return r.Issue, r.Created, err
}

// Notes yields a project's published notes.
func (c *Client) Notes(ctx context.Context, projectID string, limit int) iter.Seq2[api.Note, error] {
	return all[api.Note](ctx, c, p("/v1/projects/%s/notes", projectID), nil, limit)
}

// AddNote adds a project note.
func (c *Client) AddNote(ctx context.Context, projectID string, note api.NewNote) (api.Note, error) {
	var out api.Note
	return out, c.call(ctx, request{method: "POST", path: p("/v1/projects/%s/notes", projectID), body: note}, &out)
}

// Attachments yields a project's attachment metadata.
func (c *Client) Attachments(ctx context.Context, projectID string, limit int) iter.Seq2[api.Attachment, error] {
	return all[api.Attachment](ctx, c, p("/v1/projects/%s/attachments", projectID), nil, limit)
}

// Calendar yields a project's events between From and To (either may be empty).
func (c *Client) Calendar(ctx context.Context, projectID string, from, to api.Date, limit int) iter.Seq2[api.Event, error] {
	v := url.Values{}
	setIf(v, "from", string(from))
	setIf(v, "to", string(to))
	return all[api.Event](ctx, c, p("/v1/projects/%s/calendar", projectID), v, limit)
}

// Team yields a project's team.
func (c *Client) Team(ctx context.Context, projectID string, limit int) iter.Seq2[api.TeamMember, error] {
	return all[api.TeamMember](ctx, c, p("/v1/projects/%s/team", projectID), nil, limit)
}

// EmailTeam emails a project's team. Not retried: a second attempt could
// send the email twice.
func (c *Client) EmailTeam(ctx context.Context, projectID string, email api.TeamEmail) (api.EmailResult, error) {
	var out api.EmailResult
	return out, c.call(ctx, request{method: "POST", path: p("/v1/projects/%s/team/email", projectID), body: email}, &out)
}

// OpenTasks yields My Open Tasks, optionally for one project.
func (c *Client) OpenTasks(ctx context.Context, projectID string, limit int) iter.Seq2[api.Task, error] {
	v := url.Values{}
	setIf(v, "project", projectID)
	return all[api.Task](ctx, c, "/v1/tasks/open", v, limit)
}

// Task returns a task or issue by id or number.
func (c *Client) Task(ctx context.Context, id string) (api.Task, error) {
	var out api.Task
	return out, c.call(ctx, request{method: "GET", path: p("/v1/tasks/%s", id)}, &out)
}

// TaskNotes yields a task's published notes.
func (c *Client) TaskNotes(ctx context.Context, taskID string, limit int) iter.Seq2[api.TaskNote, error] {
	return all[api.TaskNote](ctx, c, p("/v1/tasks/%s/notes", taskID), nil, limit)
}

// AddTaskNote adds a note to a task.
func (c *Client) AddTaskNote(ctx context.Context, taskID string, note api.NewTaskNote) (api.TaskNote, error) {
	var out api.TaskNote
	return out, c.call(ctx, request{method: "POST", path: p("/v1/tasks/%s/notes", taskID), body: note}, &out)
}

// CompleteTask marks a task complete. Completing twice is harmless
// (already_complete), so the call is retried like a GET.
func (c *Client) CompleteTask(ctx context.Context, taskID string) (api.CompleteResult, error) {
	var out api.CompleteResult
	return out, c.call(ctx, request{method: "POST", path: p("/v1/tasks/%s/complete", taskID), idempotent: true}, &out)
}

// Tokens lists the user's access tokens.
func (c *Client) Tokens(ctx context.Context) ([]api.Token, error) {
	return Collect(all[api.Token](ctx, c, "/v1/auth/tokens", nil, 0))
}

// Login exchanges a username and password for a new token. Not retried:
// logins are rate-limited per username.
func (c *Client) Login(ctx context.Context, req api.CreateTokenRequest) (api.CreatedToken, error) {
	var out api.CreatedToken
	return out, c.call(ctx, request{method: "POST", path: "/v1/auth/tokens", body: req}, &out)
}

// SendLoginCode asks the portal to email a one-time sign-in code to
// email; it answers the same whether or not the address has a login.
func (c *Client) SendLoginCode(ctx context.Context, email string) error {
	return c.call(ctx, request{method: "POST", path: "/v1/auth/login-codes", body: api.LoginCodeRequest{Email: email}}, nil)
}

// RevokeToken revokes one of the user's tokens.
func (c *Client) RevokeToken(ctx context.Context, id int64) error {
	return c.call(ctx, request{method: "DELETE", path: "/v1/auth/tokens/" + strconv.FormatInt(id, 10)}, nil)
}

// RevokeCurrentToken revokes the token this client uses.
func (c *Client) RevokeCurrentToken(ctx context.Context) error {
	return c.call(ctx, request{method: http.MethodDelete, path: "/v1/auth/token"}, nil)
}

func setIf(v url.Values, key, value string) {
	if value != "" {
		v.Set(key, value)
	}
}

// EmailStatus is how a team email the user sent went, recipient by
// recipient (GET /v1/emails/{id}; not found for anyone else's).
func (c *Client) EmailStatus(ctx context.Context, id string) (api.EmailStatus, error) {
	var out api.EmailStatus
	return out, c.call(ctx, request{method: "GET", path: p("/v1/emails/%s", id)}, &out)
}
