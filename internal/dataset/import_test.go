package dataset_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

var fast = dataset.Options{BcryptCost: bcrypt.MinCost}

func openDB(t *testing.T) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func importFile(t *testing.T, db *sqlite.DB, name string) (dataset.Summary, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return dataset.Import(context.Background(), f, db, fast)
}

func exportString(t *testing.T, db *sqlite.DB) string {
	t.Helper()
	var buf bytes.Buffer
	if err := dataset.Export(context.Background(), db, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestImportExampleThenQuery(t *testing.T) {
	db := openDB(t)
	sum, err := importFile(t, db, "example-import.json")
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	if sum["projects"] != 5 || sum["billing_items"] != 2 || sum["contacts"] != 4 {
		t.Fatalf("summary = %v", sum)
	}
	ctx := context.Background()
	var got []string
	err = db.EndClientProjects(ctx, store.EndClientQuery{BillingOrgID: 200}, func(p api.EndClientProject) error {
		got = append(got, p.Number+" "+p.BilledHours.String())
		return nil
	})
	if err != nil || len(got) != 1 || got[0] != "P20260201.0005 3.00" {
		t.Fatalf("end-client projects of Fabrikam = %v, %v", got, err)
	}
	c, err := db.ContactByUsername(ctx, "AVA")
	if err != nil || c.ID != 1001 || bcrypt.CompareHashAndPassword([]byte(c.PasswordHash), []byte("demo")) != nil {
		t.Fatalf("ava: %+v %v", c, err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	db := openDB(t)
	if _, err := importFile(t, db, "example-import.json"); err != nil {
		t.Fatal(err)
	}
	first := exportString(t, db)
	again := openDB(t)
	if _, err := dataset.Import(context.Background(), bytes.NewReader([]byte(first)), again, fast); err != nil {
		t.Fatalf("re-import of export: %v\n%s", err, first)
	}
	if second := exportString(t, again); second != first {
		t.Fatalf("export differs after round trip:\n%s\n---\n%s", first, second)
	}
	// Importing the same file twice gives the same database.
	if _, err := dataset.Import(context.Background(), bytes.NewReader([]byte(first)), again, fast); err != nil {
		t.Fatal(err)
	}
	if third := exportString(t, again); third != first {
		t.Fatal("second import of the same file changed the database")
	}
}

// changingFile serves contents[0] and moves to the next content each time
// Import rewinds it: a file edited while it is imported.
type changingFile struct {
	*bytes.Reader
	contents [][]byte
}

func (f *changingFile) Seek(offset int64, whence int) (int64, error) {
	if whence == io.SeekStart && len(f.contents) > 1 {
		f.contents = f.contents[1:]
		f.Reader = bytes.NewReader(f.contents[0])
	}
	return f.Reader.Seek(offset, whence)
}

// The checked import reads the file twice; a file that changes between its
// passes must not be half written. (Its kinds out of order make the first,
// one-pass read fall back to the checked import: that is the first rewind.)
func TestImportOfAFileThatChangesMidwayWritesNothing(t *testing.T) {
	first := []byte(`{"projects": [], "organizations": [{"id": 1, "name": "A"}]}`)
	second := []byte(`{"projects": [], "organizations": [{"id": "one", "name": "A"}]}`)
	db := openDB(t)
	file := &changingFile{Reader: bytes.NewReader(first), contents: [][]byte{first, first, second}}
	_, err := dataset.Import(context.Background(), file, db, fast)
	if err == nil || !strings.Contains(err.Error(), "the file changed while it was being imported") {
		t.Fatalf("err = %v, want the file-changed error", err)
	}
	if empty, err := db.IsEmpty(context.Background()); err != nil || !empty {
		t.Fatalf("the database is not empty after a failed import: %v %v", empty, err)
	}
}
