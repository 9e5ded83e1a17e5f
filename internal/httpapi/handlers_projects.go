package httpapi

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func (h *handler) projects(w http.ResponseWriter, r *http.Request) {
	inc, err := boolParam(r, "include_completed")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	f := portal.ProjectFilter{Org: q.Get("org"), IncludeCompleted: inc, Search: q.Get("q")}
	serveList(h, w, r, listSpec[api.Project]{stream: true, appendJSON: api.Project.AppendJSON,
		key: func(p api.Project) store.Key { return idKey(p.ID) },
		fetch: func(page store.Page, each func(api.Project) error) error {
			return h.svc.Projects(r.Context(), userFrom(r), f, page, each)
		}})
}

func (h *handler) project(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.Project(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, p, err)
}

func (h *handler) schedule(w http.ResponseWriter, r *http.Request) {
	s, err := h.svc.Schedule(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, s, err)
}

func (h *handler) issues(w http.ResponseWriter, r *http.Request) {
	serveList(h, w, r, listSpec[api.Task]{key: func(t api.Task) store.Key { return idKey(t.ID) },
		fetch: func(page store.Page, each func(api.Task) error) error {
			return h.svc.Issues(r.Context(), userFrom(r), r.PathValue("id"), page, each)
		}})
}

func (h *handler) newIssue(w http.ResponseWriter, r *http.Request) {
	var in api.NewIssue
	if err := h.decodeBody(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	res, err := h.svc.NewIssue(r.Context(), userFrom(r), r.PathValue("id"), in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	status := http.StatusOK // a replay of an earlier Idempotency-Key
	if res.Created {
		status = http.StatusCreated
		h.audit(r, "issue.filed", "task_id", res.Issue.ID, "project_id", res.Issue.ProjectID)
	}
	writeJSON(w, status, res.Issue)
}

func (h *handler) notes(w http.ResponseWriter, r *http.Request) {
	serveList(h, w, r, listSpec[api.Note]{key: func(n api.Note) store.Key { return idKey(n.ID) },
		fetch: func(page store.Page, each func(api.Note) error) error {
			return h.svc.Notes(r.Context(), userFrom(r), r.PathValue("id"), page, each)
		}})
}

func (h *handler) addNote(w http.ResponseWriter, r *http.Request) {
	var in api.NewNote
	if err := h.decodeBody(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	n, err := h.svc.AddNote(r.Context(), userFrom(r), r.PathValue("id"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "note.added", "note_id", n.ID, "project_id", n.ProjectID)
	writeJSON(w, http.StatusCreated, n)
}

func (h *handler) attachments(w http.ResponseWriter, r *http.Request) {
	serveList(h, w, r, listSpec[api.Attachment]{key: func(a api.Attachment) store.Key { return idKey(a.ID) },
		fetch: func(page store.Page, each func(api.Attachment) error) error {
			return h.svc.Attachments(r.Context(), userFrom(r), r.PathValue("id"), page, each)
		}})
}

// attachmentContent streams an attachment from the store as the client
// reads it, at the client's pace within the floor rate (pacer). The first
// piece is read before the headers go out, so a store that cannot answer
// still gets a proper error; a failure later cuts the connection, which the
// client sees as a body shorter than its Content-Length.
func (h *handler) attachmentContent(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "attachment")
	var d portal.Download
	if err == nil {
		d, err = h.svc.Attachment(r.Context(), userFrom(r), id)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	defer d.Content.Close()
	buf := make([]byte, 64<<10)
	n, err := io.ReadFull(d.Content, buf[:min(int64(len(buf)), d.Size)])
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", d.ContentType)
	hdr.Set("Content-Length", strconv.FormatInt(d.Size, 10))
	hdr.Set("ETag", `"sha256:`+d.SHA256+`"`)
	if digest, err := hexToBase64(d.SHA256); err == nil {
		hdr.Set("Digest", "sha-256="+digest)
	}
	hdr.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": d.Name}))
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	out := pacedWriter{w, newPacer(h, w)}
	if _, err = out.Write(buf[:n]); err == nil {
		_, err = io.CopyBuffer(out, d.Content, buf)
	}
	if err != nil && !clientGone(r, err) {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			h.log.WarnContext(r.Context(), "download cut: the client read it slower than the floor rate", "attachment_id", id,
				"request_id", requestID(r))
		} else {
			h.log.ErrorContext(r.Context(), "download failed", "err", err, "attachment_id", id, "request_id", requestID(r))
		}
		panic(http.ErrAbortHandler) // cut the connection: the body is short of its Content-Length
	}
}

func (h *handler) calendar(w http.ResponseWriter, r *http.Request) {
	from, err := timeParam(r, "from", false)
	var to *time.Time
	if err == nil {
		to, err = timeParam(r, "to", true)
	}
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	events := []api.Event{}
	err = h.svc.Calendar(r.Context(), userFrom(r), r.PathValue("id"), from, to, func(e api.Event) error {
		events = append(events, e)
		return nil
	})
	respond(h, w, r, api.List[api.Event]{Items: events}, err)
}

func (h *handler) team(w http.ResponseWriter, r *http.Request) {
	team, err := h.svc.Team(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, api.List[api.TeamMember]{Items: team}, err)
}

func (h *handler) emailTeam(w http.ResponseWriter, r *http.Request) {
	h.sendTeamEmail(w, r, h.svc.EmailTeam)
}

// sendTeamEmail serves both team email endpoints.
func (h *handler) sendTeamEmail(w http.ResponseWriter, r *http.Request,
	send func(context.Context, *portal.User, string, api.TeamEmail) (api.EmailResult, error)) {
	var in api.TeamEmail
	if err := h.decodeBody(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	res, err := send(r.Context(), userFrom(r), r.PathValue("id"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "team.emailed", "outbox_id", res.ID, "recipients", len(res.Recipients), "status", res.Status)
	writeJSON(w, http.StatusAccepted, res)
}

func (h *handler) emailStatus(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "email")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	st, err := h.svc.EmailStatus(r.Context(), userFrom(r), id)
	respond(h, w, r, st, err)
}

// timeParam parses from/to: an RFC 3339 time, or a date (YYYY-MM-DD) meaning
// the start of that day in UTC, or its end when endOfDay is set.
func timeParam(r *http.Request, name string, endOfDay bool) (*time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return nil, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return &t, nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return nil, api.Invalid(name, "%s must be a date (YYYY-MM-DD) or an RFC 3339 time, not %q", name, v)
	}
	if endOfDay {
		d = d.Add(24*time.Hour - time.Second)
	}
	return &d, nil
}

func hexToBase64(h string) (string, error) {
	b, err := hex.DecodeString(h)
	return base64.StdEncoding.EncodeToString(b), err
}
