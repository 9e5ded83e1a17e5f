package autotask

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strconv"
	"strings"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// levelPositions are the schedule positions of phases and tasks.
type levelPositions struct{ phases, tasks map[int64]int }

// positions numbers each level of a schedule (the project root, or a parent
// phase) from 1: its phases first, then its tasks, each in id order (the
// order Autotask answers in). Autotask's REST API exposes no sort order.
func positions(phases []atPhase, tasks []atTask) levelPositions {
	counts := map[int64]int{} // by parent phase id; 0 is the project root
	next := func(parent *int64) int {
		k := int64(0)
		if parent != nil {
			k = *parent
		}
		counts[k]++
		return counts[k]
	}
	p := levelPositions{phases: map[int64]int{}, tasks: map[int64]int{}}
	for _, ph := range phases {
		p.phases[ph.ID] = next(ph.ParentPhaseID)
	}
	for _, t := range tasks {
		p.tasks[t.ID] = next(t.PhaseID)
	}
	return p
}

func sortByPosition[T any](xs []T, key func(T) (int, int64)) {
	slices.SortStableFunc(xs, func(a, b T) int {
		pa, ia := key(a)
		pb, ib := key(b)
		return cmp.Or(cmp.Compare(pa, pb), cmp.Compare(ia, ib))
	})
}

// Team lists a project's resources then contacts, each by name. Autotask
// has no project team entity the REST API exposes: the resources are the
// project lead ("Project Lead"), the task assignees and the tasks'
// secondary resources (each with their title as role); the contacts are
// the project's Portal Team Contacts UDF, each "Client contact" (Autotask
// keeps no role for them).
func (s *Store) Team(ctx context.Context, projectID int64) ([]api.TeamMember, error) {
	var p atProject
	found := false
	err := query(ctx, s.c, "Projects", []at.Filter{at.Eq("id", projectID)}, []string{"id", "projectLeadResourceID"}, 1,
		func(x atProject) error { p, found = x, true; return nil })
	if err != nil || !found {
		return []api.TeamMember{}, err
	}
	var resources, taskIDs, contacts idSet
	resources.add(p.ProjectLeadResourceID)
	err = query(ctx, s.c, "Tasks", []at.Filter{at.Eq("projectID", projectID)}, []string{"id", "assignedResourceID"}, 0,
		func(t atTask) error { resources.add(t.AssignedResourceID); taskIDs.add(&t.ID); return nil })
	if err != nil {
		return nil, err
	}
	if len(taskIDs.ids) > 0 {
		err = query(ctx, s.c, "TaskSecondaryResources", []at.Filter{anyIn("taskID", taskIDs.ids)}, []string{"id", "resourceID"}, 0,
			func(r struct{ ResourceID *int64 }) error { resources.add(r.ResourceID); return nil })
		if err != nil {
			return nil, err
		}
	}
	for _, v := range strings.Split(udf(p.UDFs, s.opt.UDFs.TeamContacts), ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			contacts.add(&id)
		}
	}
	return s.teamMembers(ctx, p, resources, contacts)
}

func (s *Store) teamMembers(ctx context.Context, p atProject, resources, contacts idSet) ([]api.TeamMember, error) {
	rs, err := s.resourceMap(ctx, resources.ids)
	if err != nil {
		return nil, err
	}
	cs, err := s.contactMap(ctx, contacts.ids)
	if err != nil {
		return nil, err
	}
	companies, err := s.companyMap(ctx)
	if err != nil {
		return nil, err
	}
	var team, people []api.TeamMember
	for _, id := range resources.ids {
		r, ok := rs[id]
		if !ok {
			continue
		}
		role := r.Title
		if p.ProjectLeadResourceID != nil && *p.ProjectLeadResourceID == id {
			role = "Project Lead"
		}
		team = append(team, api.TeamMember{Kind: "resource", ID: id, Name: r.name(), Organization: s.opt.Portal.ProviderName,
			Email: r.Email, Phone: r.OfficePhone, Role: role})
	}
	for _, id := range contacts.ids {
		if c, ok := cs[id]; ok {
			people = append(people, api.TeamMember{Kind: "contact", ID: id, Name: c.name(),
				Organization: companies[c.CompanyID].CompanyName, Email: c.EmailAddress, Phone: c.Phone, Role: "Client contact"})
		}
	}
	byName := func(a, b api.TeamMember) int { return strings.Compare(a.Name, b.Name) }
	slices.SortStableFunc(team, byName)
	slices.SortStableFunc(people, byName)
	return append(append([]api.TeamMember{}, team...), people...), nil
}

// Notes streams a project's published notes ("All Autotask Users"), by id.
func (s *Store) Notes(ctx context.Context, projectID int64, page store.Page, each func(api.Note) error) error {
	return s.notes(ctx, "ProjectNotes", "projectID", projectID, page, func(n atNote, author string) error {
		return each(api.Note{ID: n.ID, ProjectID: n.ProjectID, Title: n.Title, Body: n.Description, Author: author,
			CreatedAt: n.CreateDateTime.UTC()})
	})
}

// TaskNotes streams a task's published notes, by id.
func (s *Store) TaskNotes(ctx context.Context, taskID int64, page store.Page, each func(api.TaskNote) error) error {
	return s.notes(ctx, "TaskNotes", "taskID", taskID, page, func(n atNote, author string) error {
		return each(api.TaskNote{ID: n.ID, TaskID: n.TaskID, Subject: n.Title, Body: n.Description, Author: author,
			CreatedAt: n.CreateDateTime.UTC()})
	})
}

func (s *Store) notes(ctx context.Context, entity, parentField string, parentID int64, page store.Page, each func(atNote, string) error) error {
	published, err := s.pickID(ctx, entity, "publish", "all_autotask_users")
	if err != nil {
		return err
	}
	f := []at.Filter{at.Eq(parentField, parentID), at.Eq("publish", published)}
	if page.After != nil {
		f = append(f, at.Gt("id", page.After.ID))
	}
	b := batcher[atNote]{flush: func(ns []atNote) error {
		var resources, contacts idSet
		for _, n := range ns {
			resources.add(n.CreatorResourceID)
			contacts.add(n.CreatedByContactID)
		}
		names, err := s.names(ctx, resources, contacts)
		if err != nil {
			return err
		}
		for _, n := range ns {
			author := of(names.resources, n.CreatorResourceID)
			if author == nil {
				author = of(names.contacts, n.CreatedByContactID)
			}
			if err := each(n, deref(author)); err != nil {
				return err
			}
		}
		return nil
	}}
	fields := []string{"id", parentField, "title", "description", "creatorResourceID", "createdByContactID", "createDateTime"}
	if err := query(ctx, s.c, entity, f, fields, page.Limit, b.add); err != nil {
		return err
	}
	return b.done()
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

var attachmentFields = []string{"id", "projectID", "title", "fullPath", "contentType", "attachDate", "fileSize"}

// publishedAttachment is "published to all Autotask users" (publish = 1):
// internal attachments stay internal.
var publishedAttachment = at.Eq("publish", 1)

func toAttachment(a atAttachment) api.Attachment {
	name := a.FullPath
	if name == "" {
		name = a.Title
	}
	return api.Attachment{ID: a.ID, ProjectID: a.ProjectID, Name: name, ContentType: a.ContentType, Size: a.FileSize,
		CreatedAt: a.AttachDate.UTC()}
}

// Attachments streams a project's published attachments, by id. SHA256 is
// empty: Autotask keeps no hash, and computing one would download every
// file (AttachmentContent has it).
func (s *Store) Attachments(ctx context.Context, projectID int64, page store.Page, each func(api.Attachment) error) error {
	f := []at.Filter{at.Eq("projectID", projectID), publishedAttachment}
	if page.After != nil {
		f = append(f, at.Gt("id", page.After.ID))
	}
	return query(ctx, s.c, "ProjectAttachments", f, attachmentFields, page.Limit,
		func(a atAttachment) error { return each(toAttachment(a)) })
}

// AttachmentContent finds the attachment's project (one query), then reads
// the content through the child path Projects/{id}/Attachments/{id}.
func (s *Store) AttachmentContent(ctx context.Context, id int64) (store.AttachmentContent, error) {
	var meta *atAttachment
	err := query(ctx, s.c, "ProjectAttachments", []at.Filter{at.Eq("id", id), publishedAttachment}, attachmentFields, 1,
		func(a atAttachment) error { meta = &a; return nil })
	if err != nil {
		return store.AttachmentContent{}, err
	}
	if meta == nil {
		return store.AttachmentContent{}, store.ErrNotFound
	}
	var full atAttachment
	if err := s.c.GetChild(ctx, "Projects", meta.ProjectID, "Attachments", id, &full); err != nil {
		return store.AttachmentContent{}, upstream(err)
	}
	a := toAttachment(*meta)
	sum := sha256.Sum256(full.Data)
	a.Size, a.SHA256 = int64(len(full.Data)), hex.EncodeToString(sum[:])
	// Autotask sends the file whole, base64 in JSON, and caps attachments
	// at a few megabytes: one bounded read.
	return store.AttachmentContent{Attachment: a, Content: io.NopCloser(bytes.NewReader(full.Data))}, nil
}
