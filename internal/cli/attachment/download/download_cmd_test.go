package download

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/clitest"
	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/pkg/api"
)

func TestNewCmdDownload(t *testing.T) {
	tests := []struct {
		cli        string
		wantID     string
		wantOutput string
		wantUsage  string
	}{
		{cli: "900", wantID: "900"},
		{cli: "900 -O plan.txt", wantID: "900", wantOutput: "plan.txt"},
		{cli: "900 --output -", wantID: "900", wantOutput: "-"},
		{cli: "", wantUsage: "attachment download needs an attachment id"},
		{cli: "900 901", wantUsage: "too many arguments"},
		{cli: "plan.txt", wantUsage: `invalid attachment id "plan.txt"`},
		{cli: "0", wantUsage: `invalid attachment id "0"`},
		{cli: "-- -3", wantUsage: `invalid attachment id "-3"`},
		{cli: "900 -O", wantUsage: "flag needs an argument"},
		{cli: "900 --force", wantUsage: "unknown flag: --force"},
	}
	for _, tt := range tests {
		t.Run(tt.cli, func(t *testing.T) {
			if got := clitest.ParseRow(t, NewCmdDownload, tt.cli, tt.wantUsage); got != nil {
				assert.Equal(t, tt.wantID, got.ID)
				assert.Equal(t, tt.wantOutput, got.Output)
			}
		})
	}
}

const planText = "Cut-over on Saturday.\nBackup first.\n"

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// content answers like the server: Content-Length, the quoted
// "sha256:<hex>" ETag and the name in Content-Disposition (RFC 2231 for
// non-ASCII names).
func content(body, filename, digest string) httpmock.Responder {
	r := httpmock.WithHeader(httpmock.StringResponse(body), "ETag", `"sha256:`+digest+`"`)
	if filename != "" {
		r = httpmock.WithHeader(r, "Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	}
	return r
}

// inDir makes a fresh temporary directory the working directory, as a user
// running the command there. Not parallel: the working directory is global.
func inDir(t *testing.T) string {
	dir := t.TempDir()
	t.Chdir(dir)
	return dir
}

// files lists a directory, temporary files included.
func files(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func runDownload(t *testing.T, stderrTTY bool, reg *httpmock.Registry, argv string) (string, string, error) {
	t.Helper()
	return clitest.Run(t, NewCmdDownload, reg, argv, clitest.Opts{StderrTTY: stderrTTY})
}

func TestDownloadRunSavesUnderASafeName(t *testing.T) {
	tests := []struct {
		name, serverName, wantFile string
	}{
		{"plain name", "cut-over plan.txt", "cut-over plan.txt"},
		{"non-ASCII name", "Angebot März.pdf", "Angebot März.pdf"},
		{"path traversal", "../../etc/passwd", "passwd"},
		{"windows path", `C:\Users\x\..\plan.txt`, "plan.txt"},
		{"hidden file", ".bashrc", "bashrc"},
		{"no name", "", "attachment-900"},
		{"name that is only dots", "..", "attachment-900"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := inDir(t)
			reg := clitest.NewRegistry(t)
			reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(planText, tt.serverName, sha(planText)))
			out, errOut, err := runDownload(t, true, reg, "900")
			require.NoError(t, err)
			assert.Empty(t, out, "stdout stays clean")
			assert.Equal(t, "✓ Saved "+tt.wantFile+"\n", errOut)
			assert.Equal(t, []string{tt.wantFile}, files(t, dir), "one file, in the working directory")
			got, err := os.ReadFile(filepath.Join(dir, tt.wantFile))
			require.NoError(t, err)
			assert.Equal(t, planText, string(got))
		})
	}
}

func TestDownloadRunAcceptsAnyContentType(t *testing.T) {
	inDir(t)
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(planText, "plan.txt", sha(planText)))
	_, errOut, err := runDownload(t, false, reg, "900")
	require.NoError(t, err)
	assert.Empty(t, errOut, "no confirmation when stderr is not a terminal")
	assert.Equal(t, "*/*", reg.Requests[0].Header.Get("Accept"))
	assert.Equal(t, "Bearer test-token", reg.Requests[0].Header.Get("Authorization"))
}

func TestDownloadRunToAChosenFile(t *testing.T) {
	dir := inDir(t)
	target := filepath.Join(dir, "sub", "mine.txt")
	require.NoError(t, os.Mkdir(filepath.Dir(target), 0o755))
	require.NoError(t, os.WriteFile(target, []byte("old"), 0o600))
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(planText, "../../plan.txt", sha(planText)))
	_, errOut, err := runDownload(t, true, reg, "900 -O "+target)
	require.NoError(t, err)
	assert.Equal(t, "✓ Saved "+target+"\n", errOut)
	got, _ := os.ReadFile(target)
	assert.Equal(t, planText, string(got), "-O names the file: it is replaced")
	assert.Equal(t, []string{"sub"}, files(t, dir), "the server's name is not used")
	assert.Equal(t, []string{"mine.txt"}, files(t, filepath.Dir(target)), "no temporary file left")
}

func TestDownloadRunToStdout(t *testing.T) {
	dir := inDir(t)
	binary := "\x00\x01PDF\xff\n"
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(binary, "scan.pdf", sha(binary)))
	out, errOut, err := runDownload(t, true, reg, "900 -O -")
	require.NoError(t, err)
	assert.Equal(t, binary, out)
	assert.Empty(t, errOut)
	assert.Empty(t, files(t, dir))
}

// withLength announces n bytes whatever the body holds.
func withLength(r httpmock.Responder, n int64) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := r(req)
		resp.ContentLength = n
		return resp, err
	}
}

// failingBody delivers some bytes, then a network error.
type failingBody struct{ sent bool }

func (b *failingBody) Read(p []byte) (int, error) {
	if !b.sent {
		b.sent = true
		return copy(p, "Cut-over"), nil
	}
	return 0, errors.New("connection reset by peer")
}
func (b *failingBody) Close() error { return nil }

func cutOff(r httpmock.Responder) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		resp, err := r(req)
		resp.Body = &failingBody{}
		return resp, err
	}
}

func TestDownloadRunBadContentLeavesNoFile(t *testing.T) {
	tests := []struct {
		name    string
		resp    httpmock.Responder
		wantErr string
	}{
		{"checksum mismatch", content(planText, "plan.txt", sha("something else")),
			"download corrupted: SHA-256 " + sha(planText) + ", expected " + sha("something else")},
		{"shorter than announced", withLength(content(planText, "plan.txt", sha(planText)), int64(len(planText)+100)),
			"download incomplete: got 36 of 136 bytes"},
		{"connection dropped", cutOff(content(planText, "plan.txt", sha(planText))),
			"download interrupted after 8 bytes: connection reset by peer"},
	}
	for _, tt := range tests {
		for _, argv := range []string{"900", "900 -O plan.txt"} {
			t.Run(tt.name+"/"+argv, func(t *testing.T) {
				dir := inDir(t)
				reg := clitest.NewRegistry(t)
				reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), tt.resp)
				out, errOut, err := runDownload(t, true, reg, argv)
				assert.Equal(t, cmdutil.ExitError, cmdutil.ExitCode(err))
				assert.EqualError(t, err, tt.wantErr)
				assert.Empty(t, out)
				assert.Empty(t, errOut, "no ✓ Saved")
				assert.Empty(t, files(t, dir), "neither the file nor a temporary file")
			})
		}
	}
}

func TestDownloadRunToStdoutStillReportsACorruptDownload(t *testing.T) {
	inDir(t)
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(planText, "plan.txt", sha("tampered")))
	_, _, err := runDownload(t, false, reg, "900 -O -")
	assert.Equal(t, cmdutil.ExitError, cmdutil.ExitCode(err), "a pipeline sees the failure in the exit code")
	assert.ErrorContains(t, err, "download corrupted")
}

func TestDownloadRunFailureKeepsTheExistingFile(t *testing.T) {
	dir := inDir(t)
	require.NoError(t, os.WriteFile("plan.txt", []byte("my own notes"), 0o600))
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(planText, "plan.txt", sha("tampered")))
	_, _, err := runDownload(t, true, reg, "900 --clobber")
	assert.ErrorContains(t, err, "download corrupted")
	got, _ := os.ReadFile(filepath.Join(dir, "plan.txt"))
	assert.Equal(t, "my own notes", string(got))
	assert.Equal(t, []string{"plan.txt"}, files(t, dir))
}

func TestDownloadRunKeepsAnExistingFileOfTheServersName(t *testing.T) {
	dir := inDir(t)
	require.NoError(t, os.WriteFile("plan.txt", []byte("my own notes"), 0o600))
	reg := clitest.NewRegistry(t)
	reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(planText, "plan.txt", sha(planText)))
	_, _, err := runDownload(t, true, reg, "900")
	assert.Equal(t, cmdutil.ExitUsage, cmdutil.ExitCode(err))
	assert.ErrorContains(t, err, "plan.txt already exists: use --clobber")
	got, _ := os.ReadFile(filepath.Join(dir, "plan.txt"))
	assert.Equal(t, "my own notes", string(got))

	reg.Register(httpmock.REST("GET", "/v1/attachments/900/content"), content(planText, "plan.txt", sha(planText)))
	_, _, err = runDownload(t, true, reg, "900 --clobber")
	require.NoError(t, err)
	got, _ = os.ReadFile(filepath.Join(dir, "plan.txt"))
	assert.Equal(t, planText, string(got))
}

func TestDownloadRunAPIErrors(t *testing.T) {
	tests := []clitest.APIError{
		clitest.ErrorRow("not found", 404, api.CodeNotFound, "attachment not found", cmdutil.ExitNotFound),
		clitest.ErrorRow("no attachments permission", 403, api.CodeForbidden, "your security level does not allow downloading attachments", cmdutil.ExitForbidden),
		clitest.ErrorRow("token rejected", 401, api.CodeUnauthenticated, "token expired", cmdutil.ExitNotAuthed),
		clitest.ErrorRow("rate limited", 429, api.CodeRateLimited, "slow down", cmdutil.ExitRateLimited),
	}
	clitest.AssertAPIErrors(t, tests, func(t *testing.T, reg *httpmock.Registry, tt clitest.APIError) (string, string, error) {
		dir := inDir(t)
		reg.Register(httpmock.REST("GET", "/v1/attachments/901/content"), tt.Resp)
		out, errOut, err := runDownload(t, true, reg, "901")
		assert.Empty(t, files(t, dir))
		return out, errOut, err
	})
}
