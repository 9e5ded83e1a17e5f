package httpapi

import (
	"errors"
	"io"
	"net/http"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/pkg/api"
)

// addTaskAttachment adds a file to a task or issue: the body is the file's
// bytes as they are (not JSON, not multipart), its Content-Type the file's,
// and ?name= its file name. Attachments may be larger than a JSON body
// (up to api.MaxAttachment): a CI job attaches a whole build log.
func (h *handler) addTaskAttachment(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, api.MaxAttachment))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		h.writeError(w, r, api.Errorf(api.CodeTooLarge, "the attachment is larger than %d bytes", api.MaxAttachment))
		return
	case err != nil:
		h.writeError(w, r, err)
		return
	}
	a, err := h.svc.AddTaskAttachment(r.Context(), userFrom(r), r.PathValue("id"), portal.NewAttachment{
		Name: r.URL.Query().Get("name"), ContentType: r.Header.Get("Content-Type"), Content: body})
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "attachment.added", "attachment_id", a.ID, "task_id", *a.TaskID, "size", a.Size)
	writeJSON(w, http.StatusCreated, a)
}
