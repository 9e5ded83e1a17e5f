package autotask

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultDiscoveryURL is where zone discovery starts when Config.DiscoveryURL is "".
const DefaultDiscoveryURL = "https://webservices.autotask.net/atservicesrest"

const (
	defaultHourlyLimit  = 10000
	defaultMaxRetries   = 3
	defaultRetryBase    = time.Second
	defaultMaxRetryWait = 30 * time.Second
	defaultTimeout      = 30 * time.Second
	perEntityCalls      = 3   // Autotask: at most 3 concurrent requests per entity endpoint
	syncEvery           = 100 // calls between reads of ThresholdInformation
	pageSize            = 500 // Autotask's largest page
)

// Config configures a Client. Only the credentials are required.
type Config struct {
	Credentials
	BaseURL      string        // zone API base ending in "/v1.0/"; "" = discover it
	DiscoveryURL string        // "" = DefaultDiscoveryURL
	HTTPClient   *http.Client  // nil = a client with a 30 s timeout
	HourlyLimit  int           // 0 = 10000
	MaxRetries   int           // retries of 429/502/503/504/connection errors for reads, of 429 for writes; 0 = 3
	RetryBase    time.Duration // first backoff, doubled each retry; 0 = 1 s (tests pass 1 ms)
	Logger       *slog.Logger  // nil = discard; never logs credentials
	// MaxRetryWait caps one wait between retries; a 429 whose Retry-After is
	// longer is returned at once as *RateLimitError, so a portal request is
	// not held for minutes. 0 = 30 s.
	MaxRetryWait time.Duration
}

// Client calls the Autotask REST API. It is safe for concurrent use.
type Client struct {
	creds        Credentials
	base         *url.URL // ends in "/v1.0/"
	http         *http.Client
	log          *slog.Logger
	maxRetries   int
	retryBase    time.Duration
	maxRetryWait time.Duration

	budget    *slidingBudget
	calls     atomic.Int64 // HTTP calls made, every kind and attempt
	sinceSync atomic.Int64 // calls since the last ThresholdInformation read; -1 = never read
	syncing   atomic.Bool

	serial  chan struct{} // held by each call while the budget is past 50 %
	slotsMu sync.Mutex
	slots   map[string]chan struct{} // per entity endpoint, capacity perEntityCalls

	// sleep waits d or until ctx ends; tests replace it to record waits.
	sleep func(ctx context.Context, d time.Duration) error
	now   func() time.Time
}

// New returns a Client. When cfg.BaseURL is "" it discovers the zone of
// cfg.Username first (one call).
func New(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Username == "" || cfg.Secret == "" || cfg.IntegrationCode == "" {
		return nil, errors.New("autotask: the API user name, secret and integration code are all required")
	}
	c := &Client{
		creds:        cfg.Credentials,
		http:         cfg.HTTPClient,
		log:          cfg.Logger,
		maxRetries:   orDefault(cfg.MaxRetries, defaultMaxRetries),
		retryBase:    orDefault(cfg.RetryBase, defaultRetryBase),
		maxRetryWait: orDefault(cfg.MaxRetryWait, defaultMaxRetryWait),
		budget:       newSlidingBudget(orDefault(cfg.HourlyLimit, defaultHourlyLimit)),
		serial:       make(chan struct{}, 1),
		slots:        map[string]chan struct{}{},
		sleep:        sleepCtx,
		now:          time.Now,
	}
	c.sinceSync.Store(-1)
	if c.http == nil {
		c.http = &http.Client{Timeout: defaultTimeout}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	base := cfg.BaseURL
	if base == "" {
		var err error
		if base, err = c.discover(ctx, orDefault(cfg.DiscoveryURL, DefaultDiscoveryURL)); err != nil {
			return nil, err
		}
	}
	u, err := parseBase(base)
	if err != nil {
		return nil, err
	}
	c.base = u
	return c, nil
}

// BaseURL returns the zone API base the client calls, ending in "/v1.0/".
func (c *Client) BaseURL() string { return c.base.String() }

// Calls returns the number of HTTP calls made so far (retries included).
func (c *Client) Calls() int64 { return c.calls.Load() }

type zoneInfo struct {
	ZoneName string `json:"zoneName"`
	URL      string `json:"url"`
}

// discover asks which zone (datacenter) hosts the API user's database:
// GET {discovery}/v1.0/zoneInformation?user=… (no credentials needed) and
// returns its url, which may lack the trailing slash, + "/v1.0/".
func (c *Client) discover(ctx context.Context, discoveryURL string) (string, error) {
	u, err := url.Parse(strings.TrimRight(discoveryURL, "/") + "/v1.0/zoneInformation")
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return "", fmt.Errorf("autotask: discovery URL %q is not an http(s) URL", discoveryURL)
	}
	u.RawQuery = url.Values{"user": {c.creds.Username}}.Encode()
	var zone zoneInfo
	err = c.do(ctx, request{method: http.MethodGet, url: u, entity: "zoneInformation", discovery: true}, &zone)
	if err != nil {
		return "", err
	}
	if zone.URL == "" {
		return "", &AuthError{Status: http.StatusOK, Messages: []string{"zone discovery found no zone for this API user name"}}
	}
	return strings.TrimRight(zone.URL, "/") + "/v1.0/", nil
}

func parseBase(base string) (*url.URL, error) {
	if !strings.HasSuffix(base, "/") {
		base += "/"
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("autotask: API base URL %q is not an http(s) URL", base)
	}
	return u, nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
