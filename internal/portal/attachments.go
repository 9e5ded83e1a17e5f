package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"path"
	"strings"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// NewAttachment is a file a user adds to a task or issue.
type NewAttachment struct {
	Name        string // file name, without directories
	ContentType string // "" is application/octet-stream
	Content     []byte
}

// AddTaskAttachment adds a file to a task or issue of one of u's projects
// (a CI job attaches its whole log to the issue it files). It needs the
// attachments permission, like reading them; end-client tasks are
// read-only. Stores that cannot keep attachments answer 501.
func (s *Service) AddTaskAttachment(ctx context.Context, u *User, r string, in NewAttachment) (api.Attachment, error) {
	if err := require(u, api.PermAttachments); err != nil {
		return api.Attachment{}, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if err := validAttachment(&in); err != nil {
		return api.Attachment{}, err
	}
	t, err := s.task(ctx, u, r, true)
	if err != nil {
		return api.Attachment{}, err
	}
	w, ok := s.st.(store.AttachmentWriter)
	if !ok {
		return api.Attachment{}, store.ErrUnsupported
	}
	sum := sha256.Sum256(in.Content)
	taskID := t.ID
	return w.AddAttachment(ctx, api.Attachment{
		ProjectID: t.ProjectID, TaskID: &taskID, Name: in.Name, ContentType: in.ContentType,
		Size: int64(len(in.Content)), SHA256: hex.EncodeToString(sum[:]), CreatedAt: s.now().UTC(),
	}, in.Content)
}

// validAttachment checks the name (a plain file name), the content type
// (a media type) and the size, and fills in the default type.
func validAttachment(in *NewAttachment) error {
	if err := text("name", in.Name, api.MaxAttachmentName); err != nil {
		return err
	}
	if in.Name != path.Base(in.Name) || strings.ContainsAny(in.Name, "\\/") || in.Name == "." || in.Name == ".." {
		return api.Invalid("name", "name %q must be a file name without directories", in.Name)
	}
	if in.ContentType == "" {
		in.ContentType = "application/octet-stream"
	}
	if _, _, err := mime.ParseMediaType(in.ContentType); err != nil {
		return api.Invalid("content_type", "Content-Type %q is not a media type", in.ContentType)
	}
	switch n := len(in.Content); {
	case n == 0:
		return api.Invalid("content", "the attachment is empty")
	case n > api.MaxAttachment:
		return api.Errorf(api.CodeTooLarge, "the attachment is %d bytes; at most %d are accepted", n, api.MaxAttachment)
	}
	return nil
}
