package httpapi

import (
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/portalctl/portalctl/pkg/api"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

type metrics struct {
	registry prometheus.Gatherer
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// series caches each route and status's counter and histogram: looking
	// them up by label values hashes the labels on every request.
	mu     sync.RWMutex
	series map[seriesKey]*series
}

type seriesKey struct {
	route  string
	status int
}

type series struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{series: map[seriesKey]*series{},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "portald_http_requests_total",
			Help: "HTTP requests by route pattern and status."}, []string{"route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "portald_http_request_duration_seconds",
			Help: "HTTP request duration by route pattern.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}, []string{"route"}),
	}
	if reg == nil {
		r := prometheus.NewRegistry()
		r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
		reg, m.registry = r, r
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) observe(route string, status int, d time.Duration) {
	k := seriesKey{route, status}
	m.mu.RLock()
	s := m.series[k]
	m.mu.RUnlock()
	if s == nil {
		// Routes are the mux's patterns and statuses a few dozen codes, so
		// the cache stays small.
		s = &series{m.requests.WithLabelValues(route, strconv.Itoa(status)), m.duration.WithLabelValues(route)}
		m.mu.Lock()
		m.series[k] = s
		m.mu.Unlock()
	}
	s.requests.Inc()
	s.duration.Observe(d.Seconds())
}

func (m *metrics) handler(g prometheus.Gatherer) http.Handler {
	if g == nil {
		g = m.registry
	}
	if g == nil {
		g = prometheus.DefaultGatherer
	}
	return promhttp.HandlerFor(g, promhttp.HandlerOpts{})
}

// metricsAccess serves /metrics to loopback clients only (a scraper on the
// same host), unless Options.MetricsPublic: it tells anyone who can reach
// it how busy the portal is and how its process fares. What it exposes:
// Go runtime and process figures (memory, CPU, open files, start time) and
// request counts and latencies by route pattern and status, never an id,
// a user or any portal data.
func (h *handler) metricsAccess(next http.Handler) http.Handler {
	if h.opt.MetricsPublic {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if ip, err := netip.ParseAddr(clientIP(r)); err != nil || !ip.Unmap().IsLoopback() {
			h.writeError(w, r, api.Errorf(api.CodeForbidden,
				"/metrics is served to loopback clients only; the operator can open it with portald serve --metrics-public"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
