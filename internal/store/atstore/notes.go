package atstore

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// Notes and attachments: the copy holds only what customers may see.
// Notes published to "All Autotask Users" are visible to customers; a note
// made internal leaves the copy (docs/autotask.md §9). Attachments
// published to all (publish 1) likewise.

func (p *pass) projectNotes(ctx context.Context) error {
	return p.notes(ctx, "ProjectNotes", projectNoteFields, "project_notes", "projects", func(n atNote) int64 { return n.ProjectID },
		func(n atNote, author authors) any {
			return &dataset.ProjectNote{ID: n.ID, ProjectID: n.ProjectID, Title: n.Title, Body: n.Description,
				AuthorResourceID: author.resource, AuthorContactID: author.contact, CreatedAt: noteTime(n), Published: true}
		})
}

func (p *pass) taskNotes(ctx context.Context) error {
	return p.notes(ctx, "TaskNotes", taskNoteFields, "task_notes", "tasks", func(n atNote) int64 { return n.TaskID },
		func(n atNote, author authors) any {
			return &dataset.TaskNote{ID: n.ID, TaskID: n.TaskID, Subject: n.Title, Body: n.Description,
				AuthorResourceID: author.resource, AuthorContactID: author.contact, CreatedAt: noteTime(n), Published: true}
		})
}

// notes pulls one notes entity by lastActivityDate into table, each note
// under its parent (a row of parents) as record maps it.
func (p *pass) notes(ctx context.Context, entity string, fields []string, table, parents string, parent func(atNote) int64,
	record func(atNote, authors) any) error {
	published, _ := p.picks[entity].id("publish", "all_autotask_users")
	return pull(ctx, p, pullSpec[atNote]{entity: entity, fields: fields, changed: "lastActivityDate",
		stamp: func(n atNote) autotask.Time { return n.Changed }, id: func(n atNote) int64 { return n.ID },
		write: func(ctx context.Context, batch []atNote) ([]int64, error) {
			return p.writeNotes(ctx, batch, table, parents, published, parent, record)
		}})
}

type authors struct{ resource, contact *int64 }

func noteTime(n atNote) time.Time {
	if n.CreateDateTime.IsZero() {
		return n.Changed.UTC()
	}
	return n.CreateDateTime.UTC()
}

// writeNotes stores the published notes of a batch and drops the others.
func (p *pass) writeNotes(ctx context.Context, batch []atNote, table, parents string, published int64,
	parent func(atNote) int64, record func(atNote, authors) any) ([]int64, error) {
	var later []int64
	err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
		r := newRefs(m)
		for _, n := range batch {
			r.need(parents, parent(n))
			r.needOpt("resources", n.CreatorResourceID)
			r.needOpt("contacts", n.CreatedByContactID)
		}
		if err := r.load(); err != nil {
			return err
		}
		var internal []int64
		for _, n := range batch {
			switch {
			case int64(n.Publish) != published:
				internal = append(internal, n.ID)
			case !r.has(parents, parent(n)):
				later = append(later, n.ID)
			default:
				a := authors{r.opt("resources", n.CreatorResourceID), r.opt("contacts", n.CreatedByContactID)}
				if err := m.Write(record(n, a)); err != nil {
					return err
				}
			}
		}
		return m.Delete(table, internal)
	})
	return later, err
}

// attachmentPublished is publish "All Autotask Users" on attachments, the
// only ones customers see.
const attachmentPublished = 1

// attachments reads the attachments of the projects in the copy with ids
// above the newest one read: Autotask attachments carry no last-change
// field, are never edited, and their queries must name the parent object
// (Autotask 2021.1), so each query names up to 500 projects.
func (p *pass) attachments(ctx context.Context) error {
	var projects []int64
	if err := p.y.db.IDs(ctx, "projects", "", nil, func(id int64) error { projects = append(projects, id); return nil }); err != nil {
		return err
	}
	after, _ := strconv.ParseInt(p.state["cursor:ProjectAttachments"], 10, 64)
	newest := after
	// The projects this pass read may be new to the copy: all their
	// attachments are read, older ones too.
	var fresh []int64
	for id := range p.pulled {
		fresh = append(fresh, id)
	}
	slices.Sort(fresh)
	type attachmentQuery struct {
		projects []int64
		after    int64
	}
	var queries []attachmentQuery
	for chunk := range slices.Chunk(projects, batchSize) {
		queries = append(queries, attachmentQuery{chunk, after})
	}
	for chunk := range slices.Chunk(fresh, batchSize) {
		queries = append(queries, attachmentQuery{chunk, 0})
	}
	for _, qs := range queries {
		var batch []atAttachment
		q := autotask.Query{Filter: []autotask.Filter{autotask.In("projectID", qs.projects), autotask.Gt("id", qs.after)}}
		err := p.y.c.Query(ctx, "ProjectAttachments", q, func(item autotask.Item) error {
			a, err := decode[atAttachment]("ProjectAttachments", item)
			batch = append(batch, a)
			newest = max(newest, a.ID)
			return err
		})
		if err != nil {
			return upstream(err)
		}
		if err := p.y.db.Mirror(ctx, func(m *sqlstore.MirrorTx) error {
			for _, a := range batch {
				if err := writeAttachment(m, a); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if newest == after {
		return nil
	}
	return p.y.db.SetSyncState(ctx, "cursor:ProjectAttachments", strconv.FormatInt(newest, 10))
}

// writeAttachment stores an attachment's metadata: the content stays in
// Autotask and is read on download (Store.AttachmentContent), so the copy
// has its size but no bytes and no digest.
func writeAttachment(m *sqlstore.MirrorTx, a atAttachment) error {
	if int64(a.Publish) != attachmentPublished {
		return m.Delete("attachments", []int64{a.ID})
	}
	name := a.FullPath
	if name == "" {
		name = a.Title
	}
	return m.Exec(`INSERT INTO attachments (id, project_id, name, content_type, size, sha256, created_at)
		VALUES (?, ?, ?, ?, ?, '', ?) ON CONFLICT (id) DO UPDATE SET project_id = excluded.project_id, name = excluded.name,
		content_type = excluded.content_type, size = excluded.size, created_at = excluded.created_at`,
		a.ID, a.ProjectID, name, contentType(a.ContentType), a.FileSize.bytes(), a.AttachDate.UTC().Format("2006-01-02T15:04:05Z"))
}

func contentType(ct string) string {
	if ct == "" {
		return "application/octet-stream"
	}
	return ct
}
