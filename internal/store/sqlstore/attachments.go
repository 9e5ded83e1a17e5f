package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// attachmentChunk is the size of the pieces attachment bytes are stored in
// (attachment_chunks; migration 0020 uses the same figure): a download
// holds one piece at a time.
const attachmentChunk = 256 << 10

const attachmentCols = `a.id, a.project_id, a.task_id, a.name, a.content_type, a.size, a.sha256, a.created_at`

// visibleAttachment keeps attachments of tasks hidden from the portal out,
// as hidden tasks themselves are.
const visibleAttachment = `(a.task_id IS NULL OR EXISTS (SELECT 1 FROM tasks t WHERE t.id = a.task_id AND t.visible_in_portal))`

func scanAttachment(row Row) (api.Attachment, error) {
	var a api.Attachment
	var task sql.NullInt64
	var created nullTime
	err := row.Scan(&a.ID, &a.ProjectID, &task, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &created)
	a.TaskID, a.CreatedAt = nInt(task), created.value()
	return a, err
}

// Attachments streams a project's attachment metadata, ordered by id.
func (s *Store) Attachments(ctx context.Context, projectID int64, page store.Page, each func(api.Attachment) error) error {
	w := where{}
	w.add("a.project_id = ?", projectID)
	w.add(visibleAttachment)
	w.after(page, "", "a.id")
	return stream(ctx, s.r, `SELECT `+attachmentCols+` FROM attachments a`+w.sql()+` ORDER BY a.id`+limit(page), w.args,
		scanAttachment, each)
}

// AttachmentContent returns an attachment's metadata and a reader that
// fetches its bytes one chunk per query as they are read.
func (s *Store) AttachmentContent(ctx context.Context, id int64) (store.AttachmentContent, error) {
	a, err := scanAttachment(s.r.QueryRow(ctx, `SELECT `+attachmentCols+` FROM attachments a WHERE a.id = ? AND `+visibleAttachment, id))
	if err != nil {
		return store.AttachmentContent{}, err
	}
	chunks := int((a.Size + attachmentChunk - 1) / attachmentChunk)
	return store.AttachmentContent{Attachment: a, Content: &chunkReader{ctx: ctx, db: s.r, id: id, sha: a.SHA256, chunks: chunks}}, nil
}

// AddAttachment stores an attachment: its metadata row and its bytes in
// chunks, in one transaction. Attachment ids come from the data
// (PostgreSQL's column has no default), so a new one takes the next free
// id; a concurrent insert that took it first makes this one try the next.
func (s *Store) AddAttachment(ctx context.Context, a api.Attachment, content []byte) (api.Attachment, error) {
	out := a
	out.CreatedAt = a.CreatedAt.UTC().Truncate(time.Second)
	var err error
	for range 20 {
		err = s.inTx(ctx, func(tx Tx) error {
			var err error
			out.ID, err = insertID(ctx, tx, `INSERT INTO attachments (id, project_id, task_id, name, content_type, size, sha256, created_at)
				SELECT COALESCE(MAX(id), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM attachments`,
				a.ProjectID, a.TaskID, a.Name, a.ContentType, a.Size, a.SHA256, ts(out.CreatedAt))
			if err != nil {
				return err
			}
			for seq, off := 0, 0; off < len(content); seq, off = seq+1, off+attachmentChunk {
				if _, err := tx.Exec(ctx, `INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)`,
					out.ID, seq, content[off:min(off+attachmentChunk, len(content))]); err != nil {
					return err
				}
			}
			return nil
		})
		if !s.d.IsUnique(err) {
			break
		}
	}
	return out, err
}

// chunkReader reads an attachment's chunks in order, one short query each:
// between reads it holds neither a connection nor more than one chunk.
type chunkReader struct {
	ctx         context.Context
	db          Conn
	id          int64
	sha         string // the content read must still be this one
	seq, chunks int
	buf         []byte
}

func (r *chunkReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.seq >= r.chunks {
			return 0, io.EOF
		}
		var data []byte
		err := r.db.QueryRow(r.ctx, `SELECT c.data FROM attachment_chunks c JOIN attachments a ON a.id = c.attachment_id
			WHERE c.attachment_id = ? AND c.seq = ? AND a.sha256 = ?`, r.id, r.seq, r.sha).Scan(&data)
		if err == store.ErrNotFound {
			return 0, fmt.Errorf("attachment %d changed while it was read (an import replaced it); download it again", r.id)
		}
		if err != nil {
			return 0, err
		}
		r.seq++
		r.buf = data
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// Close drops the chunk held; nothing else is open between reads.
func (r *chunkReader) Close() error {
	r.buf, r.seq = nil, r.chunks
	return nil
}

// writeAttachment imports an attachment: its metadata row, then its bytes
// in chunks, and drops chunks an earlier, longer version left behind.
func (w *importWriter) writeAttachment(r *dataset.Attachment) error {
	ct := r.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	if err := w.exec("attachments", r.ID, r.ProjectID, intPtr(r.TaskID), r.Name, ct, len(r.Content),
		sha256Hex(r.Content), ts(r.CreatedAt)); err != nil {
		return err
	}
	seq := 0
	for off := 0; off < len(r.Content); off += attachmentChunk {
		if err := w.exec("attachment_chunks", r.ID, seq, r.Content[off:min(off+attachmentChunk, len(r.Content))]); err != nil {
			return err
		}
		seq++
	}
	_, err := w.tx.Exec(w.ctx, `DELETE FROM attachment_chunks WHERE attachment_id = ? AND seq >= ?`, r.ID, seq)
	return err
}

// exportAttachments emits every attachment with its bytes put back
// together (an export record holds them whole, as the import format does).
func (s *Store) exportAttachments(ctx context.Context, emit func(any) error) error {
	var cur *dataset.Attachment
	err := stream(ctx, s.r, `SELECT a.id, a.project_id, a.task_id, a.name, a.content_type, a.created_at, c.data
		FROM attachments a LEFT JOIN attachment_chunks c ON c.attachment_id = a.id ORDER BY a.id, c.seq`, nil,
		func(row Row) (*dataset.Attachment, error) {
			r := &dataset.Attachment{}
			var task sql.NullInt64
			var created nullTime
			var data []byte
			err := row.Scan(&r.ID, &r.ProjectID, &task, &r.Name, &r.ContentType, &created, &data)
			r.TaskID, r.CreatedAt, r.Content = nInt(task), created.value(), data
			return r, err
		}, func(r *dataset.Attachment) error {
			if cur != nil && cur.ID == r.ID {
				cur.Content = append(cur.Content, r.Content...)
				return nil
			}
			if cur != nil {
				if err := emit(cur); err != nil {
					return err
				}
			}
			if r.Content == nil {
				r.Content = []byte{}
			}
			cur = r
			return nil
		})
	if err != nil || cur == nil {
		return err
	}
	return emit(cur)
}
