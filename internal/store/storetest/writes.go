package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func testBilledHours(t *testing.T, st store.Stores, o Options) {
	rows := func(q store.BilledHoursQuery) []api.BilledHoursRow {
		q.BillingOrgID = fabrikam
		return collect(t, func(each func(api.BilledHoursRow) error) error { return st.Data.BilledHoursFeed(ctx, q, nil, each) })
	}
	all := rows(store.BilledHoursQuery{})
	want := 3 + 700 + 2 // and 2 items of end-client tickets
	if len(all) != want {
		t.Fatalf("rows billed to Fabrikam: %d, want %d (never Tailspin's own items 60003 and 70002, nor Fabrikam's own ticket's 70005)", len(all), want)
	}
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.WorkedDate > b.WorkedDate || (a.WorkedDate == b.WorkedDate && a.ID >= b.ID) {
			t.Fatalf("not ordered by (worked_date, id) at %d: %s/%d then %s/%d", i, a.WorkedDate, a.ID, b.WorkedDate, b.ID)
		}
	}
	feb := rows(store.BilledHoursQuery{From: "2026-02-01", To: "2026-02-28", ClientID: tailspin})
	for _, r := range feb {
		if r.WorkedDate < "2026-02-01" || r.WorkedDate > "2026-02-28" || r.ClientID != tailspin {
			t.Errorf("outside the filter: %+v", r)
		}
	}
	var rack api.BilledHoursRow
	for _, r := range feb {
		if r.ID == 60001 {
			rack = r
		}
	}
	if rack.ClientName != "Tailspin Dental" || val(rack.ProjectNumber) != "P20260201.0005" || *rack.TaskNumber != "T20260201.0005" ||
		*rack.Resource != "Tom Berg" || rack.HoursWorked.String() != "3.50" || rack.HoursBilled.String() != "3.00" ||
		rack.Rate.String() != "150.00" || rack.Amount.String() != o.amount(api.NewDecimal(3, 0), api.NewDecimal(150, 0)) || !rack.BilledAt.Equal(time.Date(2026, 2, 4, 1, 30, 0, 0, time.UTC)) {
		t.Errorf("row fields: %+v", rack)
	}
	for _, r := range rows(store.BilledHoursQuery{AfterID: 60004}) {
		if r.ID <= 60004 {
			t.Errorf("AfterID 60004 returned %d", r.ID)
		}
	}
	if got := rows(store.BilledHoursQuery{ProjectID: 8, To: "2025-12-31"}); len(got) == 0 || val(got[0].ProjectID) != 8 {
		t.Errorf("project filter: %+v", got)
	}
}

// testExactHours: hours are exact to 0.01 however many items are summed.
func testExactHours(t *testing.T, newStore Factory, o Options) {
	var b strings.Builder
	b.WriteString(`{"portal":{"support_email":"s@example.com"},
		"organizations":[{"id":1,"name":"Biller"},{"id":2,"name":"Client"}],
		"contracts":[{"id":1,"organization_id":2,"name":"C","billing_organization_id":1}],
		"projects":[{"id":1,"number":"P1","name":"P","organization_id":2,"status":"new","contract_id":1}],
		"billing_items":[`)
	for i := range 1000 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"id":%d,"project_id":1,"contract_id":1,"worked_date":"2026-01-01","hours_worked":0.1,"hours_billed":0.1,"rate":0.33}`, i+1)
	}
	b.WriteString("]}")
	st := newStore(t, []byte(b.String()))
	p := collect(t, func(each func(api.EndClientProject) error) error {
		return st.Data.EndClientProjects(ctx, store.EndClientQuery{BillingOrgID: 1}, each)
	})
	if len(p) != 1 || p[0].BilledHours.String() != "100.00" {
		t.Fatalf("1000 × 0.1 h = %+v, want exactly 100.00", p)
	}
	row := collect(t, func(each func(api.BilledHoursRow) error) error {
		return st.Data.BilledHoursFeed(ctx, store.BilledHoursQuery{BillingOrgID: 1, Page: store.Page{Limit: 1}}, nil, each)
	})[0]
	if row.Amount.String() != o.amount(api.NewDecimal(0, 10), api.NewDecimal(0, 33)) { // 0.1 × 0.33 = 0.033, rounded to cents
		t.Errorf("amount %s", row.Amount)
	}
}

func testTokens(t *testing.T, st store.Stores) {
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	exp := now.Add(time.Hour)
	a, err := st.Accounts.CreateToken(ctx, store.TokenRecord{ContactID: ben, Name: "laptop", Hash: "h1", CreatedAt: now, ExpiresAt: &exp})
	if err != nil || a.ID == 0 {
		t.Fatalf("create: %+v %v", a, err)
	}
	b, _ := st.Accounts.CreateToken(ctx, store.TokenRecord{ContactID: ben, Name: "ci", Hash: "h2", CreatedAt: now})
	if _, err := st.Accounts.CreateToken(ctx, store.TokenRecord{ContactID: ava, Hash: "h1", CreatedAt: now}); err != store.ErrConflict {
		t.Errorf("duplicate hash: %v", err)
	}
	id, err := st.Accounts.IdentityByTokenHash(ctx, "h1")
	if got := id.Token; err != nil || got.ID != a.ID || got.ContactID != ben || !got.ExpiresAt.Equal(exp) || got.RevokedAt != nil ||
		id.Contact.ID != ben || id.Organization.ID != contoso {
		t.Errorf("by hash: %+v %v", id, err)
	}
	_, err = st.Accounts.IdentityByTokenHash(ctx, "nope")
	wantNotFound(t, "unknown hash", err)
	if err := st.Accounts.TouchToken(ctx, a.ID, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	wantNotFound(t, "revoke another contact's token", st.Accounts.RevokeToken(ctx, ava, a.ID, now))
	if err := st.Accounts.RevokeToken(ctx, ben, a.ID, now); err != nil {
		t.Fatal(err)
	}
	wantNotFound(t, "revoke twice", st.Accounts.RevokeToken(ctx, ben, a.ID, now))
	list, err := st.Accounts.Tokens(ctx, ben)
	if err != nil || len(list) != 1 || list[0].ID != b.ID {
		t.Errorf("live tokens: %+v %v", list, err)
	}
	if revoked, _ := st.Accounts.IdentityByTokenHash(ctx, "h1"); revoked.Token.RevokedAt == nil || revoked.Token.LastUsedAt == nil {
		t.Errorf("revoked token keeps its history: %+v", revoked)
	}
}

func testWrites(t *testing.T, st store.Stores, o Options) {
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	key := &store.Idempotency{ContactID: ben, Key: "k1", RequestHash: "r1", CreatedAt: now}
	issue, err := st.Source.CreateIssue(ctx, store.NewIssue{ProjectID: 1, ContactID: ben, Title: "Printer", Priority: "high", CreatedAt: now}, key)
	wantNumber := fmt.Sprintf("T20260215.%04d", issue.ID)
	if o.UpstreamClock && taskNumberShape.MatchString(issue.Number) {
		wantNumber = issue.Number
	}
	if err != nil || !issue.IsIssue || issue.PhaseID != nil || issue.Status != "new" || *issue.Priority != "high" ||
		issue.Number != wantNumber || *issue.ContactName != "Ben Ode" {
		t.Fatalf("create issue: %+v %v", issue, err)
	}
	if _, err := st.Source.CreateIssue(ctx, store.NewIssue{ProjectID: 1, ContactID: ben, Title: "Again", Priority: "low", CreatedAt: now}, key); err != store.ErrConflict {
		t.Errorf("same key twice: %v", err)
	}
	if got, err := st.Source.IdempotencyKey(ctx, ben, "k1", now.Add(-store.IdempotencyTTL)); err != nil || got.TaskID != issue.ID || got.RequestHash != "r1" {
		t.Errorf("key: %+v %v", got, err)
	}
	_, err = st.Source.IdempotencyKey(ctx, ben, "k1", now.Add(time.Second))
	wantNotFound(t, "key older than notBefore", err)
	later := now.Add(25 * time.Hour) // an expired key may be used again
	if _, err := st.Source.CreateIssue(ctx, store.NewIssue{ProjectID: 1, ContactID: ben, Title: "New day", Priority: "low", CreatedAt: later},
		&store.Idempotency{ContactID: ben, Key: "k1", RequestHash: "r2", CreatedAt: later}); err != nil {
		t.Errorf("reusing an expired key: %v", err)
	}
	changed, err := st.Source.CompleteTask(ctx, 105, ben, now)
	if err != nil || !changed {
		t.Fatalf("complete: %v %v", changed, err)
	}
	if changed, err := st.Source.CompleteTask(ctx, 105, ava, now.Add(time.Hour)); err != nil || changed {
		t.Errorf("completing twice changes nothing: %v %v", changed, err)
	}
	done := collect(t, func(each func(api.Task) error) error {
		return st.Data.Tasks(ctx, store.TaskQuery{Projects: store.ProjectScope{OrgIDs: []int64{contoso}}, ID: 105}, each)
	})[0]
	if done.Status != "complete" || *done.CompletedBy != "Ben Ode" || done.CompletedAt == nil || (!o.UpstreamClock && !done.CompletedAt.Equal(now)) {
		t.Errorf("completed task: %+v", done)
	}
	n, err := st.Source.AddNote(ctx, api.Note{ProjectID: 1, Title: "T", Body: "B", CreatedAt: now}, ben)
	if err != nil || n.ID == 0 || n.Author != "Ben Ode" {
		t.Errorf("add note: %+v %v", n, err)
	}
	tn, err := st.Source.AddTaskNote(ctx, api.TaskNote{TaskID: 100, Subject: "S", Body: "B", CreatedAt: now}, ben)
	if err != nil || tn.ID == 0 || tn.Author != "Ben Ode" {
		t.Errorf("add task note: %+v %v", tn, err)
	}
	if _, err := st.Accounts.CreateToken(ctx, store.TokenRecord{ContactID: ben, Name: "before-reset", Hash: "h-reset", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if n, err := st.Accounts.ResetPassword(ctx, ben, "new-hash", now); err != nil || n < 1 {
		t.Fatalf("reset password: %d tokens revoked, %v", n, err)
	}
	if id, _ := st.Accounts.IdentityByTokenHash(ctx, "h-reset"); id.Token.RevokedAt == nil {
		t.Errorf("a token issued before the password reset is still live")
	}
	if c, _ := st.Accounts.ContactByUsername(ctx, "ben"); c.PasswordHash != "new-hash" {
		t.Errorf("password hash not stored")
	}
}

func testOutbox(t *testing.T, st store.Stores) {
	now := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	var queued []int64
	for i := range 40 {
		e, err := st.Accounts.EnqueueEmail(ctx, store.Email{Kind: "team_email", To: []string{"a@x.example", "b@x.example"}, ReplyTo: "r@x.example",
			Subject: fmt.Sprint("s", i), Body: "b", CreatedAt: now, NextAttemptAt: now})
		if err != nil || e.ID == 0 || e.Status != store.EmailQueued {
			t.Fatalf("enqueue: %+v %v", e, err)
		}
		queued = append(queued, e.ID)
	}
	// Four workers claiming at once never get the same email.
	seen := ClaimAll(t, now, 3, st.Accounts, st.Accounts, st.Accounts, st.Accounts)
	for _, id := range queued {
		if seen[id] != 1 {
			t.Errorf("email %d claimed %d times", id, seen[id])
		}
	}
	e, err := st.Accounts.Email(ctx, queued[0])
	if err != nil || len(e.To) != 2 || e.ReplyTo != "r@x.example" || e.SenderID != 0 {
		t.Fatalf("email: %+v %v", e, err)
	}
	if len(e.Deliveries) != 2 || e.Deliveries[1] != (store.Delivery{Address: "b@x.example", Status: store.EmailQueued}) {
		t.Fatalf("a new email has one queued delivery per recipient: %+v", e.Deliveries)
	}
	sent := now.Add(time.Minute)
	e.Status, e.Attempts, e.SentAt = store.EmailPartial, 1, &sent
	e.Deliveries[0] = store.Delivery{Address: "a@x.example", Status: store.EmailSent, Attempts: 1, ReplyCode: 250, SentAt: &sent}
	e.Deliveries[1] = store.Delivery{Address: "b@x.example", Status: store.EmailFailed, Attempts: 1, ReplyCode: 550, Reply: "5.1.1 no such user"}
	if err := st.Accounts.UpdateEmail(ctx, e); err != nil {
		t.Fatal(err)
	}
	partial := collect(t, func(each func(store.Email) error) error { return st.Accounts.Emails(ctx, store.EmailPartial, each) })
	if len(partial) != 1 || partial[0].ID != e.ID || !partial[0].SentAt.Equal(sent) ||
		!partial[0].Deliveries[0].SentAt.Equal(sent) || partial[0].Deliveries[1].Reply != "5.1.1 no such user" {
		t.Errorf("partial emails: %+v", partial)
	}
	bySender, err := st.Accounts.EnqueueEmail(ctx, store.Email{Kind: "team_email", SenderID: ben, To: []string{"a@x.example"}, Subject: "s", Body: "b",
		CreatedAt: now, NextAttemptAt: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := st.Accounts.Email(ctx, bySender.ID); err != nil || got.SenderID != ben {
		t.Errorf("sender not kept: %+v %v", got, err)
	}
	_, err = st.Accounts.Email(ctx, 999999)
	wantNotFound(t, "email", err)
}
