package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
)

// setCopyHeaders tells how old the data of an answer is when the store is
// a synced copy (the Autotask copy): Portal-Data-As-Of, when the last
// complete sync started, and Portal-Data-Age, seconds since then. Before
// the initial sync has completed the age is "initial-sync".
func setCopyHeaders(w http.ResponseWriter, c portal.CopyStatus) {
	if !c.Complete {
		w.Header().Set("Portal-Data-Age", "initial-sync")
		return
	}
	w.Header().Set("Portal-Data-As-Of", c.AsOf.UTC().Format(time.RFC3339))
	w.Header().Set("Portal-Data-Age", strconv.FormatInt(int64(c.Age.Seconds()), 10))
}
