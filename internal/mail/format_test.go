package mail_test

import (
	"bytes"
	"io"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pmail "github.com/portalctl/portalctl/internal/mail"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/internal/testutil/smtptest"
)

// TestMessagesKeepRFC5322Limits (finding 16): a body written with CRLF
// line ends keeps one line end per line (it had a blank line after every
// line); a subject of 250 emoji (3,689 characters as one header line) and
// a team of 60 (a To: line over 998) give header lines within 78
// characters, as the server receives them, and read back unchanged.
func TestMessagesKeepRFC5322Limits(t *testing.T) {
	srv := smtptest.New(t)
	out, _ := newOutbox(t, srv.Port, newClock(), 0)
	email := teamEmail()
	email.Subject = "[P20260105.0001] " + strings.Repeat("🚀", 250)
	email.Body = "Line one\r\nLine two\r\n\r\nAfter a blank line, a long one: " + strings.Repeat("word ", 40) + "\nand an LF line\n"
	email.To = nil
	for i := range 60 {
		email.To = append(email.To, "member"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+string(rune('0'+i/26))+"@northwind-it.example")
	}
	e, err := out.Send(ctx, email)
	if err != nil || e.Status != store.EmailSent {
		t.Fatalf("send: %s %v (%s)", e.Status, err, e.LastError)
	}
	msgs := srv.Messages()
	if len(msgs) != 60 {
		t.Fatalf("%d messages, want 60", len(msgs))
	}
	for _, msg := range msgs {
		header, body, _ := bytes.Cut(msg.Data, []byte("\r\n\r\n"))
		for _, line := range strings.Split(string(header), "\r\n") {
			if len(line) > 78 {
				t.Errorf("header line of %d characters (RFC 5322 wants at most 78 where it can fold): %q", len(line), line)
			}
		}
		for _, line := range strings.Split(string(body), "\r\n") {
			if len(line) > 998 || strings.ContainsAny(line, "\r\n") {
				t.Errorf("body line %q: over 998 characters or a bare CR/LF", line)
			}
		}
		m, err := mail.ReadMessage(bytes.NewReader(msg.Data))
		if err != nil {
			t.Fatal(err)
		}
		if s := msg.DecodedSubject(); s != email.Subject {
			t.Errorf("subject reads back as %q", s)
		}
		to, err := m.Header.AddressList("To")
		if err != nil || len(to) != 1 || to[0].Address != msg.To[0] {
			t.Errorf("To: %v %v, want %s alone", to, err, msg.To[0])
		}
		text, _ := io.ReadAll(quotedPrintable(m.Body))
		want := "Line one\r\nLine two\r\n\r\nAfter a blank line, a long one: " + strings.Repeat("word ", 40) + "\r\nand an LF line\r\n"
		if string(text) != want {
			t.Errorf("body reads back as %q, want %q", text, want)
		}
	}
}

// TestSenderWithDisplayName (finding 7): --smtp-from 'Portal <addr>' gives
// the envelope the bare address (MAIL FROM:<Portal <addr>> was refused by
// strict servers) and the From header the display form.
func TestSenderWithDisplayName(t *testing.T) {
	srv := smtptest.New(t)
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	out := pmail.New(db, pmail.SMTPConfig{Host: "127.0.0.1", Port: srv.Port, From: "Northwind Portal <portal@northwind-it.example>",
		Timeout: 5 * time.Second}, pmail.Options{})
	if e, err := out.Send(ctx, teamEmail()); err != nil || e.Status != store.EmailSent {
		t.Fatalf("send: %+v %v", e, err)
	}
	msgs := srv.Messages()
	if len(msgs) == 0 || msgs[0].From != "portal@northwind-it.example" {
		t.Fatalf("envelope sender: %+v, want the bare address", msgs)
	}
	m, _ := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	from, err := mail.ParseAddress(m.Header.Get("From"))
	if err != nil || from.Name != "Northwind Portal" || from.Address != "portal@northwind-it.example" {
		t.Errorf("From header %q: %v %v", m.Header.Get("From"), from, err)
	}
}
