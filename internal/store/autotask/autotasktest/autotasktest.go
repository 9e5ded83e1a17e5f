// Package autotasktest opens the synced copy of Autotask on an in-process
// emulator (internal/autotask/atemu) seeded from a data file in the import
// format, with a SQLite database as the copy. Tests of the store, the rules
// and the API use it to run on "autotask" as on "sqlite" and "postgres".
package autotasktest

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"path/filepath"
	"testing"
	"time"

	at "github.com/portalctl/portalctl/internal/autotask"
	"github.com/portalctl/portalctl/internal/autotask/atemu"
	"github.com/portalctl/portalctl/internal/dataset"
	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/internal/store/autotask"
	"github.com/portalctl/portalctl/internal/store/sqlite"
	"github.com/portalctl/portalctl/pkg/api"
	"golang.org/x/crypto/bcrypt"
)

// Credentials are the emulator's API user.
var Credentials = at.Credentials{Username: "api@northwind-it.example", Secret: "s3cret", IntegrationCode: "PORTALD"}

// LocalKinds are the records portald's database holds before it syncs
// (portal settings, custom security levels, and the organizations and
// logins `portald user link` wrote: time zones and passwords are portald's);
// the rest comes from Autotask.
var LocalKinds = []string{"portal", "security_levels", "organizations", "contacts"}

// Now is the copy's clock unless Options.Now is set.
var Now = time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)

// Bridge is the copy with its emulator, client and database.
type Bridge struct {
	*autotask.Store
	Emu    *atemu.Server
	Client *at.Client
	DB     autotask.Local
}

// Open seeds an emulator with data and a SQLite copy with its LocalKinds,
// opens the store on both and runs the initial sync (closed with the test).
// tune, when given, changes the emulator's and the client's settings. At
// cleanup it fails the test if the emulator refused a request portald sent
// (every request is checked against Autotask's schema extract).
func Open(t testing.TB, data []byte, opt autotask.Options, tune ...func(*atemu.Options, *at.Config)) *Bridge {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	return OpenOn(t, db, data, opt, tune...)
}

// OpenOn is Open with the copy in db (a fresh *sqlite.DB or *postgres.DB),
// which the store closes.
func OpenOn(t testing.TB, db autotask.Local, data []byte, opt autotask.Options, tune ...func(*atemu.Options, *at.Config)) *Bridge {
	t.Helper()
	ctx := context.Background()
	eo := atemu.Options{Credentials: Credentials, HourlyLimit: 1_000_000}
	co := at.Config{Credentials: Credentials, HourlyLimit: 1_000_000, RetryBase: time.Millisecond, MaxRetries: 4}
	for _, f := range tune {
		f(&eo, &co)
	}
	emu := atemu.New(eo)
	t.Cleanup(emu.Close)
	if err := emu.Seed(data); err != nil {
		db.Close()
		t.Fatalf("seed the emulator: %v", err)
	}
	localData, _ := LocalPart(t, data)
	if _, err := dataset.Import(ctx, bytes.NewReader(localData), db, dataset.Options{BcryptCost: bcrypt.MinCost}); err != nil {
		db.Close()
		t.Fatalf("local import: %v", err)
	}
	co.BaseURL = emu.URL()
	client, err := at.New(ctx, co)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	opt.Client, opt.Local = client, db
	if opt.Now == nil {
		opt.Now = func() time.Time { return Now }
	}
	if opt.SecurityLevels == nil {
		opt.SecurityLevels = emu.SecurityLevels()
	}
	if opt.Sync.HourlyLimit == 0 {
		opt.Sync.HourlyLimit = co.HourlyLimit
	}
	st, err := autotask.Open(ctx, opt)
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	t.Cleanup(func() {
		if r := emu.Refusals(); len(r) > 0 {
			t.Errorf("portald sent requests Autotask refuses: %q", r)
		}
	})
	if err := st.Sync().Cycle(ctx); err != nil {
		t.Fatalf("initial sync: %v", err)
	}
	return &Bridge{Store: st, Emu: emu, Client: client, DB: db}
}

// LocalPart keeps the LocalKinds of a data file, and its portal settings
// (portald's flags, with Autotask).
func LocalPart(t testing.TB, data []byte) ([]byte, store.PortalSettings) {
	t.Helper()
	var all map[string]json.RawMessage
	if err := json.Unmarshal(data, &all); err != nil {
		t.Fatal(err)
	}
	keep := map[string]json.RawMessage{}
	for _, k := range LocalKinds {
		if v, ok := all[k]; ok {
			keep[k] = v
		}
	}
	var p dataset.Portal
	if raw, ok := all["portal"]; ok {
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
	}
	b, err := json.Marshal(keep)
	if err != nil {
		t.Fatal(err)
	}
	return b, store.PortalSettings{Name: p.Name, OrganizationTerm: p.OrganizationTerm, SupportEmail: p.SupportEmail,
		ProviderName: p.ProviderName}
}

// Clock makes the emulator stamp the records it creates (createDateTime,
// completedDateTime, the date in taskNumber) with now, as Autotask stamps
// them with its own clock. Pass the same clock as Options.Now so created
// tasks, notes and completions carry the times a local store would.
func Clock(now func() time.Time) func(*atemu.Options, *at.Config) {
	return func(eo *atemu.Options, _ *at.Config) { eo.Now = now }
}

// Amount is the amount the copy bills for a labour item of hoursBilled at
// rate: the extendedPrice the emulator seeds, to the cent (the relaxation
// storetest.Options.Amount takes).
func Amount(hoursBilled, rate api.Decimal) api.Decimal {
	p := atemu.ExtendedPrice(float64(hoursBilled)/100, float64(rate)/100)
	return api.Decimal(math.Round(p * 100))
}
