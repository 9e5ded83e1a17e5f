package e2e_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/testutil/smtptest"
)

// A Client Portal user of Autotask (adam: no password in portald, no user
// link) signs in with a code sent to his own address through the outbox,
// and loses API access at the next pass once Autotask revokes it.
func TestAutotaskPortalUserSignsInWithACode(t *testing.T) {
	sink := smtptest.New(t)
	s, emu := startAutotask(t, "--smtp-host", "127.0.0.1", "--smtp-port", strconv.Itoa(sink.Port), "--smtp-starttls=false",
		"--smtp-from", "portal@northwind-it.example", "--smtp-poll", "100ms")
	adam := s.newUser(t, "adam")

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "portalctl"), "auth", "login", "--host", s.URL,
		"--email", "adam@contoso.example", "--password-stdin", "--insecure-storage")
	cmd.Env, cmd.Dir = adam.env, adam.home
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sink.WaitFor(t, 1)
	code := regexp.MustCompile(`is (\d{8})\.`).FindSubmatch(sink.Messages()[0].Data)
	if code == nil || !strings.Contains(strings.Join(sink.Messages()[0].To, ","), "adam@contoso.example") {
		t.Fatalf("the sign-in email: %q", sink.Messages()[0].Data)
	}
	stdin.Write(append(code[1], '\n'))
	stdin.Close()
	if err := cmd.Wait(); err != nil || !strings.Contains(stderr.String(), "Logged in to "+s.URL+" as adam") {
		t.Fatalf("login with the code: %v\n%s", err, stderr.String())
	}
	adam.ok("projects", "list")

	emu.Put("ClientPortalUsers", 3_001_003, map[string]any{"isClientPortalActive": false}, nil) // Autotask revokes adam
	deadline := time.Now().Add(10 * time.Second)                                                // a few 1 s passes
	for {
		r := adam.run("", "projects", "list")
		if r.Code == 4 && strings.Contains(r.Stderr, "portal access is disabled") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("adam still reads 10 s after Autotask revoked his portal access: %+v", r)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Changes made in Autotask while portalctl reads: a new task, a changed
// one, a billing item posted late with an older id, an unposted one (an
// item can be unposted until invoiced: portald looks 90 days back) and a
// deleted note each show within a couple of 1 s passes.
func TestAutotaskCopyConvergesWhilePortalctlReads(t *testing.T) {
	s, emu := startAutotask(t, "--autotask-removals-every", "1s")
	ben, chloe := login(t, s, "ben"), login(t, s, "chloe")
	emu.Put("Tasks", 110, map[string]any{"projectID": 1.0, "taskNumber": "T20260215.0001", "title": "Label cables",
		"status": 7.0, "isVisibleInClientPortal": true, "taskType": 1.0, "taskCategoryID": 2.0}, nil)
	emu.Put("Tasks", 101, map[string]any{"title": "Approve the cut-over window"}, nil)
	post := func(id int64) {
		emu.Put("TimeEntries", id, map[string]any{"resourceID": 9002.0, "hoursWorked": 2.0}, nil)
		emu.Put("BillingItems", id, map[string]any{"projectID": 5.0, "contractID": 501.0, "companyID": 300.0,
			"timeEntryID": float64(id), "quantity": 1.5, "rate": 150.0, "extendedPrice": 274.0, "itemDate": "2026-01-10T00:00:00Z",
			"postedOnTime": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"), "billingItemType": 1.0, "invoiceID": 0.0}, nil)
	}
	// chloe's nightly export (issue 15) runs before and after: 59001 is
	// exported, then posted late comes 59000 (an older id), and 59001 is
	// unposted.
	export := func(n int) string {
		return chloe.ok("endclient", "hours", "-o", "csv", "--columns", "id,entry,hours_billed", "--state", "hours.state",
			"--output-file", fmt.Sprintf("hours-%d.csv", n), "--write-empty")
	}
	read := func(n int) string {
		b, err := os.ReadFile(filepath.Join(chloe.home, fmt.Sprintf("hours-%d.csv", n)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	post(59001)
	waitHours(t, chloe, "\n59001\n", true) // in the copy, to be unposted next
	export(1)
	if got := read(1); !strings.Contains(got, "\n59001,new,1.50\n") || strings.Contains(got, "59000") {
		t.Fatalf("first export: %s", got)
	}
	post(59000)
	emu.Delete("BillingItems", 59001)
	emu.Delete("ProjectNotes", 700)
	converged := func() string {
		tasks := ben.ok("tasks", "open", "-o", "csv", "--columns", "number")
		hours := chloe.ok("endclient", "hours", "--all", "-o", "csv", "--columns", "id")
		notes := ben.ok("projects", "notes", "P20260105.0001", "-o", "csv", "--columns", "id")
		switch {
		case !strings.Contains(tasks, "T20260215.0001"):
			return "the new task"
		case !strings.Contains(hours, "\n59000\n"):
			return "the late-posted item"
		case strings.Contains(hours, "\n59001\n"):
			return "the unposted item"
		case strings.Contains(notes, "\n700\n"):
			return "the deleted note"
		}
		return ""
	}
	deadline := time.Now().Add(10 * time.Second)
	for missing := converged(); missing != ""; missing = converged() {
		if time.Now().After(deadline) {
			t.Fatalf("%s is not in the copy 10 s (10 passes) after the change", missing)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if out := ben.ok("tasks", "view", "T20260105.0002", "-o", "json", "--jq", ".title"); out != "Approve the cut-over window\n" {
		t.Errorf("the changed task: %s", out)
	}
	export(2)
	export(3)
	if got, want := read(2), "id,entry,hours_billed\n59000,new,1.50\n59001,reversal,-1.50\n"; got != want {
		t.Errorf("the export after the changes:\n%s\nwant\n%s", got, want)
	}
	if got := read(3); got != "id,entry,hours_billed\n" {
		t.Errorf("an export with nothing new: %q", got)
	}
}

// waitHours waits until chloe's billed hours have (or lack) line.
func waitHours(t *testing.T, chloe *user, line string, want bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for strings.Contains(chloe.ok("endclient", "hours", "--all", "-o", "csv", "--columns", "id"), line) != want {
		if time.Now().After(deadline) {
			t.Fatalf("billed hours: %q present = %v after 10 s", line, !want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
