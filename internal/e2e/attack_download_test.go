package e2e_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
)

// bigAttachment is attachment 960 of project P20260105.0001: 50 MB.
const (
	bigAttachmentID   = 960
	bigAttachmentSize = 50 << 20
)

var bigFile struct {
	once sync.Once
	path string
	sum  string
	err  error
}

// bigAttachmentFile writes, once per test binary, the demo data plus
// attachment 960 (50 MB) in the import format, and returns its path and the
// attachment's SHA-256.
func bigAttachmentFile(t *testing.T) (string, string) {
	t.Helper()
	bigFile.once.Do(func() {
		content := make([]byte, bigAttachmentSize)
		for i := range content {
			content[i] = byte(i*31 + i>>13)
		}
		sum := sha256.Sum256(content)
		bigFile.sum = hex.EncodeToString(sum[:])
		var file map[string]any
		if bigFile.err = json.Unmarshal(dataset.DemoJSON, &file); bigFile.err != nil {
			return
		}
		file["attachments"] = append(file["attachments"].([]any), dataset.Attachment{ID: bigAttachmentID, ProjectID: 1,
			Name: "disk-image.bin", ContentType: "application/octet-stream", Content: content, CreatedAt: time.Date(2026, 1, 8, 9, 0, 0, 0, time.UTC)})
		b, err := json.Marshal(file)
		if bigFile.err = err; err != nil {
			return
		}
		bigFile.path = filepath.Join(bin, "big-attachment.json")
		bigFile.err = os.WriteFile(bigFile.path, b, 0o600)
	})
	if bigFile.err != nil {
		t.Fatal(bigFile.err)
	}
	return bigFile.path, bigFile.sum
}

// TestAttackStalledDownloads (issue 17, adversary finding 4): 30 downloads
// of a 50 MB attachment that read nothing. portald read each attachment
// whole and copied it (3.5 GB resident, kept after they closed). Now the
// bytes stream from the store a chunk at a time, each user runs at most 4
// downloads at once (429 past that), and a full download by another user
// and everyone else's requests go on as usual.
func TestAttackStalledDownloads(t *testing.T) { eachBackend(t, testStalledDownloads) }

func testStalledDownloads(t *testing.T, backend string) {
	file, sum := bigAttachmentFile(t)
	db := attackDB(t, backend)
	portaldOK(t, "import", "--db", db, file)
	tokens := map[string]string{}
	for _, u := range []string{"ben", "ava", "adam", "bob", "sam", "chloe"} {
		tokens[u] = mintToken(t, db, u)
	}
	d := startDaemon(t, db)
	mem := sampleRSS(t, d.cmd.Process.Pid)

	path := "/v1/attachments/960/content"
	admitted, refused := 0, 0
	for i := range 30 {
		s := stallRequest(t, d.URL, tokens[[]string{"ben", "ava"}[i%2]], path)
		switch s.status {
		case 200:
			admitted++
		case 429:
			refused++
		default:
			t.Errorf("a download got status %d, want 200 or 429", s.status)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
	defer cancel()
	full := make(chan error, 1)
	go func() { full <- downloadWhole(d.URL+path, tokens["adam"], sum) }()
	res := probe(ctx, d.URL, []string{tokens["bob"], tokens["sam"], tokens["chloe"]},
		[]string{"/v1/me", "/v1/projects", "/readyz", "/v1/tasks/open"})
	checkProbes(t, backend+": 30 stalled 50 MB downloads", res)
	if err := <-full; err != nil {
		t.Errorf("a full download during the attack: %v", err)
	}
	if admitted != 8 || refused != 22 {
		t.Errorf("%d downloads admitted and %d refused, want 8 and 22 (four per user)", admitted, refused)
	}
	checkRSS(t, mem)
}

// downloadWhole downloads url and checks the SHA-256 of what arrived.
func downloadWhole(url, token, sum string) error {
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 60 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	h := sha256.New()
	n, err := io.Copy(h, resp.Body)
	if err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum || n != bigAttachmentSize {
		return fmt.Errorf("got %d bytes with SHA-256 %s, not the attachment", n, got)
	}
	return nil
}
