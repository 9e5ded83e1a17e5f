package httpapi

import (
	"net/http"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func taskKey(t api.Task) store.Key { return idKey(t.ID) }

func (h *handler) openTasks(w http.ResponseWriter, r *http.Request) {
	project := r.URL.Query().Get("project")
	serveList(h, w, r, listSpec[api.Task]{key: taskKey, fetch: func(page store.Page, each func(api.Task) error) error {
		return h.svc.OpenTasks(r.Context(), userFrom(r), project, page, each)
	}})
}

func (h *handler) task(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.Task(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, t, err)
}

func (h *handler) taskNotes(w http.ResponseWriter, r *http.Request) {
	serveList(h, w, r, listSpec[api.TaskNote]{key: func(n api.TaskNote) store.Key { return idKey(n.ID) },
		fetch: func(page store.Page, each func(api.TaskNote) error) error {
			return h.svc.TaskNotes(r.Context(), userFrom(r), r.PathValue("id"), page, each)
		}})
}

func (h *handler) addTaskNote(w http.ResponseWriter, r *http.Request) {
	var in api.NewTaskNote
	if err := h.decodeBody(w, r, &in); err != nil {
		h.writeError(w, r, err)
		return
	}
	n, err := h.svc.AddTaskNote(r.Context(), userFrom(r), r.PathValue("id"), in)
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	h.audit(r, "task_note.added", "note_id", n.ID, "task_id", n.TaskID)
	writeJSON(w, http.StatusCreated, n)
}

func (h *handler) completeTask(w http.ResponseWriter, r *http.Request) {
	res, err := h.svc.CompleteTask(r.Context(), userFrom(r), r.PathValue("id"))
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	if !res.AlreadyComplete {
		h.audit(r, "task.completed", "task_id", res.ID)
	}
	writeJSON(w, http.StatusOK, res)
}

func (h *handler) endClients(w http.ResponseWriter, r *http.Request) {
	c, err := h.svc.EndClients(r.Context(), userFrom(r))
	respond(h, w, r, api.List[api.EndClient]{Items: c}, err)
}

func (h *handler) endClientProjects(w http.ResponseWriter, r *http.Request) {
	inc, err := boolParam(r, "include_completed")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := portal.EndClientFilter{Client: r.URL.Query().Get("client"), IncludeCompleted: inc}
	serveList(h, w, r, listSpec[api.EndClientProject]{stream: true, appendJSON: api.EndClientProject.AppendJSON,
		key: func(p api.EndClientProject) store.Key { return idKey(p.ID) },
		fetch: func(page store.Page, each func(api.EndClientProject) error) error {
			return h.svc.EndClientProjects(r.Context(), userFrom(r), f, page, each)
		}})
}

func (h *handler) endClientProject(w http.ResponseWriter, r *http.Request) {
	p, err := h.svc.EndClientProject(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, p, err)
}

func (h *handler) endClientSchedule(w http.ResponseWriter, r *http.Request) {
	s, err := h.svc.EndClientSchedule(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, s, err)
}

func (h *handler) endClientTeam(w http.ResponseWriter, r *http.Request) {
	team, err := h.svc.EndClientTeam(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, api.List[api.TeamMember]{Items: team}, err)
}

func (h *handler) endClientEmailTeam(w http.ResponseWriter, r *http.Request) {
	h.sendTeamEmail(w, r, h.svc.EndClientEmailTeam)
}
