package portald

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/mailaddr"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/spf13/cobra"
	"golang.org/x/time/rate"
)

// serveOptions are the flags of `portald serve`.
type serveOptions struct {
	store, db, addr, tlsCert, tlsKey, cursorKey, logFormat, logLevel string
	pprofAddr, webURL                                                string
	shutdownTimeout                                                  time.Duration
	rateLimit                                                        float64
	rateBurst                                                        int
	emailRate                                                        float64
	emailBurst                                                       int
	metricsPublic                                                    bool
	smtp                                                             smtpFlags
	autotask                                                         autotaskFlags
	copy                                                             copyFlags
}

func newServe() *cobra.Command {
	var o serveOptions
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the Portal API",
		Long: heredoc.Doc(`
			Serve the Portal API v1 on --addr (loopback by default). The listening address
			is printed on standard error (useful with --addr 127.0.0.1:0). SIGTERM or
			Ctrl-C stops accepting connections and lets in-flight requests finish.

			With --store autotask portald serves a synced copy of an Autotask PSA kept in
			--db: it reads Autotask through its REST API every --autotask-sync-interval
			(changes only; the first run copies everything, paced to
			--autotask-initial-share of the hourly budget, and resumes after a restart),
			so reads never call Autotask and the cost does not grow with the number of
			users. Notes, issues and task completions are written to Autotask first, then
			to the copy. The API user's credentials come from AUTOTASK_USERNAME,
			AUTOTASK_SECRET and AUTOTASK_INTEGRATION_CODE (or --autotask-config). With
			several instances on one PostgreSQL database exactly one syncs at a time. Every
			answer carries Portal-Data-Age (seconds); portald sync status shows the sync.

			Team emails and notifications are always recorded in the outbox; with
			--smtp-host they are also sent, and retried with backoff when the mail server
			is down (see portald outbox).

			Limits that keep one user from taking the portal from the others: --rate-limit
			requests a second per token; 2 NDJSON exports and 4 attachment downloads at once
			per user (429 with Retry-After past that), each read by its client at 32 KiB/s
			on average or cut, never stalled for more than 10 s; exports and downloads read
			the database on connections of their own, and a request that finds the
			database busy (an import holding its lock), out of connections or its disk full
			answers 503 with Retry-After, which portalctl retries. /readyz is not ready
			while the database's disk is full.

			Logins: per IP, 20 failures a minute; per username at one IP, 5 a minute; per
			username from any address, 100 in 15 minutes (so no single address can lock a
			user out). Successful logins do not count. The counts live in the database and
			are shared by every instance using it.

			/metrics (Prometheus) is served to loopback clients only, unless
			--metrics-public: it shows Go runtime and process figures and request counts
			and latencies by route and status, never ids, users or portal data.

			Unless GOGC or GOMEMLIMIT are set, serve runs Go's garbage collector with
			GOGC=400 and a 64 MiB soft memory limit: requests leave little live data, so
			collecting less often saves CPU under load.
		`),
		Example: heredoc.Doc(`
			portald serve --db portal.db
			portald serve --db portal.db --store autotask
			PORTALD_ADDR=0.0.0.0:8443 portald serve --tls-cert cert.pem --tls-key key.pem
		`),
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return serve(cmd.Context(), cmd, o) },
	}
	f := cmd.Flags()
	dbFlag(cmd, &o.db)
	f.StringVar(&o.store, "store", "db", "where the portal data comes from: db (the --db database) or autotask (a copy of an Autotask PSA that portald keeps in --db)")
	o.autotask.register(cmd)
	o.copy.register(cmd)
	f.StringVar(&o.addr, "addr", "127.0.0.1:8787", "listen address")
	f.StringVar(&o.tlsCert, "tls-cert", "", "TLS certificate file (PEM); serves HTTPS with --tls-key")
	f.StringVar(&o.tlsKey, "tls-key", "", "TLS private key file (PEM)")
	f.StringVar(&o.cursorKey, "cursor-key", "", "hex key signing paging cursors (default: random per start; set it when several instances serve one database)")
	f.StringVar(&o.logFormat, "log-format", "json", "log format: json or text")
	f.StringVar(&o.logLevel, "log-level", "info", "least important log level written: debug, info (one access line per request), warn or error")
	f.Float64Var(&o.rateLimit, "rate-limit", 20, "requests per second allowed per token (0: no limit)")
	f.BoolVar(&o.metricsPublic, "metrics-public", false, "serve /metrics to every address (default: loopback clients only)")
	f.IntVar(&o.rateBurst, "rate-burst", 40, "requests a token may make at once before --rate-limit applies")
	f.Float64Var(&o.emailRate, "email-rate", 60, "emails per hour each user may send: team emails and the task notifications their notes and completions send, counted in the database, so shared by every instance (0: no limit)")
	f.IntVar(&o.emailBurst, "email-burst", 10, "emails a user may send at once before --email-rate applies")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 20*time.Second, "how long in-flight requests may take to finish on shutdown")
	f.StringVar(&o.webURL, "web-url", "", "the portal's web address, e.g. https://portal.example.com: GET /v1/me returns it and `portalctl projects view --web` opens {web-url}/projects/{id}")
	f.StringVar(&o.pprofAddr, "pprof-addr", "", "serve Go's profiler (net/http/pprof) on this loopback address, for benchmarks")
	f.MarkHidden("pprof-addr")
	o.smtp.register(cmd)
	return cmd
}

func serve(ctx context.Context, cmd *cobra.Command, o serveOptions) error {
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return usageError{errors.New("--tls-cert and --tls-key go together")}
	}
	if o.smtp.host != "" && o.smtp.from == "" {
		return usageError{errors.New("--smtp-host needs --smtp-from, the sender address of portal emails")}
	}
	if o.smtp.from != "" {
		// Checked before serving: a sender every email would fail with is a
		// setting to fix now, not a queue of failures to find later.
		if _, err := mailaddr.ParseSender(o.smtp.from); err != nil {
			return usageError{fmt.Errorf("--smtp-from %q: %v", o.smtp.from, err)}
		}
	}
	if o.smtp.retryBase <= 0 || o.smtp.poll <= 0 || o.smtp.maxAttempts < 1 {
		return usageError{errors.New("--smtp-retry-base and --smtp-poll must be positive durations, --smtp-max-attempts at least 1")}
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return usageError{fmt.Errorf("--log-level %q: choose debug, info, warn or error", o.logLevel)}
	}
	var logger *slog.Logger
	switch handlerOpts := (&slog.HandlerOptions{Level: level}); o.logFormat {
	case "json":
		logger = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), handlerOpts))
	case "text":
		logger = slog.New(slog.NewTextHandler(cmd.ErrOrStderr(), handlerOpts))
	default:
		return usageError{fmt.Errorf("--log-format %q: choose json or text", o.logFormat)}
	}
	if o.rateLimit < 0 || o.rateBurst < 1 {
		return usageError{errors.New("--rate-limit must be 0 (no limit) or more, and --rate-burst at least 1")}
	}
	if o.emailRate < 0 || o.emailBurst < 1 {
		return usageError{errors.New("--email-rate must be 0 (no limit) or more, and --email-burst at least 1")}
	}
	var emailEvery time.Duration
	if o.emailRate > 0 {
		emailEvery = time.Duration(min(float64(time.Hour)/o.emailRate, float64(365*24*time.Hour)))
	}
	tokenRate := rate.Limit(o.rateLimit)
	if o.rateLimit == 0 {
		tokenRate = rate.Inf
	}
	var cursorKey []byte
	if o.cursorKey != "" {
		k, err := hex.DecodeString(o.cursorKey)
		if err != nil || len(k) < 16 {
			return usageError{errors.New("--cursor-key must be at least 32 hex digits")}
		}
		cursorKey = k
	}
	if o.webURL != "" {
		if u, err := url.Parse(o.webURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return usageError{fmt.Errorf("--web-url %q: want an http(s) URL such as https://portal.example.com", o.webURL)}
		}
		o.webURL = strings.TrimRight(o.webURL, "/")
	}
	if o.store != "db" && o.store != "autotask" {
		return usageError{fmt.Errorf("--store %q: choose db or autotask", o.store)}
	}
	tuneGC(os.Getenv)
	if o.pprofAddr != "" {
		stop, err := servePprof(o.pprofAddr)
		if err != nil {
			return err
		}
		defer stop()
	}
	st, err := openDB(ctx, o.db)
	if err != nil {
		return err
	}
	defer st.Close()
	data, runSync, err := o.portalData(ctx, st, logger)
	if err != nil {
		return err
	}
	outbox, runOutbox := o.smtp.outbox(st, logger)
	svc := portal.New(data, portal.Options{Outbox: outbox, EmailEvery: emailEvery, EmailBurst: o.emailBurst, WebURL: o.webURL})
	srv := &http.Server{
		Handler: httpapi.New(svc, httpapi.Options{Logger: logger, CursorKey: cursorKey,
			TokenRate: tokenRate, TokenBurst: o.rateBurst, MetricsPublic: o.metricsPublic}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// NDJSON exports and downloads set their own write deadlines as
		// data flows (httpapi's pacer), so this only bounds other stalled
		// responses.
		WriteTimeout: 60 * time.Second,
		IdleTimeout:  120 * time.Second,
		ErrorLog:     slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.addr, err)
	}
	scheme := "http"
	if o.tlsCert != "" {
		scheme = "https"
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "portald listening on %s://%s\n", scheme, ln.Addr())
	workerCtx, stopWorker := context.WithCancel(context.Background())
	defer stopWorker()
	go runOutbox(workerCtx)
	go runSync(workerCtx)
	errc := make(chan error, 1)
	go func() {
		if o.tlsCert != "" {
			errc <- srv.ServeTLS(ln, o.tlsCert, o.tlsKey)
		} else {
			errc <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: waiting for in-flight requests", "timeout", o.shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), o.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopWorker()
	logger.Info("stopped")
	return nil
}
