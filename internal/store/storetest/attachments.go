package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
)

// readContent reads an attachment's content whole and closes it.
func readContent(t *testing.T, c store.AttachmentContent, err error) string {
	t.Helper()
	if err != nil {
		t.Errorf("attachment content: %v", err)
		return ""
	}
	defer c.Content.Close()
	b, err := io.ReadAll(c.Content)
	if err != nil {
		t.Errorf("reading attachment %d: %v", c.ID, err)
	}
	return string(b)
}

// largeContent is 1 MiB and 3 bytes that differ by position: several
// chunks in the SQL stores, the last one short.
func largeContent() []byte {
	b := make([]byte, 1<<20+3)
	for i := range b {
		b[i] = byte(i*7 + i>>11)
	}
	return b
}

// withAttachment is data (a file in the import format) with one more
// attachment of project 1.
func withAttachment(t *testing.T, data []byte, id int64, content []byte) []byte {
	t.Helper()
	var file map[string]json.RawMessage
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	var atts []json.RawMessage
	if err := json.Unmarshal(file["attachments"], &atts); err != nil {
		t.Fatal(err)
	}
	extra, _ := json.Marshal(dataset.Attachment{ID: id, ProjectID: 1, Name: "large.bin", ContentType: "application/octet-stream",
		Content: content, CreatedAt: time.Date(2026, 1, 7, 9, 0, 0, 0, time.UTC)})
	file["attachments"], _ = json.Marshal(append(atts, extra))
	out, err := json.Marshal(file)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testLargeAttachment: content larger than a store's pieces reads back
// byte for byte, in reads of any size. On a store that imports, a read
// that finds the attachment replaced since it started fails instead of
// mixing two versions.
func testLargeAttachment(t *testing.T, newStore Factory, o Options) {
	content := largeContent()
	st := newStore(t, withAttachment(t, Fixture(t), 990, content))
	c, err := st.AttachmentContent(ctx, 990)
	if got := readContent(t, c, err); got != string(content) {
		t.Fatalf("large attachment: read %d bytes, want the %d stored", len(got), len(content))
	}
	if c.Size != int64(len(content)) {
		t.Errorf("size %d, want %d", c.Size, len(content))
	}
	imp, ok := st.(store.Importer)
	if !ok || o.UpstreamContent {
		return
	}
	c, err = st.AttachmentContent(ctx, 990)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Content.Close()
	first := make([]byte, 10)
	if _, err := io.ReadFull(c.Content, first); err != nil || !bytes.Equal(first, content[:10]) {
		t.Fatalf("first bytes: %v", err)
	}
	changed := bytes.Clone(content)
	changed[len(changed)-1]++
	if _, err := dataset.Import(ctx, bytes.NewReader(withAttachment(t, Fixture(t), 990, changed)), imp,
		dataset.Options{}); err != nil {
		t.Fatalf("re-import: %v", err)
	}
	if _, err := io.ReadAll(c.Content); err == nil || errors.Is(err, io.EOF) {
		t.Errorf("reading on after the attachment was replaced: %v, want an error", err)
	}
}

// ChunkEdgeContents are attachment contents of sizes around the edges of
// the SQL stores' 256 KiB chunks (empty, one byte short, exactly one, one
// byte more, several), by attachment id 1 to 5: the data of a store's
// migration test.
func ChunkEdgeContents() map[int64][]byte {
	out := map[int64][]byte{}
	for id, size := range map[int64]int{1: 0, 2: 262143, 3: 262144, 4: 262145, 5: 700000} {
		b := make([]byte, size)
		for i := range b {
			b[i] = byte(int(id)*i + i>>9)
		}
		out[id] = b
	}
	return out
}

// CheckAttachments reads each attachment of want through st and fails t
// unless its bytes are want's.
func CheckAttachments(t *testing.T, st store.Store, want map[int64][]byte) {
	t.Helper()
	for id, content := range want {
		c, err := st.AttachmentContent(ctx, id)
		if got := readContent(t, c, err); got != string(content) {
			t.Errorf("attachment %d: %d bytes read, want the %d stored", id, len(got), len(content))
		}
	}
}
