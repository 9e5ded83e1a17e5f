package portal_test

import (
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

func openTasks(t *testing.T, svc *portal.Service, user, project string) string {
	t.Helper()
	var got []string
	err := svc.OpenTasks(ctx, portaltest.User(t, svc, user), project, store.Page{}, func(task api.Task) error {
		got = append(got, task.Number)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, " ")
}

func TestMyOpenTasks(t *testing.T) { portaltest.EachBackend(t, testMyOpenTasks) }

func testMyOpenTasks(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	tests := []struct{ user, project, want string }{
		// waiting_customer tasks of accessible, open projects, plus completable tasks whose contact is the user;
		// never tasks of completed projects (T…0007), hidden tasks or other organizations' tasks.
		{"ben", "", "T20260105.0001 T20260105.0006"},
		{"ava", "", "T20260105.0001 T20260105.0002 T20260110.0009"},
		{"ava", "P20260110.0002", "T20260110.0009"},
		{"bob", "", ""},
		{"chloe", "", ""}, // end-client tasks never appear here
	}
	for _, tt := range tests {
		if got := openTasks(t, svc, tt.user, tt.project); got != tt.want {
			t.Errorf("%s --project %q: got %q, want %q", tt.user, tt.project, got, tt.want)
		}
	}
}

func TestTaskNote(t *testing.T) { portaltest.EachBackend(t, testTaskNote) }

func testTaskNote(t *testing.T, backend string) {
	svc, db := portaltest.NewServiceOn(t, backend, portal.Options{})
	ben := portaltest.User(t, svc, "ben")
	n, err := svc.AddTaskNote(ctx, ben, "T20260105.0001", api.NewTaskNote{Subject: " Licences ", Body: "42 confirmed."})
	if err != nil || n.Author != "Ben Ode" || n.Subject != "Licences" || n.TaskID != 100 {
		t.Fatalf("note: %+v %v", n, err)
	}
	// Contoso notifies resources by default: the assignee (Priya) gets an email in the outbox.
	var mails []store.Email
	db.Accounts.Emails(ctx, "", func(e store.Email) error { mails = append(mails, e); return nil })
	if len(mails) != 1 || mails[0].To[0] != "priya@northwind-it.example" || mails[0].ReplyTo != "ben@contoso.example" ||
		mails[0].Status != store.EmailQueued || !strings.Contains(mails[0].Body, "42 confirmed.") {
		t.Fatalf("notification: %+v", mails)
	}
	for _, bad := range []api.NewTaskNote{{Subject: "", Body: "x"}, {Subject: "x", Body: "  "},
		{Subject: strings.Repeat("s", 251), Body: "x"}, {Subject: "x", Body: strings.Repeat("b", 32001)}} {
		_, err := svc.AddTaskNote(ctx, ben, "100", bad)
		wantCode(t, err, api.CodeInvalidRequest)
	}
	_, err = svc.AddTaskNote(ctx, ben, "T20260105.0003", api.NewTaskNote{Subject: "s", Body: "b"}) // hidden task
	wantCode(t, err, api.CodeNotFound)
}

func TestCompleteTask(t *testing.T) { portaltest.EachBackend(t, testCompleteTask) }

func testCompleteTask(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	ben := portaltest.User(t, svc, "ben")
	res, err := svc.CompleteTask(ctx, ben, "T20260105.0006")
	if err != nil || res.AlreadyComplete || res.Status != api.TaskComplete || *res.CompletedBy != "Ben Ode" || res.CompletedAt == nil {
		t.Fatalf("complete: %+v %v", res, err)
	}
	again, err := svc.CompleteTask(ctx, ben, "T20260105.0006")
	if err != nil || !again.AlreadyComplete || !again.CompletedAt.Equal(*res.CompletedAt) {
		t.Fatalf("a retried completion must succeed and change nothing: %+v %v", again, err)
	}
	_, err = svc.CompleteTask(ctx, ben, "T20260105.0001") // waiting customer, not client-completable
	wantCode(t, err, api.CodeForbidden)
	_, err = svc.CompleteTask(ctx, portaltest.User(t, svc, "adam"), "T20260105.0002") // completable, but ava's
	wantCode(t, err, api.CodeForbidden)
	if !strings.Contains(err.Error(), "only the task's contact") {
		t.Errorf("message %q", err)
	}
	if got := openTasks(t, svc, "ben", ""); got != "T20260105.0001" {
		t.Errorf("completed task must leave My Open Tasks, got %q", got)
	}
}

func TestNewIssueIdempotency(t *testing.T) { portaltest.EachBackend(t, testNewIssueIdempotency) }

func testNewIssueIdempotency(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	ben := portaltest.User(t, svc, "ben")
	in := api.NewIssue{Title: "Printer offline", Description: "Since Monday"}
	first, err := svc.NewIssue(ctx, ben, "P20260105.0001", in, "key-1")
	if err != nil || !first.Created || first.Issue.Status != api.TaskNew || *first.Issue.Priority != "medium" ||
		!first.Issue.IsIssue || first.Issue.PhaseID != nil || *first.Issue.ContactID != 1002 ||
		!strings.HasPrefix(first.Issue.Number, "T20260215.") {
		t.Fatalf("first: %+v %v", first, err)
	}
	retry, err := svc.NewIssue(ctx, ben, "P20260105.0001", in, "key-1")
	if err != nil || retry.Created || retry.Issue.ID != first.Issue.ID {
		t.Fatalf("retry must return the first issue: %+v %v", retry, err)
	}
	in.Title = "Something else"
	_, err = svc.NewIssue(ctx, ben, "P20260105.0001", in, "key-1")
	wantCode(t, err, api.CodeIdempotencyConflict)
	without, _ := svc.NewIssue(ctx, ben, "1", in, "")
	if without.Issue.ID == first.Issue.ID || !without.Created {
		t.Fatal("without a key every call files an issue")
	}
	s, _ := svc.Schedule(ctx, ben, "1")
	if last := s.Items[len(s.Items)-1]; last.Kind != "issue" || last.Title != "Something else" {
		t.Fatalf("client issues sit at project level: %+v", last)
	}
	for name, tc := range map[string]struct {
		ref  string
		in   api.NewIssue
		key  string
		code string
	}{
		"blank title":     {"1", api.NewIssue{Title: " "}, "", api.CodeInvalidRequest},
		"long title":      {"1", api.NewIssue{Title: strings.Repeat("t", 256)}, "", api.CodeInvalidRequest},
		"bad priority":    {"1", api.NewIssue{Title: "t", Priority: "urgent"}, "", api.CodeInvalidRequest},
		"long key":        {"1", api.NewIssue{Title: "t"}, strings.Repeat("k", 256), api.CodeInvalidRequest},
		"completed":       {"P20251101.0003", api.NewIssue{Title: "t"}, "", api.CodeNotFound}, // ben is not on its team
		"other org":       {"6", api.NewIssue{Title: "t"}, "", api.CodeNotFound},
		"unknown project": {"P1", api.NewIssue{Title: "t"}, "", api.CodeNotFound},
	} {
		_, err := svc.NewIssue(ctx, ben, tc.ref, tc.in, tc.key)
		if api.ErrorCode(err) != tc.code {
			t.Errorf("%s: got %v, want %s", name, err, tc.code)
		}
	}
	_, err = svc.NewIssue(ctx, portaltest.User(t, svc, "adam"), "P20251101.0003", api.NewIssue{Title: "t"}, "")
	wantCode(t, err, api.CodeConflict) // a completed project takes no new issues
}

func TestNotesAndAttachments(t *testing.T) { portaltest.EachBackend(t, testNotesAndAttachments) }

func testNotesAndAttachments(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	ben := portaltest.User(t, svc, "ben")
	var titles []string
	svc.Notes(ctx, ben, "1", store.Page{}, func(n api.Note) error { titles = append(titles, n.Title+" by "+n.Author); return nil })
	if strings.Join(titles, ";") != "Kick-off held by Priya Nair" {
		t.Fatalf("only published notes: %v", titles)
	}
	n, err := svc.AddNote(ctx, ben, "1", api.NewNote{Title: "Go-live", Body: "Agreed for March."})
	if err != nil || n.Author != "Ben Ode" {
		t.Fatalf("add note: %+v %v", n, err)
	}
	d, err := svc.Attachment(ctx, ben, 900)
	if err != nil || d.Name != "plan.txt" || d.Size != 15 || d.SHA256 == "" {
		t.Fatalf("download: %+v %v", d, err)
	}
	_, err = svc.Attachment(ctx, ben, 901) // Tailspin's attachment
	wantCode(t, err, api.CodeNotFound)
}

func TestEmailTeam(t *testing.T) { portaltest.EachBackend(t, testEmailTeam) }

func testEmailTeam(t *testing.T, backend string) {
	svc, db := portaltest.NewServiceOn(t, backend, portal.Options{})
	res, err := svc.EmailTeam(ctx, portaltest.User(t, svc, "ben"), "P20260105.0001", api.TeamEmail{Subject: "Cut-over", Body: "Is Friday OK?"})
	if err != nil || res.Status != store.EmailQueued {
		t.Fatalf("email: %+v %v", res, err)
	}
	want := "priya@northwind-it.example tom@northwind-it.example ben@contoso.example dora@contoso.example nora@contoso.example"
	if got := strings.Join(res.Recipients, " "); got != want {
		t.Fatalf("recipients %q, want %q", got, want)
	}
	e, err := db.Accounts.Email(ctx, res.ID)
	if err != nil || e.Subject != "[P20260105.0001] Cut-over" || e.ReplyTo != "ben@contoso.example" || !strings.HasPrefix(e.Body, "Is Friday OK?") {
		t.Fatalf("outbox row: %+v %v", e, err)
	}
	_, err = svc.EmailTeam(ctx, portaltest.User(t, svc, "ben"), "1", api.TeamEmail{Subject: "", Body: "x"})
	wantCode(t, err, api.CodeInvalidRequest)
}
