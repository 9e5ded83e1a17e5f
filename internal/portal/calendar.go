package portal

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/ical"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// CalendarFeed builds u's calendar feed (docs/calendar.md): the events of
// the calendars of My Projects (open ones; with view_schedule, as
// the project calendar needs), the start and end dates of those projects,
// and the due dates of My Open Tasks. With projectRef, only that project
// (whatever its status). The items carry no revision yet: the caller
// compares the ETag first, then calls VersionCalendar.
//
// A store without a project calendar (Autotask) still gives the project
// and task dates.
func (s *Service) CalendarFeed(ctx context.Context, u *User, projectRef string) (ical.Calendar, error) {
	portal, err := s.data.Portal(ctx)
	if err != nil {
		return ical.Calendar{}, err
	}
	cal := ical.Calendar{Name: orDefault(portal.Name, "Client Portal") + ": " + u.Contact.Name(), TimeZone: u.Organization.TimeZone}
	pq := store.ProjectQuery{Scope: myScope(u, u.ScopeOrgIDs)}
	tq := store.TaskQuery{Projects: pq.Scope, OpenForContactID: u.Contact.ID}
	if projectRef != "" {
		p, err := s.project(ctx, u, projectRef, false)
		if err != nil {
			return ical.Calendar{}, err
		}
		pq.ID, pq.IncludeCompleted, tq.ProjectID = p.ID, true, p.ID
		cal.Name = orDefault(portal.Name, "Client Portal") + ": " + p.Number + " " + p.Name
	}
	projects := map[int64]api.Project{}
	err = s.data.Projects(ctx, pq, func(p api.Project) error {
		projects[p.ID] = p
		cal.Items = append(cal.Items, projectDates(p)...)
		return nil
	})
	if err != nil {
		return ical.Calendar{}, err
	}
	if u.Can(api.PermViewSchedule) {
		err := s.data.ProjectEvents(ctx, pq, func(e api.Event) error {
			cal.Items = append(cal.Items, eventItem(e, projects[e.ProjectID]))
			return nil
		})
		if err != nil && !errors.Is(err, store.ErrUnsupported) {
			return ical.Calendar{}, err
		}
	}
	err = s.data.Tasks(ctx, tq, func(t api.Task) error {
		if t.DueDate != nil {
			cal.Items = append(cal.Items, taskDue(t))
		}
		return nil
	})
	return cal, err
}

// VersionCalendar fills in each item's revision and the UIDs' domain from
// the store's record of the items' content hashes (store.CalendarVersions).
func (s *Service) VersionCalendar(ctx context.Context, cal *ical.Calendar) error {
	versions := make([]store.CalendarVersion, len(cal.Items))
	for i := range cal.Items {
		versions[i] = store.CalendarVersion{UID: cal.Items[i].Key, Hash: cal.Items[i].Hash()}
	}
	domain, err := s.calendar.CalendarVersions(ctx, s.now(), versions)
	if err != nil {
		return err
	}
	cal.Domain = domain
	for i, v := range versions {
		cal.Items[i].Sequence, cal.Items[i].Modified = v.Sequence, v.Modified
	}
	return nil
}

// projectDates are a project's start and end, each an all-day item.
func projectDates(p api.Project) []ical.Item {
	var items []ical.Item
	for _, d := range []struct {
		key, label string
		date       *api.Date
	}{{"start", "starts", p.StartDate}, {"end", "ends", p.EndDate}} {
		if d.date == nil {
			continue
		}
		items = append(items, ical.Item{Key: fmt.Sprintf("project-%d-%s", p.ID, d.key), Category: "Project dates",
			Summary: fmt.Sprintf("%s %s (%s)", p.Name, d.label, p.Number), AllDay: true, StartDate: *d.date, EndDate: nextDay(*d.date),
			Description: projectLine(p)})
	}
	return items
}

// eventItem is a project calendar event. An all-day event's days are the
// UTC dates of its starts_at and ends_at (the import format gives all-day
// events as UTC midnights; ends_at is exclusive at midnight, else its day
// is the last): never converted to a time zone, so never shifted.
func eventItem(e api.Event, p api.Project) ical.Item {
	it := ical.Item{Key: fmt.Sprintf("event-%d", e.ID), Category: "Project event", Summary: e.Title, Location: e.Location,
		Description: strings.TrimSpace(e.Description + "\n\n" + projectLine(p))}
	if !e.AllDay {
		it.Start, it.End = e.StartsAt, e.EndsAt
		if it.End.Before(it.Start) {
			it.End = it.Start
		}
		return it
	}
	it.AllDay = true
	it.StartDate = api.Date(e.StartsAt.UTC().Format(time.DateOnly))
	end := e.EndsAt.UTC()
	it.EndDate = api.Date(end.Format(time.DateOnly))
	if end.Truncate(24*time.Hour) != end { // ends during its day: that day is the last
		it.EndDate = nextDay(it.EndDate)
	}
	if it.EndDate <= it.StartDate {
		it.EndDate = nextDay(it.StartDate)
	}
	return it
}

// taskDue is an open task's due date, an all-day item.
func taskDue(t api.Task) ical.Item {
	return ical.Item{Key: fmt.Sprintf("task-%d-due", t.ID), Category: "Task due",
		Summary: fmt.Sprintf("Due: %s (%s)", t.Title, t.Number), AllDay: true, StartDate: *t.DueDate, EndDate: nextDay(*t.DueDate),
		Description: fmt.Sprintf("Task %s of project %s %s, status %s.", t.Number, t.ProjectNumber, t.ProjectName, t.Status)}
}

func projectLine(p api.Project) string {
	if p.ID == 0 {
		return ""
	}
	return fmt.Sprintf("Project %s %s (%s).", p.Number, p.Name, p.OrganizationName)
}

func nextDay(d api.Date) api.Date {
	t, _ := time.Parse(time.DateOnly, string(d))
	return api.Date(t.AddDate(0, 0, 1).Format(time.DateOnly))
}

// CalendarAPI is the calendar feed and its subscriptions, as the HTTP
// layer sees them.
type CalendarAPI interface {
	CalendarFeed(ctx context.Context, u *User, projectRef string) (ical.Calendar, error)
	VersionCalendar(ctx context.Context, cal *ical.Calendar) error
	AuthenticateFeed(ctx context.Context, secret string) (*User, error)
	CreateCalendarFeed(ctx context.Context, u *User, in api.NewCalendarFeed) (api.CreatedCalendarFeed, error)
	CalendarFeeds(ctx context.Context, u *User) ([]api.CalendarFeed, error)
	RevokeCalendarFeed(ctx context.Context, u *User, id int64) error
}
