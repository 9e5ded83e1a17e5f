package portal

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// billingOrg returns u's organization id if it is the billing organization
// on some contract, else 403 not_billing_organization.
func (s *Service) billingOrg(ctx context.Context, u *User) (int64, error) {
	ok, err := s.st.IsBillingOrganization(ctx, u.Organization.ID)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, api.Errorf(api.CodeNotBillingOrganization,
			"your organization (%s) is not the billing organization on any contract, so it has no end-client projects", u.Organization.Name)
	}
	return u.Organization.ID, nil
}

// EndClients lists the clients with projects billed to u's organization.
func (s *Service) EndClients(ctx context.Context, u *User) ([]api.EndClient, error) {
	org, err := s.billingOrg(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.st.EndClients(ctx, org)
}

// clientFilter resolves --client by id or name among the end clients.
func (s *Service) clientFilter(ctx context.Context, org int64, client string) (int64, error) {
	client = strings.TrimSpace(client)
	if client == "" || strings.EqualFold(client, "all") {
		return 0, nil
	}
	clients, err := s.st.EndClients(ctx, org)
	if err != nil {
		return 0, err
	}
	names := []string{"all"}
	for _, c := range clients {
		if strconv.FormatInt(c.ID, 10) == client || strings.EqualFold(c.Name, client) {
			return c.ID, nil
		}
		names = append(names, fmt.Sprintf("%d (%s)", c.ID, c.Name))
	}
	return 0, api.Invalid("client", "unknown end client %q: choose %s", client, strings.Join(names, ", ")).With("choices", names)
}

// EndClientProjects streams the projects billed to u's organization, with
// the hours billed to it.
func (s *Service) EndClientProjects(ctx context.Context, u *User, f EndClientFilter, page store.Page, each func(api.EndClientProject) error) error {
	org, err := s.billingOrg(ctx, u)
	if err != nil {
		return err
	}
	client, err := s.clientFilter(ctx, org, f.Client)
	if err != nil {
		return err
	}
	return s.st.EndClientProjects(ctx, store.EndClientQuery{BillingOrgID: org, ClientID: client,
		IncludeCompleted: f.IncludeCompleted, Page: page}, each)
}

// endClientProject looks up one of u's end-client projects; ok is false
// when u's organization bills nothing or the project is not one of them.
func (s *Service) endClientProject(ctx context.Context, u *User, r string) (api.EndClientProject, bool, error) {
	ok, err := s.st.IsBillingOrganization(ctx, u.Organization.ID)
	if err != nil || !ok {
		return api.EndClientProject{}, false, err
	}
	id, number := ref(r)
	return first(func(each func(api.EndClientProject) error) error {
		return s.st.EndClientProjects(ctx, store.EndClientQuery{BillingOrgID: u.Organization.ID, ID: id, Number: number,
			IncludeCompleted: true, Page: store.Page{Limit: 1}}, each)
	})
}

// EndClientProject returns the read-only view of an end-client project.
func (s *Service) EndClientProject(ctx context.Context, u *User, r string) (api.EndClientProject, error) {
	if _, err := s.billingOrg(ctx, u); err != nil {
		return api.EndClientProject{}, err
	}
	p, ok, err := s.endClientProject(ctx, u, r)
	if err == nil && !ok {
		err = api.NotFound("end-client project")
	}
	return p, err
}

// EndClientSchedule is the schedule limited to the tasks billed to u's
// organization.
func (s *Service) EndClientSchedule(ctx context.Context, u *User, r string) (api.Schedule, error) {
	if err := require(u, api.PermViewSchedule); err != nil {
		return api.Schedule{}, err
	}
	p, err := s.EndClientProject(ctx, u, r)
	if err != nil {
		return api.Schedule{}, err
	}
	return s.schedule(ctx, p.ID, store.TaskQuery{BilledToOrgID: u.Organization.ID, ProjectID: p.ID})
}

// EndClientTeam lists an end-client project's team.
func (s *Service) EndClientTeam(ctx context.Context, u *User, r string) ([]api.TeamMember, error) {
	p, err := s.EndClientProject(ctx, u, r)
	if err != nil {
		return nil, err
	}
	return s.st.Team(ctx, p.ID)
}

// EndClientEmailTeam emails an end-client project's team (allowed, as on
// the portal's summary page).
func (s *Service) EndClientEmailTeam(ctx context.Context, u *User, r string, in api.TeamEmail) (api.EmailResult, error) {
	if err := require(u, api.PermEmailTeam); err != nil {
		return api.EmailResult{}, err
	}
	if err := validEmail(in); err != nil {
		return api.EmailResult{}, err
	}
	p, err := s.EndClientProject(ctx, u, r)
	if err != nil {
		return api.EmailResult{}, err
	}
	return s.emailTeam(ctx, u, p.Project, in)
}

// endClientTask finds a task billed to u's organization on one of its
// end-client projects.
func (s *Service) endClientTask(ctx context.Context, u *User, r string) (api.Task, bool, error) {
	ok, err := s.st.IsBillingOrganization(ctx, u.Organization.ID)
	if err != nil || !ok {
		return api.Task{}, false, err
	}
	id, number := ref(r)
	return first(func(each func(api.Task) error) error {
		return s.st.Tasks(ctx, store.TaskQuery{BilledToOrgID: u.Organization.ID, ID: id, Number: number, Page: store.Page{Limit: 1}}, each)
	})
}

// BilledHours streams the billing items billed to u's organization, or
// with f.Since the changes since that position, as entries. head, when not
// nil, gets the billing feed position the rows bring the reader to, before
// any row (stores without a feed give none).
func (s *Service) BilledHours(ctx context.Context, u *User, f BilledHoursFilter, page store.Page,
	head func(store.FeedPosition) error, each func(api.BilledHoursRow) error) error {
	q, err := s.billedQuery(ctx, u, f, page)
	if err != nil {
		return err
	}
	feed, ok := s.st.(store.BillingFeed)
	if !ok {
		if f.Since != nil {
			return api.Errorf(api.CodeNotSupported, "this portal's data source keeps no change feed of billed hours: "+
				"incremental exports (since) need portald on SQLite or PostgreSQL")
		}
		return s.st.BilledHours(ctx, q, func(r api.BilledHoursRow) error {
			r.Entry = api.EntryNew
			return each(r)
		})
	}
	if f.Since != nil {
		q.Changes = &store.FeedRange{Since: f.Since.Position, Until: f.Until}
	}
	return feed.BilledHoursFeed(ctx, q, func(p store.FeedPosition) error {
		if err := checkSince(f, p); err != nil {
			return err
		}
		if f.Until > 0 {
			p.Position = f.Until
		}
		if head == nil {
			return nil
		}
		return head(p)
	}, each)
}

// billedQuery is the store query of billed items in f that u may read.
func (s *Service) billedQuery(ctx context.Context, u *User, f BilledHoursFilter, page store.Page) (store.BilledHoursQuery, error) {
	org, err := s.billingOrg(ctx, u)
	if err != nil {
		return store.BilledHoursQuery{}, err
	}
	q := store.BilledHoursQuery{BillingOrgID: org, AfterID: f.AfterID, Page: page}
	for _, d := range []struct {
		field string
		in    string
		out   *api.Date
	}{{"from", f.From, &q.From}, {"to", f.To, &q.To}} {
		if d.in == "" {
			continue
		}
		date, err := api.ParseDate(d.in)
		if err != nil {
			return q, api.Invalid(d.field, "%s: %s", d.field, err.Error())
		}
		*d.out = date
	}
	if q.From != "" && q.To != "" && q.To < q.From {
		return q, api.Invalid("to", "to (%s) is before from (%s)", q.To, q.From)
	}
	q.ClientID, err = s.clientFilter(ctx, org, f.Client)
	return q, err
}

// checkSince refuses a position the store's feed never gave: one of
// another database (replaced), or ahead of it (restored from a backup).
// Either way the reader's state no longer describes this data.
func checkSince(f BilledHoursFilter, now store.FeedPosition) error {
	if f.Since == nil {
		return nil
	}
	if f.Since.Feed != now.Feed {
		return api.Errorf(api.CodeConflict, "since %s:%d belongs to another portal database (this one's feed is %s): "+
			"the database was replaced; start a new incremental export", f.Since.Feed, f.Since.Position, now.Feed).
			With("field", "since").With("feed", now.Feed)
	}
	if f.Since.Position > now.Position || f.Until > now.Position {
		return api.Errorf(api.CodeConflict, "since %s:%d is ahead of this database's billing feed (at %d): "+
			"was it restored from a backup? Start a new incremental export", f.Since.Feed, max(f.Since.Position, f.Until), now.Position).
			With("field", "since").With("feed", now.Feed)
	}
	return nil
}
