package httpapi

import (
	"cmp"
	"net/http"
	"sync"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// heavyKind is what makes a route's answers last as long as their client
// takes to read them.
type heavyKind int

const (
	streamRoute   heavyKind = iota + 1 // NDJSON streams, when asked for
	downloadRoute                      // attachment contents
)

// heavyRoutes are the routes whose answers can last as long as their client
// takes to read them: a user may run only a few at once, and their queries
// use the store's stream connections (store.Streaming), never those that
// authentication and short requests need.
var heavyRoutes = map[string]heavyKind{
	"GET /v1/projects":                 streamRoute,
	"GET /v1/end-client/projects":      streamRoute,
	"GET /v1/end-client/billed-hours":  streamRoute,
	"GET /v1/attachments/{id}/content": downloadRoute,
}

// heavyRetry is the Retry-After of a stream or download refused because
// the user already runs as many as allowed.
const heavyRetry = 5

// userSlots counts each user's heavy requests in flight.
type userSlots struct {
	mu sync.Mutex
	n  map[int64]int // by contact id
}

func newUserSlots() *userSlots { return &userSlots{n: map[int64]int{}} }

// take counts one more for user unless that makes more than limit.
func (s *userSlots) take(user int64, limit int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n[user] >= limit {
		return false
	}
	s.n[user]++
	return true
}

func (s *userSlots) put(user int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.n[user]--; s.n[user] <= 0 {
		delete(s.n, user)
	}
}

// heavy admits a stream or download (it runs after authenticate): a user
// past the limit of their kind gets 429 with Retry-After; an admitted one
// runs with a context that sends its queries to the stream connections.
func (h *handler) heavy(kind heavyKind, next http.Handler) http.Handler {
	slots, limit, what := h.streams, h.opt.StreamsPerUser, "streamed exports"
	if kind == downloadRoute {
		slots, limit, what = h.downloads, h.opt.DownloadsPerUser, "attachment downloads"
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if kind == streamRoute && !wantsNDJSON(r) {
			next.ServeHTTP(w, r) // a page: a short request
			return
		}
		user := userFrom(r).Contact.ID
		if !slots.take(user, limit) {
			h.writeError(w, r, api.Errorf(api.CodeRateLimited, "you already have %d %s running; wait for one to finish", limit, what).
				With("retry_after_seconds", heavyRetry))
			return
		}
		defer slots.put(user)
		next.ServeHTTP(w, r.WithContext(store.Streaming(r.Context())))
	})
}

// pacer keeps a client reading a stream or download at StreamMinRate: each
// byte sent earns the client 1/StreamMinRate seconds of credit (at most
// StreamStall), and the time writes wait for the client spends it. Each
// write's deadline is the credit left, so a client that stops reading is
// cut after StreamStall, and one that reads slower than the floor on
// average is cut once its credit is spent. Time the server spends reading
// the store costs the client nothing.
type pacer struct {
	rc      *http.ResponseController
	perByte float64 // seconds of credit a byte earns
	max     time.Duration
	credit  time.Duration
	started time.Time
}

// The floor, unless Options set another.
const (
	defaultStreamMinRate = 32 << 10
	defaultStreamStall   = 10 * time.Second
)

func newPacer(h *handler, w http.ResponseWriter) *pacer {
	stall := cmp.Or(h.opt.StreamStall, defaultStreamStall)
	return &pacer{rc: http.NewResponseController(w), perByte: 1 / float64(cmp.Or(h.opt.StreamMinRate, defaultStreamMinRate)),
		max: stall, credit: stall}
}

// begin sets the deadline for writing n bytes.
func (p *pacer) begin(n int) {
	p.credit = min(p.max, p.credit+time.Duration(float64(n)*p.perByte*float64(time.Second)))
	p.started = time.Now()
	p.rc.SetWriteDeadline(p.started.Add(p.credit))
}

// end charges the time the write took.
func (p *pacer) end() { p.credit -= time.Since(p.started) }

// pacedWriter writes through a pacer (downloads).
type pacedWriter struct {
	w http.ResponseWriter
	p *pacer
}

func (pw pacedWriter) Write(b []byte) (int, error) {
	pw.p.begin(len(b))
	defer pw.p.end()
	return pw.w.Write(b)
}
