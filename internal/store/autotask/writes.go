package autotask

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
	"github.com/portalctl/portalctl/pkg/api"
)

// Writes go to Autotask first; what Autotask then holds is read back (one
// call) and written into the copy, so the user reads their own write at
// once and the copy never holds what Autotask refused.

// newNote is a ProjectNotes or TaskNotes record written by a portal
// contact, published to "All Autotask Users" (the portal shows only
// those), as the tenant's portal note type. Project notes need
// isAnnouncement (WYRE-AI/autotask-mcp #41; Anteris ProjectNoteEntity).
type newNote struct {
	Title              string `json:"title"`
	Description        string `json:"description"`
	Publish            int64  `json:"publish"`
	NoteType           int64  `json:"noteType"`
	IsAnnouncement     *bool  `json:"isAnnouncement,omitempty"`
	CreatedByContactID int64  `json:"createdByContactID"`
}

// noteSettings are the publish and note type values of an entity's notes.
func (s *Store) noteSettings(ctx context.Context, entity string) (publish, noteType int64, err error) {
	p, err := s.picklists(ctx, entity)
	if err != nil {
		return 0, 0, err
	}
	publish, ok := p.id("publish", "all_autotask_users")
	if !ok {
		return 0, 0, missingPick(entity, "publish", "All Autotask Users")
	}
	noteType, ok = p.id("noteType", enumName(s.opt.NoteType))
	if !ok {
		return 0, 0, missingPick(entity, "noteType", s.opt.NoteType)
	}
	return publish, noteType, nil
}

func missingPick(entity, field, label string) error {
	return &store.UnavailableError{Reason: fmt.Sprintf("Autotask's %s %s picklist has no value labelled %q; "+
		"run portald autotask check to see what to create", entity, field, label)}
}

// AddNote files a published project note by a contact.
func (s *Store) AddNote(ctx context.Context, n api.Note, authorContactID int64) (api.Note, error) {
	publish, noteType, err := s.noteSettings(ctx, "ProjectNotes")
	if err != nil {
		return api.Note{}, err
	}
	no := false
	id, err := s.c.Create(ctx, fmt.Sprintf("Projects/%d/Notes", n.ProjectID), newNote{Title: n.Title, Description: n.Body,
		Publish: publish, NoteType: noteType, IsAnnouncement: &no, CreatedByContactID: authorContactID})
	if err != nil {
		return api.Note{}, upstream(err)
	}
	var rec atNote
	if err := s.c.GetChild(ctx, "Projects", n.ProjectID, "Notes", id, &rec); err != nil {
		return api.Note{}, upstream(err)
	}
	rec.Publish = pickID(publish)
	if err := s.copyNotes(ctx, []atNote{rec}, "project_notes", "projects", publish, func(n atNote) int64 { return n.ProjectID },
		func(n atNote, a authors) any {
			return &dataset.ProjectNote{ID: n.ID, ProjectID: n.ProjectID, Title: n.Title, Body: n.Description,
				AuthorResourceID: a.resource, AuthorContactID: a.contact, CreatedAt: noteTime(n), Published: true}
		}); err != nil {
		return api.Note{}, err
	}
	out, found, err := first(func(each func(api.Note) error) error {
		return s.Local.Notes(ctx, n.ProjectID, store.Page{After: &store.Key{ID: id - 1}, Limit: 1}, each)
	})
	if err == nil && !found {
		err = store.ErrNotFound
	}
	return out, err
}

// AddTaskNote files a published task note by a contact.
func (s *Store) AddTaskNote(ctx context.Context, n api.TaskNote, authorContactID int64) (api.TaskNote, error) {
	publish, noteType, err := s.noteSettings(ctx, "TaskNotes")
	if err != nil {
		return api.TaskNote{}, err
	}
	id, err := s.c.Create(ctx, fmt.Sprintf("Tasks/%d/Notes", n.TaskID), newNote{Title: n.Subject, Description: n.Body,
		Publish: publish, NoteType: noteType, CreatedByContactID: authorContactID})
	if err != nil {
		return api.TaskNote{}, upstream(err)
	}
	var rec atNote
	if err := s.c.GetChild(ctx, "Tasks", n.TaskID, "Notes", id, &rec); err != nil {
		return api.TaskNote{}, upstream(err)
	}
	rec.Publish = pickID(publish)
	if err := s.copyNotes(ctx, []atNote{rec}, "task_notes", "tasks", publish, func(n atNote) int64 { return n.TaskID },
		func(n atNote, a authors) any {
			return &dataset.TaskNote{ID: n.ID, TaskID: n.TaskID, Subject: n.Title, Body: n.Description,
				AuthorResourceID: a.resource, AuthorContactID: a.contact, CreatedAt: noteTime(n), Published: true}
		}); err != nil {
		return api.TaskNote{}, err
	}
	out, found, err := first(func(each func(api.TaskNote) error) error {
		return s.Local.TaskNotes(ctx, n.TaskID, store.Page{After: &store.Key{ID: id - 1}, Limit: 1}, each)
	})
	if err == nil && !found {
		err = store.ErrNotFound
	}
	return out, err
}

// copyNotes writes notes read back from Autotask into the copy.
func (s *Store) copyNotes(ctx context.Context, notes []atNote, table, parents string, published int64,
	parent func(atNote) int64, record func(atNote, authors) any) error {
	p := &pass{y: s.y}
	later, err := p.writeNotes(ctx, notes, table, parents, published, parent, record)
	if err == nil && len(later) > 0 {
		err = fmt.Errorf("the note's %s is not in the copy yet", parents)
	}
	return err
}

func udfValue(name string, id int64) []at.UDF {
	v := strconv.FormatInt(id, 10)
	return []at.UDF{{Name: name, Value: &v}}
}

// CompleteTask sets the task's status to Complete (Autotask stamps its
// completedDateTime) and the Portal Completed By UDF, unless the copy
// already has it complete.
func (s *Store) CompleteTask(ctx context.Context, taskID, contactID int64, _ time.Time) (bool, error) {
	t, err := s.Local.TaskByID(ctx, taskID)
	if err != nil || t.Status == api.TaskComplete {
		return false, err
	}
	complete, err := s.pickID(ctx, "Tasks", "status", api.TaskComplete)
	if err != nil {
		return false, err
	}
	_, err = s.c.Update(ctx, fmt.Sprintf("Projects/%d/Tasks", t.ProjectID), struct {
		ID     int64    `json:"id"`
		Status int64    `json:"status"`
		UDFs   []at.UDF `json:"userDefinedFields"`
	}{taskID, complete, udfValue(s.opt.UDFs.CompletedBy, contactID)})
	if err != nil {
		return false, upstream(err)
	}
	return true, s.copyTask(ctx, t.ProjectID, taskID)
}

// copyTask reads a task back from Autotask into the copy.
func (s *Store) copyTask(ctx context.Context, projectID, taskID int64) error {
	var x atTask
	if err := s.c.GetChild(ctx, "Projects", projectID, "Tasks", taskID, &x); err != nil {
		return upstream(err)
	}
	pl, err := s.picklists(ctx, "Tasks")
	if err != nil {
		return err
	}
	return s.Local.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
		r := newRefs(m)
		r.needOpt("resources", x.AssignedResourceID)
		r.needOpt("contacts", udfID(x.UDFs, s.opt.UDFs.Contact))
		r.needOpt("contacts", udfID(x.UDFs, s.opt.UDFs.CompletedBy))
		if err := r.load(); err != nil {
			return err
		}
		if err := m.Write(taskRecord(x, r, pl, s.opt.UDFs)); err != nil {
			return err
		}
		return renumber(m, []int64{projectID})
	})
}

// newTask is the project-level Task an issue becomes.
type newTask struct {
	ProjectID     int64    `json:"projectID"`
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Status        int64    `json:"status"`
	TaskType      int      `json:"taskType"`
	Category      int64    `json:"taskCategoryID"`
	Priority      *int64   `json:"priorityLabel,omitempty"`
	Visible       bool     `json:"isVisibleInClientPortal"`
	ClientCanDone bool     `json:"canClientPortalUserCompleteTask"`
	UDFs          []at.UDF `json:"userDefinedFields"`
	ExternalID    string   `json:"externalID,omitempty"` // issueMarker, with an Idempotency-Key
}

// CreateIssue files an issue as a project-level Task (category Issue,
// status New, the contact in the Portal Contact UDF). It cannot be one
// transaction with the local idempotency key, so the key is reserved
// first (TaskID 0; a second request with it gets store.ErrConflict), the
// task created, then the key pointed at it. The reservation is deleted
// only when Autotask certainly created nothing; after a timeout or 5xx it
// stays, so a retry can never file the issue twice.
func (s *Store) CreateIssue(ctx context.Context, in store.NewIssue, key *store.Idempotency) (api.Task, error) {
	t, err := s.issueTask(ctx, in)
	if err != nil {
		return api.Task{}, err
	}
	if key != nil {
		if err := s.Local.ReserveIdempotencyKey(ctx, *key); err != nil {
			return api.Task{}, err
		}
		t.ExternalID = issueMarker(key.ContactID, key.Key)
	}
	id, err := s.c.Create(ctx, fmt.Sprintf("Projects/%d/Tasks", in.ProjectID), t)
	if err != nil {
		if key != nil && definitelyRefused(err) {
			if derr := s.Local.DeleteIdempotencyKey(ctx, key.ContactID, key.Key); derr != nil {
				return api.Task{}, derr
			}
		}
		return api.Task{}, upstream(err)
	}
	if key != nil {
		if err := s.Local.SetIdempotencyTask(ctx, key.ContactID, key.Key, id); err != nil {
			return api.Task{}, err
		}
	}
	return s.readTask(ctx, in.ProjectID, id)
}

// readTask returns a task Autotask created, from the copy (read back first
// when the copy lacks it).
func (s *Store) readTask(ctx context.Context, projectID, id int64) (api.Task, error) {
	if t, err := s.Local.TaskByID(ctx, id); err == nil {
		return t.Task, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return api.Task{}, err
	}
	if err := s.copyTask(ctx, projectID, id); err != nil {
		return api.Task{}, err
	}
	t, err := s.Local.TaskByID(ctx, id)
	return t.Task, err
}

func (s *Store) issueTask(ctx context.Context, in store.NewIssue) (newTask, error) {
	t := newTask{ProjectID: in.ProjectID, Title: in.Title, Description: in.Description, TaskType: 1, Visible: true,
		UDFs: udfValue(s.opt.UDFs.Contact, in.ContactID)}
	var err error
	if t.Status, err = s.pickID(ctx, "Tasks", "status", api.TaskNew); err != nil {
		return t, err
	}
	if t.Category, err = s.pickID(ctx, "Tasks", "taskCategoryID", "issue"); err != nil {
		return t, err
	}
	if in.Priority != "" {
		p, err := s.pickID(ctx, "Tasks", "priorityLabel", in.Priority)
		if err != nil {
			return t, err
		}
		t.Priority = &p
	}
	return t, nil
}

// first returns the single row a list call yields, or found=false.
func first[T any](list func(each func(T) error) error) (T, bool, error) {
	var out T
	found := false
	err := list(func(v T) error { out, found = v, true; return nil })
	return out, found, err
}
