package mail_test

import (
	"bytes"
	"context"
	"io"
	"net/mail"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	pmail "github.com/portalctl/portalctl/internal/mail"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/testutil/smtptest"
)

var ctx = context.Background()

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }
func newClock() *clock               { return &clock{t: time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)} }

func newOutbox(t *testing.T, port int, c *clock, max int) (*pmail.Outbox, *sqlite.DB) {
	t.Helper()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cfg := pmail.SMTPConfig{From: "portal@northwind-it.example", Timeout: 5 * time.Second}
	if port > 0 {
		cfg.Host, cfg.Port = "127.0.0.1", port
	}
	return pmail.New(db, cfg, pmail.Options{Now: c.now, MaxAttempts: max}), db
}

func teamEmail() store.Email {
	return store.Email{Kind: "team_email", To: []string{"priya@northwind-it.example", "ben@contoso.example"},
		ReplyTo: "ava@contoso.example", Subject: "[P20260105.0001] Überprüfung des Umzugs", Body: "Is Friday OK?\nThanks, Ava — Contoso"}
}

func TestSendDeliversWhatTheUserWrote(t *testing.T) {
	srv := smtptest.New(t)
	out, db := newOutbox(t, srv.Port, newClock(), 0)
	e, err := out.Send(ctx, teamEmail())
	if err != nil || e.Status != store.EmailSent || e.Attempts != 1 || e.SentAt == nil {
		t.Fatalf("send: %+v %v", e, err)
	}
	// Each recipient gets a copy of their own, addressed to them alone.
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("%d messages, want one per recipient: %+v", len(msgs), msgs)
	}
	for i, to := range e.To {
		if msgs[i].From != "portal@northwind-it.example" || strings.Join(msgs[i].To, ",") != to {
			t.Errorf("envelope %d: from %s to %v, want to %s", i, msgs[i].From, msgs[i].To, to)
		}
		m, err := mail.ReadMessage(bytes.NewReader(msgs[i].Data))
		if err != nil {
			t.Fatal(err)
		}
		subject, _ := new(mimeDecoder).DecodeHeader(m.Header.Get("Subject"))
		replyTo, _ := mail.ParseAddress(m.Header.Get("Reply-To"))
		header, _ := m.Header.AddressList("To")
		if subject != "[P20260105.0001] Überprüfung des Umzugs" || replyTo == nil || replyTo.Address != "ava@contoso.example" ||
			len(header) != 1 || header[0].Address != to || m.Header.Get("Message-Id") == "" {
			t.Errorf("headers: %v (subject %q)", m.Header, subject)
		}
		body, _ := io.ReadAll(quotedPrintable(m.Body))
		if strings.TrimSuffix(string(body), "\r\n") != "Is Friday OK?\r\nThanks, Ava — Contoso" {
			t.Errorf("body %q", body)
		}
	}
	if stored, _ := db.Email(ctx, e.ID); stored.Status != store.EmailSent || stored.Deliveries[1].Status != store.EmailSent {
		t.Fatalf("outbox row: %+v", stored)
	}
}

func TestServerDownThenUpSendsExactlyOnce(t *testing.T) {
	srv := smtptest.NewStopped(t)
	c := newClock()
	out, db := newOutbox(t, srv.Port, c, 0)
	e, err := out.Send(ctx, teamEmail())
	if err != nil || e.Status != store.EmailQueued || e.Attempts != 1 || !strings.Contains(e.LastError, "connect to") {
		t.Fatalf("with the server down the email must stay queued: %+v %v", e, err)
	}
	srv.Start()
	out.RetryDue(ctx) // not due yet: nothing happens
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("sent before its retry time: %d", n)
	}
	c.add(2 * time.Minute)
	var wg sync.WaitGroup
	for range 2 { // two workers at once
		wg.Add(1)
		go func() { defer wg.Done(); out.RetryDue(ctx) }()
	}
	wg.Wait()
	receivedOnce(t, srv, e)
	if stored, _ := db.Email(ctx, e.ID); stored.Status != store.EmailSent || stored.Attempts != 2 || stored.LastError != "" {
		t.Fatalf("outbox row: %+v", stored)
	}
}

// TestRejectedMailFailsAtOnce: a 5xx is the server's final answer; the
// email is not retried (it was, up to --smtp-max-attempts), and the reply
// is kept.
func TestRejectedMailFailsAtOnce(t *testing.T) {
	srv := smtptest.New(t)
	srv.SetReject(true)
	c := newClock()
	out, db := newOutbox(t, srv.Port, c, 3)
	e, _ := out.Send(ctx, teamEmail())
	for range 5 {
		c.add(2 * time.Hour)
		out.RetryDue(ctx)
	}
	stored, _ := db.Email(ctx, e.ID)
	if stored.Status != store.EmailFailed || stored.Attempts != 1 || stored.LastError != "554 5.7.1 relay denied" {
		t.Fatalf("after a 554: %+v", stored)
	}
}

func TestNotConfiguredKeepsEmailsQueued(t *testing.T) {
	out, db := newOutbox(t, 0, newClock(), 0)
	e, err := out.Send(ctx, teamEmail())
	if err != nil || e.Status != store.EmailQueued || e.Attempts != 0 {
		t.Fatalf("%+v %v", e, err)
	}
	runCtx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	out.Run(runCtx) // returns at once: nothing to deliver through
	if stored, _ := db.Email(ctx, e.ID); stored.Status != store.EmailQueued {
		t.Fatalf("%+v", stored)
	}
}

func TestStartTLSRequiredButNotOffered(t *testing.T) {
	port := smtptest.New(t).Port
	db, _ := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	defer db.Close()
	out := pmail.New(db, pmail.SMTPConfig{Host: "127.0.0.1", Port: port, From: "p@example.com", StartTLS: true}, pmail.Options{})
	e, _ := out.Send(ctx, teamEmail())
	if e.Status != store.EmailQueued || !strings.Contains(e.LastError, "does not offer STARTTLS") {
		t.Fatalf("%+v", e)
	}
}

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	if d := pmail.Backoff(1); d < 30*time.Second || d > 36*time.Second {
		t.Errorf("first retry after %v", d)
	}
	if d := pmail.Backoff(3); d < 2*time.Minute || d > 145*time.Second {
		t.Errorf("third retry after %v", d)
	}
	if d := pmail.Backoff(30); d < time.Hour || d > 72*time.Minute {
		t.Errorf("capped retry after %v", d)
	}
}
