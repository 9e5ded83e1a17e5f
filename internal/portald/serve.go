package portald

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/MakeNowJust/heredoc"
	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/spf13/cobra"
	"golang.org/x/time/rate"
)

// serveOptions are the flags of `portald serve`.
type serveOptions struct {
	store, db, addr, tlsCert, tlsKey, cursorKey, logFormat, logLevel string
	pprofAddr                                                        string
	shutdownTimeout                                                  time.Duration
	rateLimit                                                        float64
	rateBurst                                                        int
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
	f.IntVar(&o.rateBurst, "rate-burst", 40, "requests a token may make at once before --rate-limit applies")
	f.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 20*time.Second, "how long in-flight requests may take to finish on shutdown")
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
	svc := portal.New(data, portal.Options{Outbox: outbox})
	srv := &http.Server{
		Handler: httpapi.New(svc, httpapi.Options{Logger: logger, CursorKey: cursorKey,
			TokenRate: tokenRate, TokenBurst: o.rateBurst}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Long NDJSON exports extend their own write deadline as rows flow
		// (http.ResponseController), so this only bounds stalled responses.
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
