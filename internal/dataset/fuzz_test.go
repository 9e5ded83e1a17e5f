package dataset_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
)

// FuzzImport feeds arbitrary bytes to Import. Properties:
//   - it never panics;
//   - it fails only with *Problems or a JSON syntax message, never with an
//     internal error (a user must learn which record to fix);
//   - when it fails, nothing is committed (all-or-nothing);
//   - when it succeeds, the input was one JSON value, the summary counts
//     every record written, and the data round-trips: exporting it and
//     importing the export gives the same export again.
//
// A real SQLite store per input is too slow for fuzzing, so the store is an
// in-memory transaction (memStore) with the same upsert-by-key rule.
// Seeds: testdata/fuzz/FuzzImport (the example, invalid and demo files, a
// reference problem found after writes began) plus the small f.Add cases.
func FuzzImport(f *testing.F) {
	for _, s := range []string{
		``, `{}`, `[]`, `null`, `{"portal": null}`, `{"projects": {}}`, `{"projects": [1, "x", null]}`,
		`{"nope": []}`, `{"portal": {"support_email": "a@b.c"}} trailing`,
		`{"organizations": [{"id": 1, "name": "A", "parent_id": 1}]}`,
		`{"contacts": [{"id": 1, "organization_id": 1, "first_name": "A", "last_name": "B", "password": "x", "password_hash": "y"}]}`,
		`{"billing_items": [{"id": 1, "project_id": 1, "contract_id": 1, "worked_date": "2026-01-01", "hours_worked": "1.5", "hours_billed": 1e2}]}`,
		`{"events": [{"id": 1, "project_id": 1, "title": "t", "starts_at": "2026-01-02T00:00:00+01:00", "ends_at": "2026-01-01T00:00:00Z"}]}`,
		// The one-pass import: a child organization first, escapes, nulls.
		`{"organizations": [{"id": 2, "name": "B\u00e9 \"q\" <&>", "parent_id": 1, "time_zone": "UTC"}, {"id": 1, "name": "A", "notify_resources": null}],
		 "contracts": [{"id": 3, "organization_id": 1, "name": "C"}],
		 "projects": [{"id": 4, "number": "P4", "name": "P", "organization_id": 2, "status": "new", "estimated_hours": 1.5}],
		 "billing_items": [{"id": 5, "project_id": 4, "contract_id": 3, "worked_date": "2026-01-01", "hours_worked": 0.25, "hours_billed": 0, "rate": null, "description": "\u00e9\ud83d\ude00"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		st := newMemStore()
		sum, err := dataset.Import(context.Background(), bytes.NewReader(data), st, fast)
		if err != nil {
			checkImportError(t, err)
			if len(st.committed) != 0 {
				t.Fatalf("import failed (%v) but %d records were committed", err, len(st.committed))
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("import succeeded on input that is not one JSON value: summary %v", sum)
		}
		total := 0
		for _, n := range sum {
			total += n
		}
		if total != st.writes {
			t.Fatalf("summary %v counts %d records, the store got %d", sum, total, st.writes)
		}
		first := exportBytes(t, st)
		again := newMemStore()
		if _, err := dataset.Import(context.Background(), bytes.NewReader(first), again, fast); err != nil {
			t.Fatalf("the export of a valid import does not re-import: %v\n%s", err, first)
		}
		if second := exportBytes(t, again); !bytes.Equal(first, second) {
			t.Fatalf("round trip changed the data:\nfirst:  %s\nsecond: %s", first, second)
		}
	})
}

// checkImportError fails unless err is something a user can act on.
func checkImportError(t *testing.T, err error) {
	t.Helper()
	var problems *dataset.Problems
	switch {
	case errors.As(err, &problems):
		if len(problems.List) == 0 {
			t.Fatalf("*Problems without any problem: %q", err)
		}
	case strings.HasPrefix(err.Error(), "the file must hold one JSON object"),
		strings.HasPrefix(err.Error(), "invalid JSON near byte"):
	default:
		t.Fatalf("import failed with an error that names no record or position: %q", err)
	}
}

func exportBytes(t *testing.T, st *memStore) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := dataset.Export(context.Background(), st, &buf); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(buf.Bytes()) {
		t.Fatalf("export is not valid JSON:\n%s", buf.Bytes())
	}
	return buf.Bytes()
}

// memStore is an in-memory dataset.Importer and dataset.Exporter. Import
// stages the writes of fill and commits them only when fill succeeds, like
// the SQL stores' transaction; records upsert by the same keys as there.
type memStore struct {
	committed map[string]any // record key → record
	order     []string       // keys in first-write order
	writes    int            // Write calls of the committed fill
}

func newMemStore() *memStore { return &memStore{committed: map[string]any{}} }

type writerFunc func(rec any) error

func (f writerFunc) Write(rec any) error { return f(rec) }

func (m *memStore) Import(_ context.Context, fill func(w dataset.Writer) error) error {
	var staged []any
	if err := fill(writerFunc(func(rec any) error { staged = append(staged, rec); return nil })); err != nil {
		return err
	}
	for _, rec := range staged {
		k := recordKey(rec)
		if _, ok := m.committed[k]; !ok {
			m.order = append(m.order, k)
		}
		m.committed[k] = rec
	}
	m.writes += len(staged)
	return nil
}

// Export emits the records in dataset.Kinds order, as the stores do.
func (m *memStore) Export(_ context.Context, emit func(rec any) error) error {
	keys := slices.Clone(m.order)
	slices.SortStableFunc(keys, func(a, b string) int { return kindRank(m.committed[a]) - kindRank(m.committed[b]) })
	for _, k := range keys {
		if err := emit(m.committed[k]); err != nil {
			return err
		}
	}
	return nil
}

// recordTypes are the record types in dataset.Kinds order.
var recordTypes = []any{&dataset.Portal{}, &dataset.Organization{}, &dataset.SecurityLevel{}, &dataset.Contact{},
	&dataset.Resource{}, &dataset.Contract{}, &dataset.Project{}, &dataset.Phase{}, &dataset.Task{},
	&dataset.TeamMember{}, &dataset.ProjectNote{}, &dataset.TaskNote{}, &dataset.Attachment{}, &dataset.Event{},
	&dataset.BillingItem{}}

func kindRank(rec any) int {
	for i, r := range recordTypes {
		if reflect.TypeOf(r) == reflect.TypeOf(rec) {
			return i
		}
	}
	panic(fmt.Sprintf("unknown record type %T", rec))
}

// recordKey is the upsert key of the SQL stores: the portal is one row,
// security levels go by name, team rows by project and member, others by id.
func recordKey(rec any) string {
	switch r := rec.(type) {
	case *dataset.Portal:
		return "portal"
	case *dataset.SecurityLevel:
		return "security_level " + r.Name
	case *dataset.TeamMember:
		if r.ResourceID != nil {
			return fmt.Sprintf("team %d resource %d", r.ProjectID, *r.ResourceID)
		}
		return fmt.Sprintf("team %d contact %d", r.ProjectID, *r.ContactID)
	}
	return fmt.Sprintf("%T %d", rec, reflect.ValueOf(rec).Elem().FieldByName("ID").Int())
}
