package portal_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
	"github.com/portalctl/portalctl/pkg/api"
)

// countedData counts the end-client reads that reach the store.
type countedData struct {
	store.PortalData
	mu    sync.Mutex
	calls map[string]int
}

func (c *countedData) count(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls[name]++
}

// take returns the calls counted since the last take, as "Name×n" sorted.
func (c *countedData) take() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for name, n := range c.calls {
		out = append(out, fmt.Sprintf("%s×%d", name, n))
	}
	sort.Strings(out)
	c.calls = map[string]int{}
	return strings.Join(out, " ")
}

func (c *countedData) IsBillingOrganization(ctx context.Context, orgID int64) (bool, error) {
	c.count("IsBillingOrganization")
	return c.PortalData.IsBillingOrganization(ctx, orgID)
}

func (c *countedData) EndClients(ctx context.Context, billingOrgID int64) ([]api.EndClient, error) {
	c.count("EndClients")
	return c.PortalData.EndClients(ctx, billingOrgID)
}

func (c *countedData) EndClientProjects(ctx context.Context, q store.EndClientQuery, each func(api.EndClientProject) error) error {
	c.count("EndClientProjects")
	return c.PortalData.EndClientProjects(ctx, q, each)
}

func (c *countedData) BilledHoursFeed(ctx context.Context, q store.BilledHoursQuery, head func(store.FeedPosition) error, each func(api.BilledHoursRow) error) error {
	c.count("BilledHoursFeed")
	return c.PortalData.BilledHoursFeed(ctx, q, head, each)
}

// TestEndClientReadsOnce: a request resolves the billing organization
// once, and naming a client (by name or id) costs no more reads than
// listing them all: the client is found among the end clients, whose
// existence already shows that the organization is billed.
func TestEndClientReadsOnce(t *testing.T) {
	db := portaltest.NewStoreOn(t, "sqlite")
	data := &countedData{PortalData: db.Data, calls: map[string]int{}}
	st := db.Stores
	st.Data = data
	svc := portal.New(st, portal.Options{Now: func() time.Time { return portaltest.Now }})
	chloe := portaltest.User(t, svc, "chloe")
	ben := portaltest.User(t, svc, "ben")
	data.take()

	projects := func(u *portal.User, client string) (string, error) {
		return endClientProjects(t, svc, u, portal.EndClientFilter{Client: client, IncludeCompleted: true})
	}
	all, err := projects(chloe, "")
	if err != nil {
		t.Fatal(err)
	}
	allReads := data.take()
	for _, client := range []string{"Tailspin Dental", "tailspin dental", "300"} {
		got, err := projects(chloe, client)
		if err != nil || got == "" || !strings.HasPrefix(all, got) {
			t.Errorf("--client %s: %q %v (all: %q)", client, got, err, all)
		}
		if reads := data.take(); strings.Count(reads, "×") != strings.Count(allReads, "×") || strings.Contains(reads, "×2") {
			t.Errorf("--client %s reads %s; without --client %s", client, reads, allReads)
		}
	}
	// What an unknown client or a user who bills nothing sees is unchanged.
	if _, err := projects(chloe, "Contoso Ltd"); api.ErrorCode(err) != api.CodeInvalidRequest ||
		!strings.Contains(err.Error(), "choose all, 300 (Tailspin Dental), 301 (Wingtip Toys)") {
		t.Errorf("unknown client: %v", err)
	}
	for _, client := range []string{"", "Tailspin Dental"} {
		if _, err := projects(ben, client); api.ErrorCode(err) != api.CodeNotBillingOrganization {
			t.Errorf("ben --client %q: %v", client, err)
		}
	}
	data.take()

	for name, view := range map[string]func() error{
		"project":  func() error { _, err := svc.EndClientProject(ctx, chloe, "P20260201.0005"); return err },
		"schedule": func() error { _, err := svc.EndClientSchedule(ctx, chloe, "P20260201.0005"); return err },
		"team":     func() error { _, err := svc.EndClientTeam(ctx, chloe, "P20260201.0005"); return err },
	} {
		if err := view(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if reads := data.take(); strings.Contains(reads, "×2") || strings.Contains(reads, "×3") {
			t.Errorf("%s reads %s: a set read twice in one request", name, reads)
		}
	}

	// Billed hours of one client cost what all of them do.
	billed := func(client string) string {
		if err := svc.BilledHours(ctx, chloe, portal.BilledHoursFilter{Client: client}, store.Page{}, nil,
			func(api.BilledHoursRow) error { return nil }); err != nil {
			t.Fatalf("billed hours --client %q: %v", client, err)
		}
		return data.take()
	}
	if one, all := billed("Tailspin Dental"), billed(""); strings.Count(one, "×") != strings.Count(all, "×") || strings.Contains(one, "×2") {
		t.Errorf("billed hours --client reads %s; without --client %s", one, all)
	}
}
