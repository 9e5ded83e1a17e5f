// Package mail delivers portal emails (team emails, notifications) through
// SMTP from the outbox: every email is recorded first, sent at once when
// possible, and otherwise retried with backoff by a worker, so nothing is
// lost while the mail server is down.
package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/smtp"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
)

// SMTPConfig is the mail server. An empty Host means SMTP is not configured:
// emails are recorded as queued and never sent.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	StartTLS bool          // require STARTTLS (it is used whenever offered)
	Timeout  time.Duration // per delivery; default 20 s
	TLS      *tls.Config   // nil: verify against the system roots for Host
}

// Options tune the outbox.
type Options struct {
	Now          func() time.Time
	Logger       *slog.Logger
	PollInterval time.Duration // worker poll; default 5 s
	MaxAttempts  int           // then "failed"; default 10
	RetryBase    time.Duration // wait after the first failure, doubling each time; default 30 s
}

// Outbox implements portal.Outbox.
type Outbox struct {
	st  store.Store
	cfg SMTPConfig
	opt Options
}

var _ portal.Outbox = (*Outbox)(nil)

// New returns an outbox over st delivering through cfg.
func New(st store.Store, cfg SMTPConfig, opt Options) *Outbox {
	if cfg.Timeout == 0 {
		cfg.Timeout = 20 * time.Second
	}
	if cfg.Port == 0 {
		cfg.Port = 587
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.PollInterval == 0 {
		opt.PollInterval = 5 * time.Second
	}
	if opt.MaxAttempts == 0 {
		opt.MaxAttempts = 10
	}
	if opt.RetryBase == 0 {
		opt.RetryBase = 30 * time.Second
	}
	return &Outbox{st: st, cfg: cfg, opt: opt}
}

// Send records e and tries to deliver it at once. An SMTP failure is not an
// error: the email stays queued for the worker.
func (o *Outbox) Send(ctx context.Context, e store.Email) (store.Email, error) {
	e.Status = store.EmailQueued
	if o.cfg.Host != "" {
		// Recorded as claimed by this attempt, the way DueEmails claims: the
		// worker would otherwise find it due and deliver it a second time
		// while this attempt still talks to the mail server. Should this
		// process die mid-attempt, the worker picks it up once the claim ends.
		e.NextAttemptAt = o.opt.Now().UTC().Add(o.cfg.Timeout + time.Minute)
	}
	e, err := o.st.EnqueueEmail(ctx, e)
	if err != nil || o.cfg.Host == "" {
		return e, err
	}
	return o.attempt(ctx, e)
}

// attempt delivers one email and records the outcome.
func (o *Outbox) attempt(ctx context.Context, e store.Email) (store.Email, error) {
	err := o.deliver(ctx, e)
	now := o.opt.Now().UTC()
	e.Attempts++
	switch {
	case err == nil:
		e.Status, e.SentAt, e.LastError = store.EmailSent, &now, ""
		o.opt.Logger.Info("email sent", "outbox_id", e.ID, "recipients", len(e.To), "attempts", e.Attempts)
	case e.Attempts >= o.opt.MaxAttempts:
		e.Status, e.LastError = store.EmailFailed, err.Error()
		o.opt.Logger.Error("email failed for good", "outbox_id", e.ID, "attempts", e.Attempts, "err", err)
	default:
		e.LastError, e.NextAttemptAt = err.Error(), now.Add(backoff(o.opt.RetryBase, e.Attempts))
		o.opt.Logger.Warn("email delivery failed; will retry", "outbox_id", e.ID, "attempts", e.Attempts, "retry_at", e.NextAttemptAt, "err", err)
	}
	// Recorded even when ctx has ended (the HTTP client hung up, portald is
	// stopping): an email the server accepted but still marked queued would
	// be sent again.
	return e, o.st.UpdateEmail(context.WithoutCancel(ctx), e)
}

// Backoff is the wait after the n-th failed attempt: 30 s doubling, capped
// at one hour, with up to 20 % jitter so retries of many emails spread out.
func Backoff(n int) time.Duration { return backoff(30*time.Second, n) }

// backoff is Backoff from another first wait (Options.RetryBase), with the
// cap scaled alike (120 times the first wait).
func backoff(base time.Duration, n int) time.Duration {
	d := base << min(n-1, 7)
	d = min(d, 120*base)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// Run retries due emails until ctx ends.
func (o *Outbox) Run(ctx context.Context) {
	if o.cfg.Host == "" {
		return
	}
	tick := time.NewTicker(o.opt.PollInterval)
	defer tick.Stop()
	for {
		o.RetryDue(ctx)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// RetryDue claims and delivers every email that is due now.
func (o *Outbox) RetryDue(ctx context.Context) {
	for ctx.Err() == nil {
		due, err := o.st.DueEmails(ctx, o.opt.Now(), 20)
		if err != nil {
			o.opt.Logger.Error("outbox: cannot read due emails", "err", err)
			return
		}
		if len(due) == 0 {
			return
		}
		for _, e := range due {
			if _, err := o.attempt(ctx, e); err != nil {
				o.opt.Logger.Error("outbox: cannot record delivery", "outbox_id", e.ID, "err", err)
			}
		}
	}
}

// deliver sends one email over SMTP.
func (o *Outbox) deliver(ctx context.Context, e store.Email) error {
	ctx, cancel := context.WithTimeout(ctx, o.cfg.Timeout)
	defer cancel()
	addr := net.JoinHostPort(o.cfg.Host, strconv.Itoa(o.cfg.Port))
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", addr, err)
	}
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	c, err := smtp.NewClient(conn, o.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("greeting from %s: %w", addr, err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		cfg := o.cfg.TLS
		if cfg == nil {
			cfg = &tls.Config{ServerName: o.cfg.Host}
		}
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("STARTTLS with %s: %w", addr, err)
		}
	} else if o.cfg.StartTLS {
		return fmt.Errorf("%s does not offer STARTTLS, which is required (--smtp-starttls)", addr)
	}
	if o.cfg.Username != "" {
		// PlainAuth refuses to send the password over an unencrypted
		// connection to anything but localhost.
		if err := c.Auth(smtp.PlainAuth("", o.cfg.Username, o.cfg.Password, o.cfg.Host)); err != nil {
			return fmt.Errorf("SMTP login as %s: %w", o.cfg.Username, err)
		}
	}
	msg, err := compose(o.cfg.From, e, o.opt.Now())
	if err != nil {
		return err
	}
	if err := c.Mail(o.cfg.From); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	for _, to := range e.To {
		if err := c.Rcpt(to); err != nil {
			return fmt.Errorf("RCPT TO %s: %w", to, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := io.Copy(w, msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("message refused: %w", err)
	}
	// The server took the message (250 after DATA): it is delivered. QUIT
	// only says goodbye; a connection dropped or timed out now must not
	// count as a failure, or the retry would send the email again.
	c.Quit()
	return nil
}
