package httpapi

import (
	"net/http"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func (h *handler) endClientTickets(w http.ResponseWriter, r *http.Request) {
	inc, err := boolParam(r, "include_completed")
	if err != nil {
		h.writeError(w, r, err)
		return
	}
	f := portal.EndClientFilter{Client: r.URL.Query().Get("client"), IncludeCompleted: inc}
	serveList(h, w, r, listSpec[api.EndClientTicket]{stream: true, appendJSON: api.EndClientTicket.AppendJSON,
		key: func(t api.EndClientTicket) store.Key { return idKey(t.ID) },
		fetch: func(page store.Page, each func(api.EndClientTicket) error) error {
			return h.svc.EndClientTickets(r.Context(), userFrom(r), f, page, each)
		}})
}

func (h *handler) endClientTicket(w http.ResponseWriter, r *http.Request) {
	t, err := h.svc.EndClientTicket(r.Context(), userFrom(r), r.PathValue("id"))
	respond(h, w, r, t, err)
}

func (h *handler) endClientTicketNotes(w http.ResponseWriter, r *http.Request) {
	serveList(h, w, r, listSpec[api.TicketNote]{key: func(n api.TicketNote) store.Key { return idKey(n.ID) },
		fetch: func(page store.Page, each func(api.TicketNote) error) error {
			return h.svc.EndClientTicketNotes(r.Context(), userFrom(r), r.PathValue("id"), page, each)
		}})
}
