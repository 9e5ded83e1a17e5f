// Package httpapi serves the Portal API v1 over HTTP. Handlers only
// translate between HTTP and the rules layer (internal/portal): they parse
// parameters, call the service and write its answer or error. No access
// decision is made here.
package httpapi

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"
)

// Options configure the HTTP layer. Zero values get the defaults noted.
type Options struct {
	Logger       *slog.Logger          // default: discard
	CursorKey    []byte                // signs cursors; default: random per process
	MaxBodyBytes int64                 // default 1 MiB
	TokenRate    rate.Limit            // requests per second per token; default 20
	TokenBurst   int                   // default 40
	LoginRate    rate.Limit            // login attempts per second per username and per IP; default 5 a minute; rate.Inf: no limit
	LoginBurst   int                   // attempts allowed per window of LoginBurst/LoginRate (counted in the database); default 5
	Registerer   prometheus.Registerer // default: a private registry served at /metrics
	Gatherer     prometheus.Gatherer   // served at /metrics with Registerer; default: the private registry
	// MetricsPublic serves /metrics to every address; by default only
	// loopback clients (a scraper on the same host) get it.
	MetricsPublic bool

	StreamsPerUser   int           // NDJSON streams a user may run at once; default 2
	DownloadsPerUser int           // attachment downloads a user may run at once; default 4
	StreamMinRate    int           // bytes per second a client must read a stream or download at, on average; default 32 KiB
	StreamStall      time.Duration // the longest a client may stop reading one; default 10 s
}

type handler struct {
	svc       portal.API
	opt       Options
	log       *slog.Logger
	tokens    *limiters
	logins    loginLimits
	metrics   *metrics
	mux       *http.ServeMux
	streams   *userSlots // NDJSON streams in flight, per user
	downloads *userSlots // attachment downloads in flight, per user
}

// route is one endpoint: a ServeMux pattern and whether it needs a token.
type route struct {
	pattern string
	public  bool
	serve   func(h *handler, w http.ResponseWriter, r *http.Request)
}

var routes = []route{
	{"POST /v1/auth/tokens", true, (*handler).login},
	{"POST /v1/auth/login-codes", true, (*handler).loginCode},
	{"GET /v1/auth/tokens", false, (*handler).listTokens},
	{"DELETE /v1/auth/tokens/{id}", false, (*handler).revokeToken},
	{"DELETE /v1/auth/token", false, (*handler).revokeCurrentToken},
	{"GET /v1/me", false, (*handler).me},
	{"GET /v1/organizations", false, (*handler).organizations},
	{"GET /v1/projects", false, (*handler).projects},
	{"GET /v1/projects/{id}", false, (*handler).project},
	{"GET /v1/projects/{id}/schedule", false, (*handler).schedule},
	{"GET /v1/projects/{id}/issues", false, (*handler).issues},
	{"POST /v1/projects/{id}/issues", false, (*handler).newIssue},
	{"GET /v1/projects/{id}/notes", false, (*handler).notes},
	{"POST /v1/projects/{id}/notes", false, (*handler).addNote},
	{"GET /v1/projects/{id}/attachments", false, (*handler).attachments},
	{"GET /v1/attachments/{id}/content", false, (*handler).attachmentContent},
	{"GET /v1/projects/{id}/calendar", false, (*handler).calendar},
	{"GET /v1/projects/{id}/team", false, (*handler).team},
	{"POST /v1/projects/{id}/team/email", false, (*handler).emailTeam},
	{"GET /v1/emails/{id}", false, (*handler).emailStatus},
	{"GET /v1/tasks/open", false, (*handler).openTasks},
	{"GET /v1/tasks/{id}", false, (*handler).task},
	{"GET /v1/tasks/{id}/notes", false, (*handler).taskNotes},
	{"POST /v1/tasks/{id}/notes", false, (*handler).addTaskNote},
	{"POST /v1/tasks/{id}/complete", false, (*handler).completeTask},
	{"POST /v1/tasks/{id}/attachments", false, (*handler).addTaskAttachment},
	{"GET /v1/calendar.ics", true, (*handler).calendarFeed}, // authenticates itself: a feed token or a bearer token
	{"POST /v1/calendar/feeds", false, (*handler).createCalendarFeed},
	{"GET /v1/calendar/feeds", false, (*handler).calendarFeeds},
	{"DELETE /v1/calendar/feeds/{id}", false, (*handler).revokeCalendarFeed},
	{"GET /v1/end-client/clients", false, (*handler).endClients},
	{"GET /v1/end-client/projects", false, (*handler).endClientProjects},
	{"GET /v1/end-client/projects/{id}", false, (*handler).endClientProject},
	{"GET /v1/end-client/projects/{id}/schedule", false, (*handler).endClientSchedule},
	{"GET /v1/end-client/projects/{id}/team", false, (*handler).endClientTeam},
	{"POST /v1/end-client/projects/{id}/team/email", false, (*handler).endClientEmailTeam},
	{"GET /v1/end-client/tickets", false, (*handler).endClientTickets},
	{"GET /v1/end-client/tickets/{id}", false, (*handler).endClientTicket},
	{"GET /v1/end-client/tickets/{id}/notes", false, (*handler).endClientTicketNotes},
	{"GET /v1/end-client/billed-hours", false, (*handler).billedHours},
	{"GET /v1/end-client/charges", false, (*handler).charges},
	{"GET /v1/end-client/billed-hours/summary", false, (*handler).billedHoursSummary},
	{"GET /healthz", true, (*handler).healthz},
	{"GET /readyz", true, (*handler).readyz},
}

// Routes lists every route pattern served (with /metrics), for the contract
// test that compares them with api/openapi.yaml.
func Routes() []string {
	out := make([]string, 0, len(routes)+1)
	for _, rt := range routes {
		out = append(out, rt.pattern)
	}
	return append(out, "GET /metrics")
}

// New returns the Portal API handler: svc's rules over HTTP, with failed
// logins counted in logins (portald's database, store.Accounts).
func New(svc portal.API, logins LoginAttempts, opt Options) http.Handler {
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.CursorKey == nil {
		opt.CursorKey = make([]byte, 32)
		rand.Read(opt.CursorKey)
	}
	if opt.MaxBodyBytes == 0 {
		opt.MaxBodyBytes = 1 << 20
	}
	if opt.TokenRate == 0 {
		opt.TokenRate, opt.TokenBurst = 20, 40
	}
	if opt.LoginRate == 0 {
		opt.LoginRate, opt.LoginBurst = rate.Every(12*time.Second), 5
	}
	if opt.StreamsPerUser == 0 {
		opt.StreamsPerUser = 2
	}
	if opt.DownloadsPerUser == 0 {
		opt.DownloadsPerUser = 4
	}
	h := &handler{svc: svc, opt: opt, log: opt.Logger, tokens: newLimiters(opt.TokenRate, opt.TokenBurst),
		logins: newLoginLimits(logins, opt.LoginRate, opt.LoginBurst), streams: newUserSlots(), downloads: newUserSlots()}
	h.metrics = newMetrics(opt.Registerer)
	mux := http.NewServeMux()
	h.mux = mux
	for _, rt := range routes {
		serve := rt.serve
		var next http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { serve(h, w, r) })
		if kind, ok := heavyRoutes[rt.pattern]; ok {
			next = h.heavy(kind, next)
		}
		if !rt.public {
			next = h.authenticate(next)
		}
		// Outside authenticate: a refused token is logged and counted
		// under its route too.
		mux.Handle(rt.pattern, withRoute(next))
	}
	mux.Handle("GET /metrics", withRoute(h.metricsAccess(h.metrics.handler(opt.Gatherer))))
	mux.HandleFunc("/", h.notFound)
	return h.assignRequestID(h.observe(h.recover(h.plainText(mux))))
}

// withRoute records the matched pattern for logs and metrics.
func withRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r).route = r.Pattern
		next.ServeHTTP(w, r)
	})
}
