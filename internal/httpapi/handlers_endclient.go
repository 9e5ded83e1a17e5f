package httpapi

import (
	"net/http"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// The end-client views of a billing organization (/v1/end-clients/...).

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
