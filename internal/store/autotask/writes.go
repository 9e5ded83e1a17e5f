package autotask

import (
	"context"
	"fmt"
	"strconv"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// newNote is a ProjectNotes or TaskNotes record written by a portal contact,
// published to "All Autotask Users" (the portal shows only those).
type newNote struct {
	ProjectID          int64  `json:"projectID,omitempty"`
	TaskID             int64  `json:"taskID,omitempty"`
	Title              string `json:"title"`
	Description        string `json:"description"`
	Publish            int64  `json:"publish"`
	NoteType           int    `json:"noteType"`
	CreatedByContactID int64  `json:"createdByContactID"`
}

func (s *Store) addNote(ctx context.Context, entity, path string, n newNote) (int64, string, error) {
	published, err := s.pickID(ctx, entity, "publish", "all_autotask_users")
	if err != nil {
		return 0, "", err
	}
	n.Publish, n.NoteType = published, 1
	id, err := s.c.Create(ctx, path, n)
	if err != nil {
		return 0, "", upstream(err)
	}
	c, err := s.contactMap(ctx, []int64{n.CreatedByContactID})
	return id, c[n.CreatedByContactID].name(), err
}

// AddNote creates a published project note by a contact.
func (s *Store) AddNote(ctx context.Context, n api.Note, authorContactID int64) (api.Note, error) {
	id, author, err := s.addNote(ctx, "ProjectNotes", fmt.Sprintf("Projects/%d/Notes", n.ProjectID),
		newNote{ProjectID: n.ProjectID, Title: n.Title, Description: n.Body, CreatedByContactID: authorContactID})
	n.ID, n.Author, n.CreatedAt = id, author, n.CreatedAt.UTC().Truncate(time.Second)
	return n, err
}

// AddTaskNote creates a published task note by a contact.
func (s *Store) AddTaskNote(ctx context.Context, n api.TaskNote, authorContactID int64) (api.TaskNote, error) {
	id, author, err := s.addNote(ctx, "TaskNotes", fmt.Sprintf("Tasks/%d/Notes", n.TaskID),
		newNote{TaskID: n.TaskID, Title: n.Subject, Description: n.Body, CreatedByContactID: authorContactID})
	n.ID, n.Author, n.CreatedAt = id, author, n.CreatedAt.UTC().Truncate(time.Second)
	return n, err
}

func udfValue(name string, id int64) []at.UDF {
	v := strconv.FormatInt(id, 10)
	return []at.UDF{{Name: name, Value: &v}}
}

// CompleteTask sets the task's status to Complete (Autotask stamps its
// completedDateTime) and the Portal Completed By UDF, unless it already is
// complete.
func (s *Store) CompleteTask(ctx context.Context, taskID, contactID int64, _ time.Time) (bool, error) {
	complete, err := s.pickID(ctx, "Tasks", "status", api.TaskComplete)
	if err != nil {
		return false, err
	}
	var t *atTask
	err = query(ctx, s.c, "Tasks", []at.Filter{at.Eq("id", taskID)}, []string{"id", "projectID", "status"}, 1,
		func(x atTask) error { t = &x; return nil })
	if err != nil || t == nil || int64(t.Status) == complete {
		return false, err
	}
	_, err = s.c.Update(ctx, fmt.Sprintf("Projects/%d/Tasks", t.ProjectID), struct {
		ID     int64    `json:"id"`
		Status int64    `json:"status"`
		UDFs   []at.UDF `json:"userDefinedFields"`
	}{taskID, complete, udfValue(s.opt.UDFs.CompletedBy, contactID)})
	return err == nil, upstream(err)
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
		if err := s.local.ReserveIdempotencyKey(ctx, *key); err != nil {
			return api.Task{}, err
		}
		t.ExternalID = issueMarker(key.ContactID, key.Key)
	}
	id, err := s.c.Create(ctx, fmt.Sprintf("Projects/%d/Tasks", in.ProjectID), t)
	if err != nil {
		if key != nil && definitelyRefused(err) {
			if derr := s.local.DeleteIdempotencyKey(ctx, key.ContactID, key.Key); derr != nil {
				return api.Task{}, derr
			}
		}
		return api.Task{}, upstream(err)
	}
	if key != nil {
		if err := s.local.SetIdempotencyTask(ctx, key.ContactID, key.Key, id); err != nil {
			return api.Task{}, err
		}
	}
	return s.readTask(ctx, id)
}

// readTask reads one task as the portal shows it, whatever its scope.
func (s *Store) readTask(ctx context.Context, id int64) (api.Task, error) {
	var t *atTask
	err := query(ctx, s.c, "Tasks", []at.Filter{at.Eq("id", id)}, taskFields, 1, func(x atTask) error { t = &x; return nil })
	if err != nil || t == nil {
		return api.Task{}, cmpOr(err, store.ErrNotFound)
	}
	var h taskHeader
	err = query(ctx, s.c, "Projects", []at.Filter{at.Eq("id", t.ProjectID)}, []string{"id", "projectNumber", "projectName"}, 1,
		func(p atProject) error { h = taskHeader{number: p.ProjectNumber, name: p.ProjectName}; return nil })
	if err != nil {
		return api.Task{}, err
	}
	pl, err := s.picklists(ctx, "Tasks")
	if err != nil {
		return api.Task{}, err
	}
	var resources, contacts idSet
	resources.add(t.AssignedResourceID)
	contacts.add(udfID(t.UDFs, s.opt.UDFs.Contact))
	contacts.add(udfID(t.UDFs, s.opt.UDFs.CompletedBy))
	n, err := s.names(ctx, resources, contacts)
	return s.toTask(*t, h, pl, n), err
}

func cmpOr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
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
