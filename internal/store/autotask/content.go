package autotask

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlstore"
)

// AttachmentContent reads an attachment's bytes from Autotask when it is
// downloaded: the copy keeps its metadata only (Autotask answers an
// attachment's content only to the child read of its parent,
// Projects/{id}/Attachments/{id}; docs/autotask.md §5). When that read
// finds nothing, AttachmentInfo/{id} says where the attachment is now; an
// attachment Autotask no longer has leaves the copy.
func (s *Store) AttachmentContent(ctx context.Context, id int64) (store.AttachmentContent, error) {
	meta, err := s.Local.AttachmentContent(ctx, id)
	if err != nil {
		return meta, err
	}
	meta.Content.Close() // the copy keeps no bytes
	var full atAttachment
	err = s.c.GetChild(ctx, "Projects", meta.ProjectID, "Attachments", id, &full)
	if errors.Is(upstream(err), store.ErrNotFound) {
		var info struct{ ProjectID int64 }
		if ierr := s.c.Get(ctx, "AttachmentInfo", id, &info); ierr == nil && info.ProjectID > 0 && info.ProjectID != meta.ProjectID {
			err = s.c.GetChild(ctx, "Projects", info.ProjectID, "Attachments", id, &full)
		}
	}
	if err = upstream(err); errors.Is(err, store.ErrNotFound) {
		s.Local.Mirror(ctx, func(m *sqlstore.MirrorTx) error { return m.Delete("attachments", []int64{id}) })
	}
	if err != nil {
		return store.AttachmentContent{}, err
	}
	sum := sha256.Sum256(full.Data)
	// One bounded read (the client caps an answer at 64 MiB; Autotask's
	// own cap on attachments is far lower).
	meta.Content, meta.Size, meta.SHA256 = io.NopCloser(bytes.NewReader(full.Data)), int64(len(full.Data)), hex.EncodeToString(sum[:])
	return meta, nil
}
