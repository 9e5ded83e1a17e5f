package storetest

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

func testProjectDetails(t *testing.T, st store.Stores, o Options) {
	team, err := st.Data.Team(ctx, 1)
	var names []string
	for _, m := range team {
		names = append(names, m.Kind+":"+m.Name+"@"+m.Organization+"/"+m.Role)
	}
	want := "resource:Priya Nair@Northwind IT/Project Lead resource:Tom Berg@Northwind IT/Engineer contact:Ben Ode@Contoso Ltd/Client contact " +
		"contact:Dora Kim@Contoso Ltd/Client contact contact:Nora Park@Contoso Ltd/Observer"
	if o.NoContactRoles {
		want = strings.Replace(want, "Nora Park@Contoso Ltd/Observer", "Nora Park@Contoso Ltd/Client contact", 1)
	}
	if err != nil || strings.Join(names, " ") != want {
		t.Errorf("team:\n got %s\nwant %s", strings.Join(names, " "), want)
	}
	phases, err := st.Data.Phases(ctx, 1)
	if err != nil || len(phases) != 3 || phases[0].Title != "Planning" || phases[1].ID != 12 || phases[1].ParentPhaseID == nil || *phases[1].ParentPhaseID != 11 {
		t.Errorf("phases: %+v %v", phases, err)
	}
	notes := collect(t, func(each func(api.Note) error) error { return st.Data.Notes(ctx, 1, store.Page{}, each) })
	if len(notes) != 1 || notes[0].Author != "Priya Nair" || !notes[0].CreatedAt.Equal(time.Date(2026, 1, 5, 15, 0, 0, 0, time.UTC)) {
		t.Errorf("only published notes, with authors: %+v", notes)
	}
	tn := collect(t, func(each func(api.TaskNote) error) error { return st.Data.TaskNotes(ctx, 100, store.Page{}, each) })
	if len(tn) != 1 || !tn[0].CreatedAt.Equal(time.Date(2026, 1, 6, 15, 30, 0, 0, time.UTC)) {
		t.Errorf("task note time is stored in UTC: %+v", tn)
	}
	atts := collect(t, func(each func(api.Attachment) error) error { return st.Data.Attachments(ctx, 1, store.Page{}, each) })
	sum := sha256.Sum256([]byte("Migration plan\n"))
	wantSum := hex.EncodeToString(sum[:])
	if o.NoListHashes {
		wantSum = ""
	}
	if len(atts) != 1 || atts[0].ID != 900 || atts[0].Size != 15 || atts[0].SHA256 != wantSum || atts[0].ContentType != "text/plain" {
		t.Errorf("attachments: %+v", atts)
	}
	c, err := st.Source.AttachmentContent(ctx, 900)
	if content := readContent(t, c, err); content != "Migration plan\n" || c.Name != "plan.txt" || c.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("attachment content: %+v %q", c.Attachment, content)
	}
	_, err = st.Source.AttachmentContent(ctx, 999)
	wantNotFound(t, "attachment", err)
	// 902 belongs to task 102, which is hidden from the portal.
	_, err = st.Source.AttachmentContent(ctx, 902)
	wantNotFound(t, "attachment of a hidden task", err)
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if o.NoEvents {
		if err := st.Source.Events(ctx, 1, &from, nil, func(api.Event) error { return nil }); err != store.ErrUnsupported {
			t.Errorf("events: %v, want store.ErrUnsupported", err)
		}
		return
	}
	events := collect(t, func(each func(api.Event) error) error { return st.Source.Events(ctx, 1, &from, nil, each) })
	if len(events) != 1 || events[0].Title != "Cut-over weekend" {
		t.Errorf("events from March: %+v", events)
	}
	if all := collect(t, func(each func(api.Event) error) error { return st.Source.Events(ctx, 1, nil, nil, each) }); len(all) != 2 || all[0].Title != "Kick-off" {
		t.Errorf("events by start: %+v", all)
	}
}
