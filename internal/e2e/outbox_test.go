package e2e_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/testutil/smtptest"
	"github.com/portalctl/portalctl/pkg/api"
)

// outboxRow is an email in `portald outbox list`: its status and attempts
// from its first line, and all its lines (one per recipient).
type outboxRow struct {
	status   string
	attempts int
	line     string
}

// outboxRows finds each subject's email in `portald outbox list`.
func outboxRows(t *testing.T, db string, subjects []string) map[string]outboxRow {
	t.Helper()
	out := map[string]outboxRow{}
	lines := strings.Split(strings.TrimSpace(portaldOK(t, "outbox", "list", "--db", db)), "\n")
	byID := map[string]string{} // email id → subject
	for _, line := range lines[1:] {
		f := strings.Fields(line)
		if len(f) < 3 {
			t.Fatalf("outbox list line %q", line)
		}
		for _, s := range subjects {
			if strings.Contains(line+"  ", s+"  ") { // tabwriter pads columns with 2+ spaces
				n, _ := strconv.Atoi(f[2])
				out[s] = outboxRow{status: f[1], attempts: n, line: line}
				byID[f[0]] = s
			}
		}
		if s, ok := byID[f[0]]; ok && !strings.Contains(line+"  ", s+"  ") { // a recipient's line
			r := out[s]
			r.line += "\n" + line
			out[s] = r
		}
	}
	return out
}

// waitOutbox polls `portald outbox list` until ok holds for every subject.
func waitOutbox(t *testing.T, db string, subjects []string, what string, ok func(outboxRow) bool) map[string]outboxRow {
	t.Helper()
	var rows map[string]outboxRow
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		rows = outboxRows(t, db, subjects)
		done := true
		for _, s := range subjects {
			done = done && ok(rows[s])
		}
		if done {
			return rows
		}
	}
	t.Fatalf("the outbox never had every email %s: %v", what, rows)
	return nil
}

// emailTeam sends n team emails as ben and returns their subjects.
func emailTeam(t *testing.T, d *daemon, token, prefix string, n int) []string {
	t.Helper()
	ben := newClient(d.URL, token, newTransport())
	var subjects []string
	for i := range n {
		var res api.EmailResult
		subject := fmt.Sprintf("%s %d", prefix, i)
		if _, err := ben.call("POST", "/v1/projects/P20260105.0001/team/email", api.TeamEmail{Subject: subject, Body: "Is Friday OK?"}, &res); err != nil {
			t.Fatal(err)
		}
		if res.Status != "queued" {
			t.Errorf("%s: status %q while the mail server is not taking it, want queued", subject, res.Status)
		}
		subjects = append(subjects, "[P20260105.0001] "+subject)
	}
	return subjects
}

// serveWithSMTP starts portald sending through sink, with short retries.
func serveWithSMTP(t *testing.T, sink *smtptest.Server, maxAttempts int) (db, token string, d *daemon) {
	db = demoDB(t)
	token = mintToken(t, db, "ben")
	d = startDaemon(t, db, "--smtp-host", "127.0.0.1", "--smtp-port", strconv.Itoa(sink.Port), "--smtp-starttls=false",
		"--smtp-from", "portal@northwind-it.example", "--smtp-retry-base", "300ms", "--smtp-poll", "100ms",
		"--smtp-max-attempts", strconv.Itoa(maxAttempts))
	return db, token, d
}

// TestSMTPDownThenUp: team emails sent while the mail server is down are
// queued, retried with backoff, and delivered exactly once when it is back.
func TestSMTPDownThenUp(t *testing.T) {
	sink := smtptest.NewStopped(t)
	db, token, d := serveWithSMTP(t, sink, 20)
	subjects := emailTeam(t, d, token, "outage", 4)
	waitOutbox(t, db, subjects, "queued and retried while the mail server is down", func(r outboxRow) bool {
		return r.status == "queued" && r.attempts >= 2 && strings.Contains(r.line, "connect to")
	})
	sink.Start()
	rows := waitOutbox(t, db, subjects, "sent once the mail server is back", func(r outboxRow) bool { return r.status == "sent" })
	attempts := []int{}
	for _, s := range subjects {
		receivedOnceEach(t, sink, s)
		attempts = append(attempts, rows[s].attempts)
	}
	if got := sink.Subjects(); len(got) != len(subjects) {
		t.Errorf("the mail server got %v, want only %v", got, subjects)
	}
	t.Logf("SMTP down then up: %d team emails queued while down, delivered once each after %v attempts", len(subjects), attempts)
}

// TestSMTPRejectsMail: a mail server that refuses every message (554, its
// final answer) gets each copy once, and the outbox marks the email failed
// with the reply; nothing is lost: `portald outbox retry --all-failed`
// sends them once the server takes mail again.
func TestSMTPRejectsMail(t *testing.T) {
	sink := smtptest.NewStopped(t)
	sink.SetReject(true)
	sink.Start()
	db, token, d := serveWithSMTP(t, sink, 3)
	subjects := emailTeam(t, d, token, "refused", 3)
	waitOutbox(t, db, subjects, "failed after one attempt", func(r outboxRow) bool {
		return r.status == "failed" && r.attempts == 1 && strings.Contains(r.line, "failed: 554 5.7.1 relay denied")
	})
	if got := sink.Subjects(); len(got) != 0 {
		t.Fatalf("refused emails counted as delivered: %v", got)
	}
	sink.SetReject(false)
	if out := portaldOK(t, "outbox", "retry", "--db", db, "--all-failed"); !strings.Contains(out, "3 email(s) queued for delivery (15 recipient(s))") {
		t.Errorf("outbox retry --all-failed printed %q", out)
	}
	waitOutbox(t, db, subjects, "sent after outbox retry", func(r outboxRow) bool { return r.status == "sent" })
	for _, s := range subjects {
		receivedOnceEach(t, sink, s)
	}
	t.Logf("SMTP rejecting: %d team emails refused once each and marked failed, none lost; delivered once to each recipient after outbox retry --all-failed", len(subjects))
}

// teamAddresses are the addresses of project P20260105.0001's team in the
// demo data, who each get a copy of its team emails.
var teamAddresses = []string{"priya@northwind-it.example", "tom@northwind-it.example", "ben@contoso.example",
	"dora@contoso.example", "nora@contoso.example"}

// receivedOnceEach fails unless every team member got the email with
// subject exactly once, and nobody else got it.
func receivedOnceEach(t *testing.T, sink *smtptest.Server, subject string) {
	t.Helper()
	got := sink.Received(subject)
	for _, a := range teamAddresses {
		if got[a] != 1 {
			t.Errorf("%q reached %s %d times, want exactly once (all: %v)", subject, a, got[a], got)
		}
	}
	if len(got) != len(teamAddresses) {
		t.Errorf("%q went to %v, want only the team %v", subject, got, teamAddresses)
	}
}

// TestSMTPMisbehaving: a mail server that drops every connection at QUIT
// (after taking the message), refuses one team member for good (550) and
// another for now (451, then takes them). Every other member gets each
// team email exactly once, the 451 one too on the retry, and
// `portald outbox list` marks the emails partial with the 550 reply on
// the refused member's line (findings 5 and 6: sent again on every
// retry; nobody got the email).
func TestSMTPMisbehaving(t *testing.T) {
	sink := smtptest.New(t)
	sink.SetDropAtQuit(true)
	sink.SetRcptReplies("tom@northwind-it.example", 550)
	sink.SetRcptReplies("dora@contoso.example", 451, 451, 250)
	db, token, d := serveWithSMTP(t, sink, 10)
	subjects := emailTeam(t, d, token, "misbehaving", 3)
	rows := waitOutbox(t, db, subjects, "partial: all but tom have it", func(r outboxRow) bool { return r.status == "partial" })
	time.Sleep(time.Second) // a resend would come within the retry base (300 ms)
	for _, s := range subjects {
		got := sink.Received(s)
		for _, a := range teamAddresses {
			if want := map[bool]int{true: 0, false: 1}[a == "tom@northwind-it.example"]; got[a] != want {
				t.Errorf("%q reached %s %d times, want %d (all: %v)", s, a, got[a], want, got)
			}
		}
		if !regexp.MustCompile(`tom@northwind-it\.example +failed: 550 5\.1\.1 no such user`).MatchString(rows[s].line) {
			t.Errorf("outbox list for %q:\n%s", s, rows[s].line)
		}
	}
	t.Logf("misbehaving SMTP (drop at QUIT, 550 one member, 451 twice another): %d team emails, each member but the refused one got each exactly once", len(subjects))
}
