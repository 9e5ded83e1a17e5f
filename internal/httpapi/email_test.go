package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/mail"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/internal/testutil/smtptest"
	"github.com/portalctl/portalctl/pkg/api"
)

// TestEmailFloodIsRateLimited (finding 17, "email flooding": 47 team emails
// in 0.4 s): a user's emails are limited on top of the per-token request
// limit, and the limit lives in the database, so two instances on one
// store share it. Past it: 429 rate_limited with Retry-After, nothing
// sent, and a task note that would notify is refused before it is written
// (so trying again later does not add it twice). Other users are not
// affected.
func TestEmailFloodIsRateLimited(t *testing.T) {
	portaltest.EachBackend(t, testEmailFloodIsRateLimited)
}

func testEmailFloodIsRateLimited(t *testing.T, backend string) {
	const burst = 5
	opt := portal.Options{EmailEvery: time.Minute, EmailBurst: burst, Now: func() time.Time { return portaltest.Now }}
	db := portaltest.NewStoreOn(t, backend)
	contract := newContract(t)
	instance := func() *env { // instances on the same database
		svc := portal.New(db.Stores, opt)
		srv := httptest.NewServer(httpapi.New(svc, db.Accounts, httpapi.Options{TokenRate: rate.Inf, TokenBurst: 1, Logger: slog.New(slog.DiscardHandler)}))
		t.Cleanup(srv.Close)
		return &env{t: t, srv: srv, svc: svc, db: db, contract: contract}
	}
	a, b := instance(), instance()
	ben := a.token("ben")

	const flood = 47
	statuses := map[int]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range flood {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e := []*env{a, b}[i%2]
			status, hdr, body := e.call("POST", "/v1/projects/1/team/email", ben, fmt.Sprintf(`{"subject":"flood %d","body":"b"}`, i))
			mu.Lock()
			defer mu.Unlock()
			statuses[status]++
			if status == 429 {
				if secs, err := strconv.Atoi(hdr.Get("Retry-After")); err != nil || secs < 1 || secs > 60 {
					t.Errorf("429 with Retry-After %q, want 1 to 60 seconds", hdr.Get("Retry-After"))
				}
				var eb api.ErrorBody
				if json.Unmarshal([]byte(body), &eb) != nil || eb.Error.Code != api.CodeRateLimited {
					t.Errorf("429 body %s", body)
				}
			}
		}()
	}
	wg.Wait()
	if statuses[202] != burst || statuses[429] != flood-burst {
		t.Fatalf("%d team emails over two instances: %v, want %d accepted and the rest 429", flood, statuses, burst)
	}
	queued := 0
	if err := a.db.Accounts.Emails(context.Background(), "", func(store.Email) error { queued++; return nil }); err != nil || queued != burst {
		t.Fatalf("%d emails in the outbox (%v), want %d", queued, err, burst)
	}

	// A task note that would notify the assignee is refused, and not added.
	notes := func() int {
		_, _, body := a.call("GET", "/v1/tasks/100/notes", ben, "")
		var l api.List[api.TaskNote]
		json.Unmarshal([]byte(body), &l)
		return len(l.Items)
	}
	before := notes()
	if status, _, body := b.call("POST", "/v1/tasks/100/notes", ben, `{"subject":"s","body":"b"}`); status != 429 || notes() != before {
		t.Errorf("task note past the email limit: %d %s, %d notes (were %d); want 429 and nothing added", status, body, notes(), before)
	}
	if status, _, body := a.call("POST", "/v1/projects/1/team/email", a.token("adam"), `{"subject":"adam's","body":"b"}`); status != 202 {
		t.Errorf("another user: %d %s, want 202", status, body)
	}
}

// TestTeamEmailStatusPerRecipient (finding 6): the mail server refuses one
// team member for good (550) and another for now (451); everyone else has
// the email at once, and its sender, alone, can see who did not get it
// and why; after the retry only the 550 one has not.
func TestTeamEmailStatusPerRecipient(t *testing.T) {
	sink := smtptest.New(t)
	sink.SetRcptReplies("tom@northwind-it.example", 550)
	sink.SetRcptReplies("dora@contoso.example", 451, 250)
	db := portaltest.NewStoreOn(t, "sqlite")
	var mu sync.Mutex
	now := portaltest.Now
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	out := mail.New(db.Accounts, mail.SMTPConfig{Host: "127.0.0.1", Port: sink.Port, From: "Portal <portal@northwind-it.example>",
		Timeout: 5 * time.Second}, mail.Options{Now: clock})
	svc := portal.New(db.Stores, portal.Options{Outbox: out, Now: clock})
	e := &env{t: t, svc: svc, db: db, contract: newContract(t)}
	e.srv = httptest.NewServer(httpapi.New(svc, db.Accounts, httpapi.Options{Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(e.srv.Close)
	ben := e.token("ben")

	status, _, body := e.call("POST", "/v1/projects/1/team/email", ben, `{"subject":"Cut-over","body":"Is Friday OK?"}`)
	var res api.EmailResult
	if status != 202 || json.Unmarshal([]byte(body), &res) != nil || res.Status != "queued" || len(res.Recipients) != 5 {
		t.Fatalf("POST: %d %s, want 202 queued to the 5 members", status, body)
	}
	path := fmt.Sprintf("/v1/emails/%d", res.ID)
	want := map[string]string{
		"priya@northwind-it.example": "sent 1 <nil> ",
		"tom@northwind-it.example":   "failed 1 550 5.1.1 no such user",
		"ben@contoso.example":        "sent 1 <nil> ",
		"dora@contoso.example":       "queued 1 451 4.3.0 mailbox busy, try again later",
		"nora@contoso.example":       "sent 1 <nil> ",
	}
	checkStatus := func(wantStatus string) {
		t.Helper()
		status, _, body := e.call("GET", path, ben, "")
		var st api.EmailStatus
		if status != 200 || json.Unmarshal([]byte(body), &st) != nil || st.Status != wantStatus || st.Subject != "[P20260105.0001] Cut-over" {
			t.Fatalf("GET %s: %d %s, want 200 %s", path, status, body, wantStatus)
		}
		for _, r := range st.Recipients {
			code := "<nil>"
			if r.ReplyCode != nil {
				code = strconv.Itoa(*r.ReplyCode)
			}
			if got := fmt.Sprintf("%s %d %s %s", r.Status, r.Attempts, code, r.Reply); got != want[r.Address] {
				t.Errorf("%s: %q, want %q", r.Address, got, want[r.Address])
			}
		}
	}
	checkStatus("queued")
	if status, _, _ := e.call("GET", path, e.token("ava"), ""); status != 404 {
		t.Errorf("the sender's manager asked: %d, want 404", status)
	}

	mu.Lock()
	now = now.Add(10 * time.Minute) // past the first retry's backoff
	mu.Unlock()
	out.RetryDue(context.Background())
	want["dora@contoso.example"] = "sent 2 <nil> "
	checkStatus("partial")
	got := sink.Received("[P20260105.0001] Cut-over")
	for addr, w := range want {
		if n := got[addr]; (n == 1) != (w[:4] == "sent") || n > 1 {
			t.Errorf("%s received the email %d times (%s)", addr, n, w)
		}
	}
}
