package portal

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// myScope is the My Projects visibility of u: client projects of the
// organizations in scope where u is on the team, unless u's level sees all
// of its organizations' projects.
func myScope(u *User, orgIDs []int64) store.ProjectScope {
	sc := store.ProjectScope{OrgIDs: orgIDs, MemberContactID: u.Contact.ID}
	if u.Can(api.PermAllOrgProjects) {
		sc.MemberContactID = 0
	}
	return sc
}

// orgFilter resolves --org: "all" (or empty), "own", or one organization of
// the scope by id or name. Anything else lists the choices.
func (s *Service) orgFilter(ctx context.Context, u *User, org string) ([]int64, error) {
	switch strings.ToLower(strings.TrimSpace(org)) {
	case "", "all":
		return u.ScopeOrgIDs, nil
	case "own":
		return []int64{u.Organization.ID}, nil
	}
	orgs, err := s.Organizations(ctx, u)
	if err != nil {
		return nil, err
	}
	names := []string{"all", "own"}
	for _, o := range orgs {
		if strconv.FormatInt(o.ID, 10) == org || strings.EqualFold(o.Name, strings.TrimSpace(org)) {
			return []int64{o.ID}, nil
		}
		names = append(names, fmt.Sprintf("%d (%s)", o.ID, o.Name))
	}
	return nil, api.Invalid("org", "unknown organization %q: choose %s", org, strings.Join(names, ", ")).
		With("choices", names)
}

// Projects streams My Projects.
func (s *Service) Projects(ctx context.Context, u *User, f ProjectFilter, page store.Page, each func(api.Project) error) error {
	orgs, err := s.orgFilter(ctx, u, f.Org)
	if err != nil {
		return err
	}
	return s.st.Projects(ctx, store.ProjectQuery{Scope: myScope(u, orgs), IncludeCompleted: f.IncludeCompleted,
		Search: strings.TrimSpace(f.Search), Page: page}, each)
}

// project returns an accessible project by id or number, whatever its
// status. When guard is set and the project is one of u's end-client
// projects, the answer is 403 read_only instead of 404: those are visible,
// but only through the end-client view.
func (s *Service) project(ctx context.Context, u *User, r string, guard bool) (api.Project, error) {
	id, number := ref(r)
	p, found, err := first(func(each func(api.Project) error) error {
		return s.st.Projects(ctx, store.ProjectQuery{Scope: myScope(u, u.ScopeOrgIDs), ID: id, Number: number,
			IncludeCompleted: true, Page: store.Page{Limit: 1}}, each)
	})
	if err != nil || found {
		return p, err
	}
	if guard {
		_, isEndClient, err := s.endClientProject(ctx, u, r)
		if err != nil {
			return p, err
		}
		if isEndClient {
			return p, errReadOnly()
		}
	}
	return p, api.NotFound("project")
}

func errReadOnly() *api.Error {
	return api.Errorf(api.CodeReadOnly, "end-client projects are read-only: notes, attachments, issues, task notes and completion are not available (use `portalctl endclient view`)")
}

// Project returns a project summary.
func (s *Service) Project(ctx context.Context, u *User, r string) (api.Project, error) {
	return s.project(ctx, u, r, false)
}

// Schedule returns the project's phases, tasks and issues as a tree.
func (s *Service) Schedule(ctx context.Context, u *User, r string) (api.Schedule, error) {
	if err := require(u, api.PermViewSchedule); err != nil {
		return api.Schedule{}, err
	}
	p, err := s.project(ctx, u, r, false)
	if err != nil {
		return api.Schedule{}, err
	}
	return s.schedule(ctx, p.ID, store.TaskQuery{Projects: myScope(u, u.ScopeOrgIDs), ProjectID: p.ID})
}

func (s *Service) schedule(ctx context.Context, projectID int64, q store.TaskQuery) (api.Schedule, error) {
	phases, err := s.st.Phases(ctx, projectID)
	if err != nil {
		return api.Schedule{}, err
	}
	tasks, err := s.st.ScheduleTasks(ctx, q)
	if err != nil {
		return api.Schedule{}, err
	}
	return api.Schedule{ProjectID: projectID, Items: buildSchedule(phases, tasks)}, nil
}

// Issues streams a project's issues.
func (s *Service) Issues(ctx context.Context, u *User, r string, page store.Page, each func(api.Task) error) error {
	p, err := s.project(ctx, u, r, true)
	if err != nil {
		return err
	}
	return s.st.Tasks(ctx, store.TaskQuery{Projects: myScope(u, u.ScopeOrgIDs), ProjectID: p.ID, IssuesOnly: true, Page: page}, each)
}

// Notes streams a project's published notes.
func (s *Service) Notes(ctx context.Context, u *User, r string, page store.Page, each func(api.Note) error) error {
	if err := require(u, api.PermNotes); err != nil {
		return err
	}
	p, err := s.project(ctx, u, r, true)
	if err != nil {
		return err
	}
	return s.st.Notes(ctx, p.ID, page, each)
}

// AddNote adds a project note written by u.
func (s *Service) AddNote(ctx context.Context, u *User, r string, in api.NewNote) (api.Note, error) {
	if err := require(u, api.PermNotes); err != nil {
		return api.Note{}, err
	}
	if err := firstErr(text("title", in.Title, api.MaxTitle), text("body", in.Body, api.MaxBody)); err != nil {
		return api.Note{}, err
	}
	p, err := s.project(ctx, u, r, true)
	if err != nil {
		return api.Note{}, err
	}
	return s.st.AddNote(ctx, api.Note{ProjectID: p.ID, Title: strings.TrimSpace(in.Title), Body: in.Body, CreatedAt: s.now()}, u.Contact.ID)
}

// Attachments streams a project's attachment metadata.
func (s *Service) Attachments(ctx context.Context, u *User, r string, page store.Page, each func(api.Attachment) error) error {
	if err := require(u, api.PermAttachments); err != nil {
		return err
	}
	p, err := s.project(ctx, u, r, true)
	if err != nil {
		return err
	}
	return s.st.Attachments(ctx, p.ID, page, each)
}

// Attachment returns an attachment's content if its project is accessible;
// the caller closes it.
func (s *Service) Attachment(ctx context.Context, u *User, id int64) (Download, error) {
	if err := require(u, api.PermAttachments); err != nil {
		return Download{}, err
	}
	a, err := s.st.AttachmentContent(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return Download{}, api.NotFound("attachment")
	}
	if err != nil {
		return Download{}, err
	}
	if _, err := s.project(ctx, u, strconv.FormatInt(a.ProjectID, 10), true); err != nil {
		a.Content.Close()
		if api.ErrorCode(err) == api.CodeNotFound {
			return Download{}, api.NotFound("attachment")
		}
		return Download{}, err
	}
	return Download{Attachment: a.Attachment, Content: a.Content}, nil
}

// Calendar streams a project's events between from and to. Reading the
// calendar is part of reading the schedule, so it needs view_schedule.
func (s *Service) Calendar(ctx context.Context, u *User, r string, from, to *time.Time, each func(api.Event) error) error {
	if err := require(u, api.PermViewSchedule); err != nil {
		return err
	}
	if from != nil && to != nil && to.Before(*from) {
		return api.Invalid("to", "to (%s) is before from (%s)", to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	p, err := s.project(ctx, u, r, false)
	if err != nil {
		return err
	}
	return s.st.Events(ctx, p.ID, from, to, each)
}

// Team lists the project team. Any user who can see the project sees its
// team (the portal shows it on every project page).
func (s *Service) Team(ctx context.Context, u *User, r string) ([]api.TeamMember, error) {
	p, err := s.project(ctx, u, r, false)
	if err != nil {
		return nil, err
	}
	return s.st.Team(ctx, p.ID)
}

// EmailTeam emails every team member that has an address, reply-to u.
func (s *Service) EmailTeam(ctx context.Context, u *User, r string, in api.TeamEmail) (api.EmailResult, error) {
	if err := require(u, api.PermEmailTeam); err != nil {
		return api.EmailResult{}, err
	}
	if err := validEmail(in); err != nil {
		return api.EmailResult{}, err
	}
	p, err := s.project(ctx, u, r, false)
	if err != nil {
		return api.EmailResult{}, err
	}
	return s.emailTeam(ctx, u, p, in)
}

func validEmail(in api.TeamEmail) error {
	return firstErr(text("subject", in.Subject, api.MaxSubject), text("body", in.Body, api.MaxBody))
}

func (s *Service) emailTeam(ctx context.Context, u *User, p api.Project, in api.TeamEmail) (api.EmailResult, error) {
	team, err := s.st.Team(ctx, p.ID)
	if err != nil {
		return api.EmailResult{}, err
	}
	var to []string
	for _, m := range team {
		if m.Email != "" && !slices.Contains(to, m.Email) {
			to = append(to, m.Email)
		}
	}
	if len(to) == 0 {
		return api.EmailResult{}, api.Errorf(api.CodeConflict, "nobody on the team of %s has an email address", p.Number)
	}
	portal, err := s.st.Portal(ctx)
	if err != nil {
		return api.EmailResult{}, err
	}
	if err := s.takeEmail(ctx, u); err != nil {
		return api.EmailResult{}, err
	}
	body := fmt.Sprintf("%s\n\n-- \nSent by %s (%s) about project %s %q via %s.\n", in.Body, u.Contact.Name(),
		u.Organization.Name, p.Number, p.Name, orDefault(portal.Name, "the Client Portal"))
	e, err := s.send(ctx, store.Email{Kind: "team_email", SenderID: u.Contact.ID, To: to, ReplyTo: u.Contact.Email,
		Subject: fmt.Sprintf("[%s] %s", p.Number, strings.TrimSpace(in.Subject)), Body: body})
	if err != nil {
		return api.EmailResult{}, err
	}
	status := store.EmailQueued // not (yet) with every recipient: GET /v1/emails/{id} tells who has it
	if e.Status == store.EmailSent {
		status = store.EmailSent
	}
	return api.EmailResult{ID: e.ID, Recipients: to, Status: status}, nil
}

// send records an email and hands it to the outbox for delivery.
func (s *Service) send(ctx context.Context, e store.Email) (store.Email, error) {
	now := s.now().UTC()
	e.CreatedAt, e.NextAttemptAt = now, now
	if s.outbox != nil {
		return s.outbox.Send(ctx, e)
	}
	e.Status = store.EmailQueued
	return s.st.EnqueueEmail(ctx, e)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
