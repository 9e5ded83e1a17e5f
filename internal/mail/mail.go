// Package mail delivers portal emails (team emails, notifications) through
// SMTP from the outbox: every email is recorded first, sent at once when
// possible, and otherwise retried with backoff by a worker, so nothing is
// lost while the mail server is down.
package mail

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"math/rand/v2"
	netmail "net/mail"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/mailaddr"
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
	From     string        // "portal@example.com" or "Portal <portal@example.com>" (mailaddr.ParseSender)
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

// Store is the outbox the worker delivers from: portald's database
// (store.Accounts).
type Store interface {
	EnqueueEmail(ctx context.Context, e store.Email) (store.Email, error)
	// DueEmails claims up to limit queued emails due at now: exactly one
	// caller gets each, even across processes sharing the database.
	DueEmails(ctx context.Context, now time.Time, limit int) ([]store.Email, error)
	UpdateEmail(ctx context.Context, e store.Email) error
}

// Outbox implements portal.Outbox.
type Outbox struct {
	st      Store
	cfg     SMTPConfig
	opt     Options
	from    *netmail.Address // cfg.From parsed: the envelope takes its Address
	fromErr error            // why cfg.From is not a sender address
}

var _ portal.Outbox = (*Outbox)(nil)

// New returns an outbox over st delivering through cfg.
func New(st Store, cfg SMTPConfig, opt Options) *Outbox {
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
	o := &Outbox{st: st, cfg: cfg, opt: opt}
	o.from, o.fromErr = mailaddr.ParseSender(cfg.From)
	if o.fromErr != nil {
		o.fromErr = fmt.Errorf("sender address %q (--smtp-from): %w", cfg.From, o.fromErr)
	}
	return o
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

// attempt sends a copy of e to every recipient who has not got one yet and
// records each outcome: a copy the server took is sent for good, one it
// refused with a 5xx (or to an invalid address) failed for good, and any
// other failure is retried, for that recipient only, until MaxAttempts.
func (o *Outbox) attempt(ctx context.Context, e store.Email) (store.Email, error) {
	// Saved even when ctx has ended (the HTTP client hung up, portald is
	// stopping): a copy the server took but still recorded as queued would
	// be sent again.
	save := context.WithoutCancel(ctx)
	var pending []int
	for i := range e.Deliveries {
		if e.Deliveries[i].Status == store.EmailQueued {
			pending = append(pending, i)
			e.Deliveries[i].Attempts++
		}
	}
	e.Attempts++
	left := len(pending)
	err := o.deliver(ctx, &e, pending, func() {
		// Each copy taken is saved at once (the email stays claimed), so that
		// a process that dies mid-way never sends it to that recipient again;
		// the last one is saved with the outcome below.
		if left--; left > 0 {
			if err := o.st.UpdateEmail(save, e); err != nil {
				o.opt.Logger.Error("outbox: cannot record a delivery", "outbox_id", e.ID, "err", err)
			}
		}
	})
	if err != nil {
		o.opt.Logger.Warn("outbox: SMTP session ended early", "outbox_id", e.ID, "err", err)
	}
	now := o.opt.Now().UTC()
	for _, i := range pending {
		if d := &e.Deliveries[i]; d.Status == store.EmailQueued && d.Attempts >= o.opt.MaxAttempts {
			d.Status = store.EmailFailed
		}
	}
	e.Status, e.LastError = outcome(e.Deliveries)
	log := o.opt.Logger.With("outbox_id", e.ID, "recipients", len(e.Deliveries), "attempts", e.Attempts)
	switch e.Status {
	case store.EmailQueued:
		e.NextAttemptAt = now.Add(backoff(o.opt.RetryBase, e.Attempts))
		log.Warn("email not delivered to every recipient yet; will retry", "retry_at", e.NextAttemptAt, "err", e.LastError)
	case store.EmailSent:
		e.SentAt = &now
		log.Info("email sent")
	case store.EmailPartial:
		e.SentAt = &now
		log.Error("email not delivered to some recipients, for good", "err", e.LastError)
	default:
		log.Error("email failed for good", "err", e.LastError)
	}
	return e, o.st.UpdateEmail(save, e)
}

// outcome is an email's status from its deliveries, and what went wrong
// for the recipients who do not have it (one reply when they share it).
func outcome(ds []store.Delivery) (status, lastError string) {
	var queued, sent, failed bool
	var problems []string
	var first string
	shared := true // every recipient without the email has the same reply
	for _, d := range ds {
		switch d.Status {
		case store.EmailSent:
			sent = true
			continue
		case store.EmailQueued:
			queued = true
		default:
			failed = true
		}
		reply := ReplyText(d)
		if len(problems) == 0 {
			first = reply
		} else if reply != first {
			shared = false
		}
		problems = append(problems, d.Address+": "+reply)
	}
	switch {
	case queued:
		status = store.EmailQueued
	case !failed:
		return store.EmailSent, ""
	case sent:
		status = store.EmailPartial
	default:
		status = store.EmailFailed
	}
	if shared && len(problems) > 1 {
		return status, first
	}
	return status, strings.Join(problems, "; ")
}

// ReplyText is a delivery's last reply as one line: "550 5.1.1 no such
// user", or the error that kept the copy from being sent.
func ReplyText(d store.Delivery) string {
	if d.ReplyCode == 0 {
		return d.Reply
	}
	return strings.TrimSpace(fmt.Sprintf("%d %s", d.ReplyCode, d.Reply))
}

// Requeue queues every delivery of e that failed for another round of
// attempts (portald outbox retry) and reports how many; copies already
// sent stay sent, so nobody gets the email twice.
func Requeue(e *store.Email, now time.Time) int {
	n := 0
	for i := range e.Deliveries {
		if d := &e.Deliveries[i]; d.Status == store.EmailFailed {
			d.Status, d.Attempts = store.EmailQueued, 0
			n++
		}
	}
	if n > 0 {
		e.Status, e.NextAttemptAt = store.EmailQueued, now
	}
	return n
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
