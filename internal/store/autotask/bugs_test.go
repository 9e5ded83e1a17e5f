package autotask_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/autotask/autotasktest"
	"github.com/portalctl/portalctl/pkg/api"
)

// The mapping bugs of findings 2026-12-autotask §0, each reproduced
// against the emulator as strict as Autotask (they fail on eda3a1a). They
// use only the store.Store contract, so they hold whatever serves it.

var ctx = context.Background()

const fabrikam, tailspinMove = 200, 5 // billing organization; its end client's project P20260201.0005

func demo(t *testing.T) []byte {
	t.Helper()
	var b strings.Builder
	if err := dataset.WriteDemo(&b, dataset.DemoOptions{}); err != nil {
		t.Fatal(err)
	}
	return []byte(b.String())
}

func openDemo(t *testing.T) *autotasktest.Bridge {
	return autotasktest.Open(t, demo(t), autotask.Options{})
}

// Bug 1: billed hours count labour only. Every project with billed labour
// also has an expense billing item (2 units): it is not hours.
func TestBug1BilledHoursAreLabourOnly(t *testing.T) {
	b := openDemo(t)
	var hours api.Decimal
	err := b.EndClientProjects(ctx, store.EndClientQuery{BillingOrgID: fabrikam, ID: tailspinMove}, func(p api.EndClientProject) error {
		hours = p.BilledHours
		return nil
	})
	if err != nil || hours.String() != "3.10" {
		t.Errorf("P20260201.0005 billed hours = %s, %v; want 3.10 (3.00 + 0.10 of labour, not the expense's 2 units)", hours, err)
	}
	err = b.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam}, func(r api.BilledHoursRow) error {
		if r.ID >= atemu.ExpenseItemBase {
			t.Errorf("billed hours list the expense %d (%s units)", r.ID, r.HoursBilled)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The expense is a charge, shown apart.
	charges, ok := any(b.Store).(store.Charges)
	if !ok {
		t.Fatal("the store keeps no charges")
	}
	var got []api.Charge
	if err := charges.Charges(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam, ProjectID: tailspinMove},
		func(c api.Charge) error { got = append(got, c); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != atemu.ExpenseItemBase+tailspinMove || got[0].Kind != "expense" ||
		got[0].Quantity.String() != "2.00" || got[0].Amount == nil || got[0].Amount.String() != "91.00" {
		t.Errorf("charges of P20260201.0005 = %+v, want its expense: 2 units, 91.00", got)
	}
}

// Bug 2: the amount is extendedPrice, billed_at the posting instant.
func TestBug2AmountIsExtendedPriceBilledAtIsPostedOnTime(t *testing.T) {
	b := openDemo(t)
	rows := map[int64]api.BilledHoursRow{}
	if err := b.BilledHours(ctx, store.BilledHoursQuery{BillingOrgID: fabrikam}, func(r api.BilledHoursRow) error {
		rows[r.ID] = r
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []int64{60001, 60004} {
		item := b.Emu.Record("BillingItems", id)
		posted, _ := time.Parse(time.RFC3339, item["postedOnTime"].(string))
		r := rows[id]
		if r.Amount == nil || r.Amount.String() != fmt.Sprintf("%.2f", item["extendedPrice"]) {
			t.Errorf("item %d amount = %v, want extendedPrice %v (not %s × %s)", id, r.Amount, item["extendedPrice"], r.HoursBilled, r.Rate)
		}
		if r.BilledAt == nil || !r.BilledAt.Equal(posted.Truncate(time.Second)) {
			t.Errorf("item %d billed_at = %v, want postedOnTime %s (postedDate is date-only: %s)", id, r.BilledAt, posted, item["postedDate"])
		}
	}
}

// Bug 3: a project note needs isAnnouncement, and is filed as the
// tenant's portal note type (note types are per tenant).
func TestBug3ProjectNoteIsFiledAsAutotaskRequires(t *testing.T) {
	b := openDemo(t)
	n, err := b.AddNote(ctx, api.Note{ProjectID: 1, Title: "Go-live", Body: "Agreed for March.", CreatedAt: autotasktest.Now}, 1002)
	if err != nil {
		t.Fatalf("AddNote: %v", err)
	}
	rec := b.Emu.Record("ProjectNotes", n.ID)
	if rec["isAnnouncement"] != false || rec["noteType"] != 13.0 || n.Title != "Go-live" {
		t.Errorf("note %+v, in Autotask %v: want isAnnouncement false and the Client Portal Note type (13 here)", n, rec)
	}
}

// Bug 4: attachments are listed without querying fileSize (it cannot be
// queried, and is a double), and downloaded through their parent, whose
// child read answers items as one object.
func TestBug4AttachmentsListAndDownload(t *testing.T) {
	b := openDemo(t)
	var list []api.Attachment
	if err := b.Attachments(ctx, 1, store.Page{}, func(a api.Attachment) error { list = append(list, a); return nil }); err != nil {
		t.Fatalf("Attachments: %v", err)
	}
	if len(list) != 1 || list[0].ID != 900 || list[0].Size != 15 {
		t.Errorf("attachments of project 1 = %+v, want 900 of 15 bytes (fileSize 15.0)", list)
	}
	c, err := b.AttachmentContent(ctx, 900)
	if err != nil {
		t.Fatalf("AttachmentContent: %v", err)
	}
	defer c.Content.Close()
	content, err := io.ReadAll(c.Content)
	if err != nil || string(content) != "Migration plan\n" || c.Size != 15 || c.SHA256 == "" {
		t.Errorf("AttachmentContent = %+v %q, %v", c.Attachment, content, err)
	}
}

// Bug 5: UDFs come back only when IncludeFields names them: the team's
// contacts (Portal Team Contacts) and My Open Tasks (Portal Contact).
func TestBug5UDFsAreRead(t *testing.T) {
	b := openDemo(t)
	team, err := b.Team(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var contacts []string
	for _, m := range team {
		if m.Kind == "contact" {
			contacts = append(contacts, m.Name)
		}
	}
	if !slices.Equal(contacts, []string{"Ben Ode", "Dora Kim", "Nora Park"}) {
		t.Errorf("team contacts of P20260105.0001 = %v", contacts)
	}
	var open []string
	err = b.Tasks(ctx, store.TaskQuery{Projects: store.ProjectScope{OrgIDs: []int64{100}, MemberContactID: 1002}, OpenForContactID: 1002},
		func(t api.Task) error { open = append(open, t.Number); return nil })
	if err != nil || !slices.Contains(open, "T20260105.0001") {
		t.Errorf("ben's open tasks = %v, %v; want T20260105.0001 (his through the Portal Contact UDF)", open, err)
	}
}

// Bug 6: more than 500 ids never go into one query (Autotask caps a query
// at 500 OR conditions): 600 projects of one organization, each with an
// open task for its advanced user.
func TestBug6ManyIDsAreBatched(t *testing.T) {
	var d strings.Builder
	d.WriteString(`{"portal":{"support_email":"s@example.com"},"organizations":[{"id":1,"name":"Big"}],
		"contacts":[{"id":10,"organization_id":1,"first_name":"Cleo","last_name":"Lee","username":"cleo","security_level":"advanced","password":"demo"}],
		"projects":[`)
	for i := 1; i <= 600; i++ {
		fmt.Fprintf(&d, `%s{"id":%d,"number":"P20260101.%04d","name":"p%d","organization_id":1,"status":"in_progress"}`,
			map[bool]string{true: "", false: ","}[i == 1], i, i, i)
	}
	d.WriteString(`],"tasks":[`)
	for i := 1; i <= 600; i++ {
		fmt.Fprintf(&d, `%s{"id":%d,"project_id":%d,"number":"T20260101.%04d","title":"t","status":"waiting_customer","position":1}`,
			map[bool]string{true: "", false: ","}[i == 1], 1000+i, i, i)
	}
	d.WriteString(`]}`)
	b := autotasktest.Open(t, []byte(d.String()), autotask.Options{})
	n := 0
	err := b.Tasks(ctx, store.TaskQuery{Projects: store.ProjectScope{OrgIDs: []int64{1}}, OpenForContactID: 10},
		func(api.Task) error { n++; return nil })
	if err != nil || n != 600 {
		t.Errorf("open tasks over 600 projects: %d, %v", n, err)
	}
	if r := b.Emu.Refusals(); len(r) > 0 {
		t.Errorf("Autotask refused: %q", r)
	}
	b.Emu.ResetRefusals()
}
