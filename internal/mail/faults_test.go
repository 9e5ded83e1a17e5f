package mail_test

import (
	"bytes"
	"net/mail"
	"strings"
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

// TestOneRefusedRecipientBlocksNoOne: the server refuses one recipient for
// good (550) and another for now (451, then takes it). Everyone else gets
// the email at once; the 451 one gets it on the retry, and only they do;
// the 550 one is never tried again, and its reply is kept (finding 6:
// nobody got it, and it was retried ten times).
func TestOneRefusedRecipientBlocksNoOne(t *testing.T) {
	srv := smtptest.New(t)
	srv.SetDropAtQuit(true) // and the server drops every connection at QUIT
	srv.SetRcptReplies("tom@northwind-it.example", 550)
	srv.SetRcptReplies("dora@contoso.example", 451, 250)
	c := newClock()
	out, db := newOutbox(t, srv.Port, c, 0)
	email := teamEmail()
	email.To = []string{"priya@northwind-it.example", "tom@northwind-it.example", "dora@contoso.example", "ben@contoso.example"}
	e, err := out.Send(ctx, email)
	if err != nil || e.Status != store.EmailQueued {
		t.Fatalf("send: %+v %v", e, err)
	}
	want := map[string]store.Delivery{
		"priya@northwind-it.example": {Status: store.EmailSent, ReplyCode: 250},
		"tom@northwind-it.example":   {Status: store.EmailFailed, ReplyCode: 550, Reply: "5.1.1 no such user"},
		"dora@contoso.example":       {Status: store.EmailQueued, ReplyCode: 451, Reply: "4.3.0 mailbox busy, try again later"},
		"ben@contoso.example":        {Status: store.EmailSent, ReplyCode: 250},
	}
	checkDeliveries(t, db, e.ID, want, 1)
	if got := srv.Received(e.Subject); got["priya@northwind-it.example"] != 1 || got["ben@contoso.example"] != 1 || len(got) != 2 {
		t.Fatalf("after the first attempt the server has %v, want priya and ben once", got)
	}

	for range 5 {
		c.add(2 * time.Hour)
		out.RetryDue(ctx)
	}
	want["dora@contoso.example"] = store.Delivery{Status: store.EmailSent, ReplyCode: 250}
	stored := checkDeliveries(t, db, e.ID, want, 2)
	if stored.Status != store.EmailPartial || stored.LastError != "tom@northwind-it.example: 550 5.1.1 no such user" {
		t.Errorf("outbox row: %s %q, want partial with tom's reply", stored.Status, stored.LastError)
	}
	e.To = []string{"priya@northwind-it.example", "dora@contoso.example", "ben@contoso.example"}
	receivedOnce(t, srv, e)
}

// checkDeliveries compares an email's deliveries with want (status and
// reply by address) and the attempts of the row; it returns the row.
func checkDeliveries(t *testing.T, db store.Accounts, id int64, want map[string]store.Delivery, attempts int) store.Email {
	t.Helper()
	stored, err := db.Email(ctx, id)
	if err != nil || stored.Attempts != attempts {
		t.Fatalf("outbox row %+v %v, want %d attempts", stored, err, attempts)
	}
	for _, d := range stored.Deliveries {
		w := want[d.Address]
		if d.Status != w.Status || d.ReplyCode != w.ReplyCode || d.Reply != w.Reply || (d.SentAt != nil) != (w.Status == store.EmailSent) {
			t.Errorf("%s: %+v, want %+v", d.Address, d, w)
		}
	}
	return stored
}

// TestInvalidAddressesNeverReachAHeader: addresses that slipped past the
// import checks (an Autotask contact record, an old database) holding a
// line break: the recipient's copy fails at once without a word to the
// server, a Reply-To is left out; the others get the email, and no
// injected header or recipient exists anywhere (finding 8).
func TestInvalidAddressesNeverReachAHeader(t *testing.T) {
	srv := smtptest.New(t)
	out, db := newOutbox(t, srv.Port, newClock(), 0)
	evil := "ben@contoso.example\r\nBcc: evil@attacker.example\r\nX-Evil: 1"
	email := teamEmail()
	email.To = []string{"priya@northwind-it.example", evil}
	email.ReplyTo = evil
	e, err := out.Send(ctx, email)
	if err != nil || e.Status != store.EmailPartial {
		t.Fatalf("send: %+v %v", e, err)
	}
	if d := e.Deliveries[1]; d.Status != store.EmailFailed || d.Reply != "not a valid address: holds a line break" {
		t.Errorf("the invalid recipient: %+v", d)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "priya@northwind-it.example" {
		t.Fatalf("the server got %+v, want one copy for priya", msgs)
	}
	m, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"Bcc", "X-Evil", "Reply-To"} {
		if v, ok := m.Header[h]; ok {
			t.Errorf("header %s: %q made it into the message", h, v)
		}
	}
	if strings.Contains(string(msgs[0].Data), "attacker") {
		t.Errorf("the message holds the injected text:\n%s", msgs[0].Data)
	}
	if stored, _ := db.Email(ctx, e.ID); stored.Status != store.EmailPartial {
		t.Errorf("outbox row: %+v", stored)
	}
}
