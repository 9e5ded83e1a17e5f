package autotask

import (
	"context"
	"strconv"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// projectStatuses are the portal's project statuses; any other Autotask
// status label reads as in_progress.
var projectStatuses = map[string]bool{api.ProjectNew: true, api.ProjectInProgress: true, api.ProjectOnHold: true,
	api.ProjectInactive: true, api.ProjectComplete: true}

// clientProjects is "a client project of one of orgIDs" (and, with a
// member, "with that contact in the Portal Team Contacts UDF").
func (s *Store) scopeFilters(ctx context.Context, sc store.ProjectScope) ([]at.Filter, error) {
	client, err := s.pickID(ctx, "Projects", "projectType", "client")
	if err != nil {
		return nil, err
	}
	f := []at.Filter{at.Eq("projectType", client), anyIn("companyID", sc.OrgIDs)}
	if sc.MemberContactID > 0 {
		f = append(f, s.teamFilter(sc.MemberContactID))
	}
	return f, nil
}

// teamFilter matches projects whose team UDF (",id,id,") holds the contact.
func (s *Store) teamFilter(contactID int64) at.Filter {
	return at.Contains(s.opt.UDFs.TeamContacts, ","+strconv.FormatInt(contactID, 10)+",").AsUDF()
}

// projectFilters adds the id, number and status filters of a project list.
func (s *Store) projectFilters(ctx context.Context, f []at.Filter, id int64, number string, includeCompleted bool, page store.Page) ([]at.Filter, error) {
	if id > 0 {
		f = append(f, at.Eq("id", id))
	}
	if number != "" {
		f = append(f, at.Eq("projectNumber", number))
	}
	if !includeCompleted {
		p, err := s.picklists(ctx, "Projects")
		if err != nil {
			return nil, err
		}
		if complete, ok := p.id("status", api.ProjectComplete); ok {
			f = append(f, at.NotEq("status", complete))
		}
	}
	if page.After != nil {
		f = append(f, at.Gt("id", page.After.ID))
	}
	return f, nil
}

// streamProjects reads projects and maps them in batches (company names
// from the cache, lead names with one lookup per batch).
func (s *Store) streamProjects(ctx context.Context, filters []at.Filter, limit int, each func(atProject, api.Project) error) error {
	pl, err := s.picklists(ctx, "Projects")
	if err != nil {
		return err
	}
	companies, err := s.companyMap(ctx)
	if err != nil {
		return err
	}
	b := batcher[atProject]{flush: func(ps []atProject) error {
		var leads idSet
		for _, p := range ps {
			leads.add(p.ProjectLeadResourceID)
		}
		n, err := s.names(ctx, leads, idSet{})
		if err != nil {
			return err
		}
		for _, p := range ps {
			if err := each(p, toProject(p, pl, companies, n)); err != nil {
				return err
			}
		}
		return nil
	}}
	if err := query(ctx, s.c, "Projects", filters, projectFields, limit, b.add); err != nil {
		return err
	}
	return b.done()
}

func toProject(p atProject, pl picklists, companies map[int64]atCompany, n names) api.Project {
	status := pl.name("status", p.Status)
	if !projectStatuses[status] {
		status = api.ProjectInProgress
	}
	return api.Project{ID: p.ID, Number: p.ProjectNumber, Name: p.ProjectName, Status: status,
		OrganizationID: p.CompanyID, OrganizationName: companies[p.CompanyID].CompanyName,
		StartDate: date(p.StartDateTime), EndDate: date(p.EndDateTime), CompletedAt: timePtr(p.CompletedDateTime),
		Lead: of(n.resources, p.ProjectLeadResourceID), Description: p.Description,
		EstimatedHours: p.EstimatedTime.ptr(), PercentComplete: p.CompletedPercentage.ptr()}
}

// Projects streams the client projects in q's scope, ordered by id, with
// every filter pushed into one Autotask query.
func (s *Store) Projects(ctx context.Context, q store.ProjectQuery, each func(api.Project) error) error {
	if len(q.Scope.OrgIDs) == 0 {
		return nil
	}
	f, err := s.scopeFilters(ctx, q.Scope)
	if err != nil {
		return err
	}
	if f, err = s.projectFilters(ctx, f, q.ID, q.Number, q.IncludeCompleted, q.Page); err != nil {
		return err
	}
	if q.Search != "" {
		f = append(f, at.Or(at.Contains("projectNumber", q.Search), at.Contains("projectName", q.Search)))
	}
	return s.streamProjects(ctx, f, q.Page.Limit, func(_ atProject, p api.Project) error { return each(p) })
}

// IsTeamMember counts the project if the contact is in its team UDF.
func (s *Store) IsTeamMember(ctx context.Context, projectID, contactID int64) (bool, error) {
	n, err := s.c.Count(ctx, "Projects", []at.Filter{at.Eq("id", projectID), s.teamFilter(contactID)})
	return n > 0, upstream(err)
}

// Phases lists a project's phases ordered by position. Autotask's REST API
// exposes no order of phases and tasks, so positions are numbered within
// each level (the project, or a parent phase): phases first, then tasks,
// each by id (see positions).
func (s *Store) Phases(ctx context.Context, projectID int64) ([]store.Phase, error) {
	phases, err := s.projectPhases(ctx, projectID)
	if err != nil {
		return nil, err
	}
	pos := positions(phases, nil)
	out := []store.Phase{}
	for _, ph := range phases {
		out = append(out, store.Phase{ID: ph.ID, ProjectID: ph.ProjectID, ParentPhaseID: ph.ParentPhaseID, Title: ph.Title,
			Position: pos.phases[ph.ID], StartDate: date(ph.StartDate), DueDate: date(ph.DueDate)})
	}
	sortByPosition(out, func(p store.Phase) (int, int64) { return p.Position, p.ID })
	return out, nil
}

func (s *Store) projectPhases(ctx context.Context, projectID int64) ([]atPhase, error) {
	var phases []atPhase
	err := query(ctx, s.c, "Phases", []at.Filter{at.Eq("projectID", projectID)},
		[]string{"id", "projectID", "parentPhaseID", "title", "startDate", "dueDate"}, 0,
		func(ph atPhase) error { phases = append(phases, ph); return nil })
	return phases, err
}

// Events: the Autotask REST API has no project calendar.
func (s *Store) Events(context.Context, int64, *time.Time, *time.Time, func(api.Event) error) error {
	return store.ErrUnsupported
}
