package mail_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	pmail "github.com/portalctl/portalctl/internal/mail"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/testutil/smtptest"
)

// TestWorkerLeavesAnEmailBeingSentAlone: while Send is still talking to a
// slow mail server, the retry worker polls many times; it must not claim
// the same email and deliver it a second time.
func TestWorkerLeavesAnEmailBeingSentAlone(t *testing.T) {
	srv := smtptest.New(t)
	srv.SetDelay(400 * time.Millisecond)
	port := srv.Port
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := pmail.New(db, pmail.SMTPConfig{Host: "127.0.0.1", Port: port, From: "portal@northwind-it.example", Timeout: 5 * time.Second},
		pmail.Options{PollInterval: 10 * time.Millisecond})
	runCtx, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { defer close(stopped); out.Run(runCtx) }()

	e, err := out.Send(ctx, teamEmail())
	stop()
	<-stopped // a delivery the worker started has finished too
	if err != nil || e.Status != store.EmailSent {
		t.Fatalf("send: %+v %v", e, err)
	}
	receivedOnce(t, srv, e)
}

// TestRecordsTheOutcomeWhenTheCallerHasGone: the HTTP client that asked
// for the email may hang up while it is being delivered; the outcome must
// still be recorded, or the worker would send the email again later.
func TestRecordsTheOutcomeWhenTheCallerHasGone(t *testing.T) {
	srv := smtptest.New(t)
	srv.SetDelay(200 * time.Millisecond)
	port := srv.Port
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := pmail.New(db, pmail.SMTPConfig{Host: "127.0.0.1", Port: port, From: "portal@northwind-it.example", Timeout: 5 * time.Second}, pmail.Options{})
	reqCtx, hangUp := context.WithCancel(ctx)
	go func() { // hang up during DATA, while the server holds its reply
		select {
		case <-srv.DataStarted():
			hangUp()
		case <-reqCtx.Done():
		}
	}()
	e, _ := out.Send(reqCtx, teamEmail())
	receivedOnce(t, srv, e)
	if stored, err := db.Email(ctx, e.ID); err != nil || stored.Status != store.EmailSent {
		t.Fatalf("outbox row %+v (%v), want it recorded as sent", stored, err)
	}
}
