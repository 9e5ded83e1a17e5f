package e2e_test

import (
	"bytes"
	"context"
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
