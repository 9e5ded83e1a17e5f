package httpapi

import (
	"net/http"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// charges lists the billed items other than labour, apart from billed
// hours: their quantity counts units.
func (h *handler) charges(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := portal.BilledHoursFilter{Client: q.Get("client"), From: q.Get("from"), To: q.Get("to")}
	serveList(h, w, r, listSpec[api.Charge]{stream: true,
		key: func(c api.Charge) store.Key { return store.Key{Value: string(c.Date), ID: c.ID} },
		fetch: func(page store.Page, each func(api.Charge) error) error {
			return h.svc.Charges(r.Context(), userFrom(r), f, page, each)
		}})
}
