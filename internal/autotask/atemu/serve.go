package atemu

import (
	"bytes"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// entityOf names the entity a call addresses, for the per-entity counters:
// the child's entity on a child path, "" for an unknown path.
func entityOf(method string, segs []string) string {
	if rt, _, _ := match(method, segs); rt != nil {
		return rt.entity
	}
	if rt, _, _ := match(http.MethodGet, segs); rt != nil {
		return rt.entity
	}
	if e := lookupEntity(segs[0]); e != nil {
		return e.name
	}
	return ""
}

// serve answers one call: faults first (down, latency, FailNext), then
// credentials, the hourly threshold, and the route.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if s.isDown() {
		dropConnection(w)
		return
	}
	// Paths are case-insensitive: Autotask's own nextPageUrls say /ATServicesRest/V1.0/.
	path := r.URL.Path
	prefix := apiRoot + "v1.0/"
	if len(path) < len(prefix) || !strings.EqualFold(path[:len(prefix)], prefix) {
		s.tally("")
		writeErrors(w, http.StatusNotFound, "no such resource: "+r.URL.Path)
		return
	}
	segs := strings.Split(strings.Trim(path[len(prefix):], "/"), "/")
	entity := entityOf(r.Method, segs)
	delay, fail, failCode, failMsgs := s.tally(entity)
	zone := len(segs) == 1 && strings.EqualFold(segs[0], "zoneInformation")
	if !zone { // zoneInformation is not thread-limited (docs/autotask.md §8)
		leave, over := s.enter(threadKey(segs))
		defer leave()
		if over {
			writeErrors(w, http.StatusInternalServerError, threadRefusal)
			return
		}
	}
	if !sleep(r, delay) {
		return
	}
	if fail {
		writeErrors(w, failCode, failMsgs...)
		return
	}
	if zone {
		s.zoneInformation(w, r) // asks for no credentials: it only names the zone
		return
	}
	if status, msg := s.authorize(r); status != 0 {
		writeErrors(w, status, msg)
		return
	}
	delay, retryAfter := s.takeBudget()
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retryAfter.Seconds()))))
		writeErrors(w, http.StatusTooManyRequests, fmt.Sprintf(
			"The request threshold of %d requests an hour has been reached; retry later.", s.opts.HourlyLimit))
		return
	}
	if !sleep(r, delay) {
		return
	}
	rec := &recorder{ResponseWriter: w}
	s.route(rec, r, segs)
	if rec.refusal() {
		s.mu.Lock()
		s.refusals = append(s.refusals, fmt.Sprintf("%s %s: %d %s", r.Method, strings.Join(segs, "/"), rec.status, rec.body.String()))
		s.mu.Unlock()
	}
}

// recorder keeps what the route answered, to tell refusals.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status >= 400 && r.body.Len() < 500 {
		r.body.Write(b)
	}
	return r.ResponseWriter.Write(b)
}

// refusal: Autotask refused the request itself (a route or method it does
// not have, a body or query it rejects), not a missing record.
func (r *recorder) refusal() bool {
	switch {
	case r.status < 400:
		return false
	case r.status == http.StatusNotFound:
		return strings.Contains(r.body.String(), "No HTTP resource")
	}
	return true
}

func (s *Server) isDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.down
}

// tally counts one answered call and says how long to wait and whether an
// injected failure answers it.
func (s *Server) tally(entity string) (delay time.Duration, fail bool, code int, msgs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if entity != "" {
		s.perEntity[strings.ToLower(entity)]++
	}
	if s.failN > 0 {
		s.failN--
		return s.latency, true, s.failCode, s.failMsgs
	}
	return s.latency, false, 0, nil
}

// threadLimit is Autotask's limit of concurrent requests per object
// endpoint and API tracking identifier (docs/autotask.md §8).
const threadLimit = 3

// threadRefusal is the answer past the thread limit: Autotask sends it as
// a 500 (msoukhomlinov/n8n-nodes-autotask CHANGELOG: "Itgenatr005 … may
// arrive with a non-429 status"; PR #107 quotes the message).
const threadRefusal = "Thread Threshold Exceeded: The Autotask API thread threshold of 3 threads has been exceeded. (Itgenatr005)"

// enter counts a call in progress on an endpoint (for PeakConcurrency and
// the thread limit); over reports a call past the limit, which Autotask
// refuses. The returned func ends the call.
func (s *Server) enter(key string) (leave func(), over bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight[key]++
	s.peak[key] = max(s.peak[key], s.inflight[key])
	over = s.inflight[key] > threadLimit
	if over {
		s.refusedThreads++
	}
	return func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.inflight[key]--
	}, over
}

// dropConnection closes the connection without writing a byte, as a
// server that is down (or a broken load balancer) does.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // closes the connection on HTTP/2 too
}

// sleep waits d unless the client gives up first; false means it did.
func sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// authorize checks the credential headers as Autotask does (docs/autotask.md
// §2): a wrong secret is a 401, but an unknown user name or integration
// code is a 500 with an errors body.
func (s *Server) authorize(r *http.Request) (status int, message string) {
	c := s.opts.Credentials
	switch {
	case r.Header.Get("UserName") != c.Username:
		return http.StatusInternalServerError, "No API user with this UserName exists."
	case r.Header.Get("ApiIntegrationCode") != c.IntegrationCode:
		return http.StatusInternalServerError, "The ApiIntegrationCode is not valid."
	case r.Header.Get("Secret") != c.Secret:
		return http.StatusUnauthorized, "The Secret is not valid for this API user."
	}
	return 0, ""
}

// takeBudget admits one call into the sliding hour. Past the limit it
// returns how long until the oldest call leaves the window; past 50 % and
// 75 % of the limit it returns the added latency.
func (s *Server) takeBudget() (delay, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	s.dropOld(now)
	if len(s.window) >= s.opts.HourlyLimit {
		return 0, max(s.window[0].Add(time.Hour).Sub(now), time.Second)
	}
	s.window = append(s.window, now)
	switch n := len(s.window); {
	case 4*n > 3*s.opts.HourlyLimit:
		return 2 * s.opts.ThresholdDelay, 0
	case 2*n > s.opts.HourlyLimit:
		return s.opts.ThresholdDelay, 0
	}
	return 0, 0
}

// dropOld forgets the calls older than an hour (s.mu held).
func (s *Server) dropOld(now time.Time) {
	i := 0
	for i < len(s.window) && now.Sub(s.window[i]) >= time.Hour {
		i++
	}
	s.window = s.window[i:]
}

func (s *Server) zoneInformation(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("user") == "" {
		writeErrors(w, http.StatusBadRequest, "The user query parameter is required.")
		return
	}
	if r.URL.Query().Get("user") != s.opts.Credentials.Username {
		// As Autotask answers it (KelvinTegelaar/AutotaskAPI #17).
		writeErrors(w, http.StatusInternalServerError, "Zone information could not be determined")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{ // url without the trailing slash, as Autotask may send it
		"zoneName": "Emulator Zone", "url": s.srv.URL + strings.TrimSuffix(apiRoot, "/"),
		"webUrl": s.srv.URL + "/", "ci": 1,
	})
}

func (s *Server) thresholdInformation(w http.ResponseWriter) {
	s.mu.Lock()
	s.dropOld(time.Now())
	n := len(s.window)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]int{
		"externalRequestThreshold": s.opts.HourlyLimit, "requestThresholdTimeframe": 60,
		"currentTimeframeRequestCount": n,
	})
}
