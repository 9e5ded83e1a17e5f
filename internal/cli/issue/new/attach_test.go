package new

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

// ciLog is a failing CI log well over the description limit.
func ciLog() string {
	return strings.Repeat("ok  \tgithub.com/acme/pkg\t0.01s\n", 3000) + "--- FAIL: TestBackup (0.2s)\nFAIL\n"
}

func attached(name string) api.Attachment {
	return api.Attachment{ID: 950, ProjectID: 1, TaskID: ptr(int64(700)), Name: name}
}

// The help's own example: a log over 32,000 characters piped in files the
// issue with the log's head and tail and a marker line, and attaches the
// whole log to it; -o json says the issue was created.
func TestNewRunLongBodyIsCutAndAttached(t *testing.T) {
	log := ciLog()
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.StatusJSONResponse(201, issue("Tests failing", "new")))
	reg.Register(httpmock.QueryMatcher("POST", "/v1/tasks/700/attachments", map[string][]string{"name": {"body.txt"}}),
		httpmock.StatusJSONResponse(201, attached("body.txt")))
	out, errOut, err := runNew(t, false, reg, log, "--project 1 --title 'Tests failing' --body-file - -o json")
	require.NoError(t, err)
	assert.Empty(t, errOut)

	var sent api.NewIssue
	require.NoError(t, json.Unmarshal(reg.Bodies[0], &sent))
	assert.LessOrEqual(t, utf8.RuneCountInString(sent.Description), api.MaxBody)
	assert.True(t, strings.HasPrefix(sent.Description, "ok  \tgithub.com/acme/pkg\t0.01s\n"))
	assert.True(t, strings.HasSuffix(sent.Description, "--- FAIL: TestBackup (0.2s)\nFAIL\n"))
	assert.Contains(t, sent.Description, "characters) cut here by portalctl: the whole text is attached to this issue as body.txt …]")
	assert.Equal(t, log, string(reg.Bodies[1]), "the whole log is attached")
	assert.Equal(t, "text/plain; charset=utf-8", reg.Requests[1].Header.Get("Content-Type"))

	got := map[string]any{}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Equal(t, true, got["created"])
	assert.Equal(t, "T20260301.0007", got["number"])
}

// --attach files go to the new issue, named by their file name; a missing
// file is a usage error before anything is filed.
func TestNewRunAttach(t *testing.T) {
	dir := t.TempDir()
	junit := filepath.Join(dir, "report.xml")
	require.NoError(t, os.WriteFile(junit, []byte("<testsuite/>"), 0o644))
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.StatusJSONResponse(201, issue("T", "new")))
	reg.Register(httpmock.QueryMatcher("POST", "/v1/tasks/700/attachments", map[string][]string{"name": {"report.xml"}}),
		httpmock.StatusJSONResponse(201, attached("report.xml")))
	out, _, err := runNew(t, true, reg, "", "--project 1 --title T --body short --attach "+junit)
	require.NoError(t, err)
	assert.Equal(t, "✓ Filed issue T20260301.0007 \"T\"\n", out)
	assert.Equal(t, "<testsuite/>", string(reg.Bodies[1]))
	assert.Equal(t, "text/xml; charset=utf-8", reg.Requests[1].Header.Get("Content-Type"))

	empty := &httpmock.Registry{}
	_, _, err = runNew(t, false, empty, "", "--project 1 --title T --attach "+filepath.Join(dir, "missing.log"))
	clitest.AssertUsageError(t, err, "--attach: open "+filepath.Join(dir, "missing.log"))
	assert.Empty(t, empty.Requests)
}

// "created" tells a CI script whether this run filed the issue: false for
// an open issue found by --if-absent (nothing is attached to it) and for
// an earlier run's issue replayed by its --idempotency-key (HTTP 200).
func TestNewRunCreatedFlag(t *testing.T) {
	reg := clitest.NewRegistry(t) // no attachment stub: attaching would fail the test
	reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.StatusJSONResponse(200, issue("Tests failing", "new")))
	out, _, err := runNew(t, false, reg, ciLog(), "--project 1 --title 'Tests failing' --body-file - --if-absent -o json --jq .created")
	require.NoError(t, err)
	assert.Equal(t, "false\n", out)

	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.StatusJSONResponse(200, issue("T", "new")))
	out, _, err = runNew(t, false, reg, "", "--project 1 --title T --idempotency-key ci-7 -o json --jq .created")
	require.NoError(t, err)
	assert.Equal(t, "false\n", out)

	reg = clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.StatusJSONResponse(201, issue("T", "new")))
	out, _, err = runNew(t, false, reg, "", "--project 1 --title T -o json --jq .created")
	require.NoError(t, err)
	assert.Equal(t, "true\n", out)
}

// A portal that cannot keep attachments (the Autotask bridge) still gets
// the issue; the run prints it and fails, saying the issue exists.
func TestNewRunAttachmentRefused(t *testing.T) {
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("POST", "/v1/projects/1/issues"), httpmock.StatusJSONResponse(201, issue("T", "new")))
	reg.Register(httpmock.REST("POST", "/v1/tasks/700/attachments"),
		httpmock.ErrorResponse(501, api.CodeNotSupported, "this portal's data source (Autotask) does not provide this; ask your provider"))
	out, _, err := runNew(t, false, reg, ciLog(), "--project 1 --title T --body-file - -o json --jq .number")
	assert.Equal(t, "T20260301.0007\n", out)
	require.Error(t, err)
	assert.Equal(t, "issue T20260301.0007 was filed, but attaching body.txt failed: this portal's data source (Autotask) does not provide this; ask your provider", err.Error())
	assert.Equal(t, cmdutil.ExitError, cmdutil.ExitCode(err))
	assert.Contains(t, cmdutil.Hint(err), "do not file it again")
}
