package dataset

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// recorder is an Importer keeping what a successful fill wrote, in order.
type recorder struct{ committed []any }

type writeFunc func(rec any) error

func (f writeFunc) Write(rec any) error { return f(rec) }

func (r *recorder) Import(_ context.Context, fill func(w Writer) error) error {
	var staged []any
	if err := fill(writeFunc(func(rec any) error { staged = append(staged, rec); return nil })); err != nil {
		return err
	}
	r.committed = staged
	return nil
}

// onePassCases are files the one-pass import must import exactly as the
// checked import does (want ""), or leave to it (want "slow").
var onePassCases = []struct{ name, data, want string }{
	{"empty", `{}`, ""},
	{"white space", " \n{ \"portal\" : {\"support_email\":\"a@b.c\"} }\n\n", ""},
	{"child organization first", `{"organizations": [{"id": 2, "name": "B", "parent_id": 1}, {"id": 1, "name": "A"}]}`, ""},
	{"phase parent later", `{"organizations": [{"id": 1, "name": "A"}], "projects": [{"id": 5, "number": "P5", "name": "P", "organization_id": 1, "status": "new"}],
		"phases": [{"id": 2, "project_id": 5, "parent_phase_id": 3, "title": "B", "position": 1}, {"id": 3, "project_id": 5, "title": "A", "position": 0}]}`, ""},
	{"password", `{"organizations": [{"id": 1, "name": "A"}], "contacts": [{"id": 7, "organization_id": 1, "first_name": "A", "last_name": "B", "username": "ab", "password": "pw"}]}`, ""},
	{"escapes and nulls", `{"organizations": [{"id": 2, "name": "B\u00e9 \"q\" <&>", "parent_id": 1, "time_zone": "UTC"}, {"id": 1, "name": "A", "notify_resources": null}],
		"contracts": [{"id": 3, "organization_id": 1, "name": "C"}],
		"projects": [{"id": 4, "number": "P4", "name": "P", "organization_id": 2, "status": "new", "estimated_hours": 1.5}],
		"billing_items": [{"id": 5, "project_id": 4, "contract_id": 3, "worked_date": "2026-01-01", "hours_worked": 0.25, "hours_billed": 0, "rate": null, "description": "\u00e9\ud83d\ude00"}]}`, ""},
	{"kinds out of order", `{"projects": [], "organizations": [{"id": 1, "name": "A"}]}`, "slow"},
	{"kind twice", `{"organizations": [{"id": 1, "name": "A"}], "organizations": []}`, "slow"},
	{"unknown kind", `{"nope": []}`, "slow"},
	{"cycle", `{"organizations": [{"id": 1, "name": "A", "parent_id": 2}, {"id": 2, "name": "B", "parent_id": 1}]}`, "slow"},
	{"duplicate unreferenced id", `{"organizations": [{"id": 1, "name": "A"}], "projects": [{"id": 5, "number": "P5", "name": "P", "organization_id": 1, "status": "new"}],
		"events": [{"id": 9, "project_id": 5, "title": "t", "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"},
		{"id": 9, "project_id": 5, "title": "t", "starts_at": "2026-01-01T00:00:00Z", "ends_at": "2026-01-01T00:00:00Z"}]}`, "slow"},
	{"missing reference", `{"organizations": [{"id": 1, "name": "A", "parent_id": 3}]}`, "slow"},
	{"invalid record", `{"organizations": [{"id": 1, "name": ""}]}`, "slow"},
	{"trailing data", `{} {}`, "slow"},
	{"truncated", `{"organizations": [{"id": 1, "name": "A"}`, "slow"},
	{"portal null", `{"portal": null}`, "slow"},
	{"record not an object", `{"organizations": [1]}`, "slow"},
	{"escaped kind", `{"portal\u0073": []}`, "slow"},
}

func TestOnePassImportsLikeTheCheckedImport(t *testing.T) {
	for _, c := range onePassCases {
		t.Run(c.name, func(t *testing.T) {
			if slow := checkOnePass(t, []byte(c.data)); slow != (c.want == "slow") {
				t.Errorf("one pass left the file to the checked import: %v, want %v", slow, c.want == "slow")
			}
		})
	}
	for _, name := range []string{"example-import.json", "invalid-import.json"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		if slow := checkOnePass(t, data); slow != strings.HasPrefix(name, "invalid") {
			t.Errorf("%s: left to the checked import: %v", name, slow)
		}
	}
	var demo bytes.Buffer
	if err := WriteDemo(&demo, DemoOptions{BillingItems: 300, Projects: 20}); err != nil {
		t.Fatal(err)
	}
	if checkOnePass(t, demo.Bytes()) {
		t.Error("the demo file was left to the checked import")
	}
}

// checkOnePass imports data both ways and fails unless the one-pass import
// either stepped aside (errSlow, nothing written) or wrote exactly what the
// checked import writes. It reports whether it stepped aside.
func checkOnePass(t *testing.T, data []byte) (slow bool) {
	t.Helper()
	ctx := context.Background()
	once := &recorder{}
	sumOnce, err := importOnce(ctx, bytes.NewReader(data), once, bcrypt.MinCost)
	if err != nil {
		if !errors.Is(err, errSlow) {
			t.Fatalf("one pass failed with %v, want errSlow", err)
		}
		if once.committed != nil {
			t.Fatalf("one pass failed but committed %d records", len(once.committed))
		}
		return true
	}
	checked := &recorder{}
	sumChecked, err := importChecked(ctx, bytes.NewReader(data), checked, bcrypt.MinCost)
	if err != nil {
		t.Fatalf("one pass imported %q, the checked import says: %v", data, err)
	}
	if !reflect.DeepEqual(sumOnce, sumChecked) {
		t.Fatalf("summary %v, checked import %v", sumOnce, sumChecked)
	}
	if len(once.committed) != len(checked.committed) {
		t.Fatalf("%d records written, checked import %d", len(once.committed), len(checked.committed))
	}
	for i, rec := range once.committed {
		want := checked.committed[i]
		sameHash(t, rec, want)
		if !reflect.DeepEqual(rec, want) {
			t.Fatalf("record %d:\n got %#v\nwant %#v", i, rec, want)
		}
	}
	return false
}

// sameHash checks that two contacts hashed the same password (bcrypt salts
// differ), then makes their hashes equal for the comparison.
func sameHash(t *testing.T, got, want any) {
	a, ok1 := got.(*Contact)
	b, ok2 := want.(*Contact)
	if !ok1 || !ok2 || a.PasswordHash == b.PasswordHash {
		return
	}
	for _, pw := range []string{"pw", "demo"} { // the passwords of the test files
		if bcrypt.CompareHashAndPassword([]byte(a.PasswordHash), []byte(pw)) == nil &&
			bcrypt.CompareHashAndPassword([]byte(b.PasswordHash), []byte(pw)) == nil {
			a.PasswordHash = b.PasswordHash
			return
		}
	}
	t.Fatalf("contact %d: password hashes differ", a.ID)
}

// FuzzOnePass: on any input, the one-pass import steps aside or writes
// exactly what the checked import writes.
func FuzzOnePass(f *testing.F) {
	for _, c := range onePassCases {
		f.Add([]byte(c.data))
	}
	for _, name := range []string{"example-import.json", "invalid-import.json"} {
		if data, err := os.ReadFile(filepath.Join("..", "..", "testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte(`password`)) {
			return // sameHash knows only the test files' passwords
		}
		checkOnePass(t, data)
	})
}
