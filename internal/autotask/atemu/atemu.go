// Package atemu is an in-process emulator of the Autotask PSA REST API v1.0
// for tests: zone discovery, credential checks, entity queries with the full
// filter language and paging through nextPageUrl, counts, single and child
// reads, creates and updates with required-field checks, picklists, the
// hourly request threshold (latency past 50 % and 75 %, 429 past it) and
// faults on demand. It is seeded from the portal import format
// (internal/dataset) mapped onto Autotask entities as portald reads them;
// its schema is generated from Autotask's own (schema.go).
//
// It follows docs/autotask.md where that differs from the first contract:
// a POST query's nextPageUrl is fetched with POST and the same body (GET
// answers 405 {"Message": …}); validation and business-rule errors are 500
// {"errors": […]}; an unknown UserName or ApiIntegrationCode is a 500, a
// wrong Secret a 401; child entities (Tasks, ProjectNotes, Phases,
// ProjectAttachments) are written only through their parent's path.
//
// Records are held as encoding/json decodes them (numbers are float64) and
// are never changed in place: a patch stores a new map, so readers need no
// lock once they hold a record.
package atemu

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/portalctl/portalctl/internal/autotask"
)

// Options configure an emulator.
type Options struct {
	Credentials    autotask.Credentials // the only accepted credentials (others → 401)
	PageSize       int                  // 0 = 500
	HourlyLimit    int                  // 0 = 10000; past it → 429 with Retry-After
	ThresholdDelay time.Duration        // latency past 50 % (×1) and 75 % (×2) of HourlyLimit
	// Now is the clock Autotask stamps records with (createDateTime,
	// completedDateTime, the date in taskNumber); nil = time.Now. Tests
	// pass a fixed clock so created records have the numbers and times a
	// local store would give them. The hourly request window always uses
	// the real clock: it is what a real threshold counts.
	Now func() time.Time
}

// Server is a running emulator. Every method is safe for concurrent use.
type Server struct {
	opts Options
	srv  *httptest.Server

	mu      sync.Mutex
	tables  map[string]*table // by entity name
	content map[int64][]byte  // ProjectAttachments data by attachment id
	custom  map[string]int    // custom Client Portal level name → securityLevel
	seed    *seedState        // set while Seed runs

	calls     int64
	perEntity map[string]int64 // lower-case entity name → calls
	inflight  map[string]int   // endpoint (first path segment, lower case) → calls in progress
	peak      map[string]int   // endpoint → most calls in progress at once
	// refusedThreads counts calls refused past the thread limit.
	refusedThreads int
	refusals       []string    // requests refused as invalid (Refusals)
	window         []time.Time // accepted calls of the last hour, oldest first
	down           bool
	latency        time.Duration
	failN          int
	failCode       int
	failMsgs       []string
}

// table holds one entity's records and their ids in ascending order.
type table struct {
	rows map[int64]map[string]any
	ids  []int64
}

const apiRoot = "/atservicesrest/"

// New starts an emulator; Close stops it.
func New(opts Options) *Server {
	if opts.PageSize <= 0 {
		opts.PageSize = 500
	}
	if opts.HourlyLimit <= 0 {
		opts.HourlyLimit = 10000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, tables: map[string]*table{}, content: map[int64][]byte{}, custom: map[string]int{}, perEntity: map[string]int64{},
		inflight: map[string]int{}, peak: map[string]int{}}
	for _, e := range entities {
		s.tables[e.name] = &table{rows: map[int64]map[string]any{}}
	}
	// AttachmentInfo describes every attachment: here, the project ones.
	s.tables["AttachmentInfo"] = s.tables["ProjectAttachments"]
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// URL is the API base, ending in "/v1.0/".
func (s *Server) URL() string { return s.srv.URL + apiRoot + "v1.0/" }

// DiscoveryURL is what a client passes as its discovery URL: its
// zoneInformation answers url = this server.
func (s *Server) DiscoveryURL() string { return s.srv.URL + strings.TrimSuffix(apiRoot, "/") }

// Calls is the number of HTTP calls answered (of every kind, 401s and
// injected failures included; not the calls dropped while down).
func (s *Server) Calls() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// CallsTo is the number of calls answered for one entity (case-insensitive).
// A child path counts for the child entity: Projects/5/Tasks for Tasks,
// Projects/5/Attachments/7 for ProjectAttachments.
func (s *Server) CallsTo(entity string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.perEntity[strings.ToLower(entity)]
}

// PeakConcurrency is the most calls to one object endpoint (the first path
// segment, case-insensitive: Projects/5/Tasks counts for Projects) that
// were in progress at once. Autotask allows 3 per endpoint and integration
// code and refuses more (ThreadRefusals).
func (s *Server) PeakConcurrency(endpoint string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak[strings.ToLower(endpoint)]
}

// Refusals lists the requests the emulator refused as Autotask would
// (unknown route or method, a query or body it rejects), each "METHOD
// path: status body". Thread-limit refusals, injected failures and
// missing records are not in it. A test that expects none asserts it is
// empty: every request its client sent passed the schema extract.
func (s *Server) Refusals() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.refusals...)
}

// ResetRefusals forgets the refusals so far.
func (s *Server) ResetRefusals() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refusals = nil
}

// ThreadRefusals is the number of calls refused with Itgenatr005 because
// more than 3 were in progress on their endpoint.
func (s *Server) ThreadRefusals() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refusedThreads
}

// ResetCalls sets the call counters and PeakConcurrency to zero (not the
// hourly threshold).
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls, s.perEntity, s.peak = 0, map[string]int64{}, map[string]int{}
}

// SetDown makes the server close every connection without an answer.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
}

// SetLatency delays every answer by d.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// FailNext makes the next n calls answer status with {"errors": messages}.
func (s *Server) FailNext(n int, status int, messages ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(messages) == 0 {
		messages = []string{http.StatusText(status)}
	}
	s.failN, s.failCode, s.failMsgs = n, status, messages
}

// Record is a copy of one stored record, nil when there is none.
func (s *Server) Record(entity string, id int64) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := lookupEntity(entity)
	if e == nil {
		return nil
	}
	return clone(s.tables[e.name].rows[id])
}

// Records are copies of all records of an entity, by id.
func (s *Server) Records(entity string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := lookupEntity(entity)
	if e == nil {
		return nil
	}
	t := s.tables[e.name]
	out := make([]map[string]any, 0, len(t.ids))
	for _, id := range t.ids {
		out = append(out, clone(t.rows[id]))
	}
	return out
}

// put stores a record under its id (s.mu held), keeping ids sorted.
func (s *Server) put(entity string, rec map[string]any) {
	t := s.tables[entity]
	id := int64(rec["id"].(float64))
	if _, exists := t.rows[id]; !exists {
		i := sort.Search(len(t.ids), func(i int) bool { return t.ids[i] >= id })
		t.ids = append(t.ids, 0)
		copy(t.ids[i+1:], t.ids[i:])
		t.ids[i] = id
	}
	t.rows[id] = rec
}

// nextID is one above the highest id of the entity (s.mu held).
func (s *Server) nextID(entity string) int64 {
	t := s.tables[entity]
	if len(t.ids) == 0 {
		return 1
	}
	return t.ids[len(t.ids)-1] + 1
}

// clone deep-copies a record so callers can neither see later patches nor
// change the stored one.
func clone(rec map[string]any) map[string]any {
	if rec == nil {
		return nil
	}
	b, _ := json.Marshal(rec)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeErrors(w http.ResponseWriter, status int, messages ...string) {
	writeJSON(w, status, map[string][]string{"errors": messages})
}
