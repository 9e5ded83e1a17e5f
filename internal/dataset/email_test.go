package dataset_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/dataset"
)

// TestImportRefusesAddressesThatAreNotOne (finding 8): a contact address
// holding CR/LF went into Reply-To as it was and added headers to the
// provider's emails. Every address (contacts, resources, the support
// address) is checked with net/mail; each bad one is reported at its
// path, and the file is refused as a whole.
func TestImportRefusesAddressesThatAreNotOne(t *testing.T) {
	var demo bytes.Buffer
	if err := dataset.WriteDemo(&demo, dataset.DemoOptions{}); err != nil {
		t.Fatal(err)
	}
	var data map[string]any
	if err := json.Unmarshal(demo.Bytes(), &data); err != nil {
		t.Fatal(err)
	}
	set := func(kind string, i int, value string) {
		data[kind].([]any)[i].(map[string]any)["email"] = value
	}
	set("contacts", 1, "ben@contoso.example\r\nBcc: evil@attacker.example\r\nX-Evil: 1")
	set("contacts", 2, "Chloe <chloe@fabrikam.example>")
	set("resources", 0, "priya")
	data["portal"].(map[string]any)["support_email"] = "support@northwind-it.example, evil@attacker.example"
	file, _ := json.Marshal(data)

	db := openDB(t)
	before := exportString(t, db)
	_, err := dataset.Import(context.Background(), bytes.NewReader(file), db, fast)
	var problems *dataset.Problems
	if !errors.As(err, &problems) {
		t.Fatalf("want *dataset.Problems, got %v", err)
	}
	for _, want := range []string{
		"portal.support_email: not an email address",
		"contacts[1].email: holds a line break",
		"contacts[2].email: give the bare address (chloe@fabrikam.example), without a name or brackets",
		"resources[0].email: not an email address",
	} {
		if !strings.Contains(problems.Error(), want) {
			t.Errorf("missing problem %q in:\n%s", want, problems.Error())
		}
	}
	if after := exportString(t, db); after != before {
		t.Error("a refused import changed the database")
	}
}
