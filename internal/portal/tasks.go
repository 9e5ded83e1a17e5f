package portal

import (
	"context"
	"fmt"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// OpenTasks streams My Open Tasks, optionally of one project.
func (s *Service) OpenTasks(ctx context.Context, u *User, projectRef string, page store.Page, each func(api.Task) error) error {
	q := store.TaskQuery{Projects: myScope(u, u.ScopeOrgIDs), OpenForContactID: u.Contact.ID, Page: page}
	if projectRef != "" {
		p, err := s.project(ctx, u, projectRef, false)
		if err != nil {
			return err
		}
		q.ProjectID = p.ID
	}
	return s.data.Tasks(ctx, q, each)
}

// task returns a visible task of an accessible project. With guard, a task
// of one of u's end-client projects answers 403 read_only instead of 404.
func (s *Service) task(ctx context.Context, u *User, r string, guard bool) (api.Task, error) {
	id, number := ref(r)
	t, found, err := first(func(each func(api.Task) error) error {
		return s.data.Tasks(ctx, store.TaskQuery{Projects: myScope(u, u.ScopeOrgIDs), ID: id, Number: number, Page: store.Page{Limit: 1}}, each)
	})
	if err != nil || found {
		return t, err
	}
	if guard {
		if _, billed, err := s.endClientTask(ctx, u, r); err != nil {
			return t, err
		} else if billed {
			return t, errReadOnly()
		}
		if err := s.ticketReadOnly(ctx, u, r); err != nil {
			return t, err
		}
	}
	return t, api.NotFound("task")
}

// Task returns a task: one of My Projects, or, read-only, a task of an
// end-client project billed to u's organization.
func (s *Service) Task(ctx context.Context, u *User, r string) (api.Task, error) {
	t, err := s.task(ctx, u, r, false)
	if api.ErrorCode(err) != api.CodeNotFound {
		return t, err
	}
	if et, billed, err := s.endClientTask(ctx, u, r); err != nil || billed {
		return et, err
	}
	return t, err
}

// TaskNotes streams a task's published notes.
func (s *Service) TaskNotes(ctx context.Context, u *User, r string, page store.Page, each func(api.TaskNote) error) error {
	t, err := s.task(ctx, u, r, true)
	if err != nil {
		return err
	}
	return s.data.TaskNotes(ctx, t.ID, page, each)
}

// AddTaskNote adds a note (subject and message) to a task.
func (s *Service) AddTaskNote(ctx context.Context, u *User, r string, in api.NewTaskNote) (api.TaskNote, error) {
	if err := firstErr(text("subject", in.Subject, api.MaxSubject), text("body", in.Body, api.MaxBody)); err != nil {
		return api.TaskNote{}, err
	}
	t, err := s.task(ctx, u, r, true)
	if err != nil {
		return api.TaskNote{}, err
	}
	to, err := s.notifyFirst(ctx, u, t)
	if err != nil {
		return api.TaskNote{}, err
	}
	n, err := s.source.AddTaskNote(ctx, api.TaskNote{TaskID: t.ID, Subject: strings.TrimSpace(in.Subject), Body: in.Body, CreatedAt: s.now()}, u.Contact.ID)
	if err != nil {
		return n, err
	}
	return n, s.notify(ctx, u, to, fmt.Sprintf("New note on %s: %s", t.Number, n.Subject),
		fmt.Sprintf("%s added a note to task %s %q (project %s):\n\n%s\n\n%s\n", u.Contact.Name(), t.Number, t.Title, t.ProjectNumber, n.Subject, n.Body))
}

// CompleteTask completes a client-completable task whose contact is u.
// Completing a complete task succeeds and changes nothing.
func (s *Service) CompleteTask(ctx context.Context, u *User, r string) (api.CompleteResult, error) {
	t, err := s.task(ctx, u, r, true)
	if err != nil {
		return api.CompleteResult{}, err
	}
	if !t.ClientCompletable {
		return api.CompleteResult{}, api.Errorf(api.CodeForbidden, "task %s cannot be completed from the portal; your provider completes it", t.Number)
	}
	if t.ContactID == nil || *t.ContactID != u.Contact.ID {
		return api.CompleteResult{}, api.Errorf(api.CodeForbidden, "only the task's contact can complete task %s", t.Number)
	}
	var to string
	if t.Status != "complete" { // completing it again sends nothing
		if to, err = s.notifyFirst(ctx, u, t); err != nil {
			return api.CompleteResult{}, err
		}
	}
	changed, err := s.source.CompleteTask(ctx, t.ID, u.Contact.ID, s.now())
	if err != nil {
		return api.CompleteResult{}, err
	}
	after, err := s.task(ctx, u, fmt.Sprint(t.ID), false)
	if err != nil {
		return api.CompleteResult{}, err
	}
	if changed {
		err = s.notify(ctx, u, to, fmt.Sprintf("Task %s completed by the client", t.Number),
			fmt.Sprintf("%s completed task %s %q (project %s).\n", u.Contact.Name(), t.Number, t.Title, t.ProjectNumber))
	}
	return api.CompleteResult{Task: after, AlreadyComplete: !changed}, err
}

// notifyFirst finds whom client activity on t is to be told about (the
// task's assigned resource, when the organization's notify_resources
// setting is on; "" for nobody) and, when someone, takes the email from
// u's allowance: before the change is written, so that a user past it
// gets 429 with nothing changed, and may simply try again.
func (s *Service) notifyFirst(ctx context.Context, u *User, t api.Task) (string, error) {
	if !u.Organization.NotifyResources {
		return "", nil
	}
	r, err := s.data.TaskAssignee(ctx, t.ID)
	if err != nil || r.Email == "" {
		return "", nil // unassigned, or nobody to tell
	}
	return r.Email, s.takeEmail(ctx, u)
}

// notify emails to (from notifyFirst) about client activity.
func (s *Service) notify(ctx context.Context, u *User, to, subject, body string) error {
	if to == "" {
		return nil
	}
	_, err := s.send(ctx, store.Email{Kind: "notification", SenderID: u.Contact.ID, To: []string{to}, ReplyTo: u.Contact.Email, Subject: subject, Body: body})
	return err
}
