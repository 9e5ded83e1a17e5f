package mail_test

import (
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/testutil/smtptest"
)

// receivedOnce fails unless every recipient of e got exactly one message
// with its subject.
func receivedOnce(t *testing.T, srv *smtptest.Server, e store.Email) {
	t.Helper()
	got := srv.Received(e.Subject)
	for _, to := range e.To {
		if got[to] != 1 {
			t.Errorf("%s received the email %d times, want exactly once (all: %v)", to, got[to], got)
		}
	}
	if len(got) != len(e.To) {
		t.Errorf("the email went to %v, want only %v", got, e.To)
	}
}

// TestDroppedQuitDeliversOnce: a mail server that takes the message (250
// after DATA) and then drops the connection at QUIT has the email; it must
// be recorded as sent and never sent again (finding 5: sent up to
// --smtp-max-attempts times).
func TestDroppedQuitDeliversOnce(t *testing.T) {
	srv := smtptest.New(t)
	srv.SetDropAtQuit(true)
	c := newClock()
	out, db := newOutbox(t, srv.Port, c, 0)
	e, err := out.Send(ctx, teamEmail())
	if err != nil {
		t.Fatal(err)
	}
	for range 5 { // the retry worker polls while time passes
		c.add(2 * time.Hour)
		out.RetryDue(ctx)
	}
	receivedOnce(t, srv, e)
	if stored, _ := db.Email(ctx, e.ID); stored.Status != store.EmailSent || stored.Attempts != 1 || stored.LastError != "" {
		t.Errorf("outbox row: %+v, want sent after one attempt", stored)
	}
}
