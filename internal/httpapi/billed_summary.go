package httpapi

import (
	"net/http"
	"strings"
)

// billedHoursSummary serves GET /v1/end-client/billed-hours/summary: the
// export's filters, and by, the keys to total by (comma-separated).
func (h *handler) billedHoursSummary(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := billedFilter(q)
	var by []string
	for k := range strings.SplitSeq(q.Get("by"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			by = append(by, k)
		}
	}
	sum, err := h.svc.BilledHoursSummary(r.Context(), userFrom(r), f, by)
	respond(h, w, r, sum, err)
}
