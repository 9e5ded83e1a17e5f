package portal

import (
	"context"
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// Options configure a Service.
type Options struct {
	Outbox   Outbox           // nil: emails are only recorded in the outbox (queued)
	Now      func() time.Time // nil: time.Now
	TokenTTL time.Duration    // lifetime of tokens from Login; 0: 90 days
	// EmailEvery and EmailBurst are each user's email allowance (team
	// emails and task notifications): EmailBurst at once, then one more
	// each EmailEvery. EmailEvery 0: no limit; EmailBurst 0: 10.
	EmailEvery time.Duration
	EmailBurst int
	WebURL     string // the portal's web address, for /v1/me; "": none
}

// Service implements API on a portal's stores.
type Service struct {
	data       store.PortalData
	source     store.Source
	accounts   store.Accounts
	calendar   store.CalendarStore
	outbox     Outbox
	now        func() time.Time
	tokenTTL   time.Duration
	emailEvery time.Duration
	emailBurst int
	webURL     string
	touches    *tokenTouches
	identities identityCache
	// issueLocks serializes --if-absent filings per project for stores
	// that cannot do it themselves (createIfAbsent).
	issueLocks projectLocks
}

var _ API = (*Service)(nil)

// New returns the rules layer over a portal's stores.
func New(st store.Stores, opt Options) *Service {
	s := &Service{data: st.Data, source: st.Source, accounts: st.Accounts, calendar: st.Calendar, outbox: opt.Outbox, now: opt.Now, tokenTTL: opt.TokenTTL,
		emailEvery: opt.EmailEvery, emailBurst: opt.EmailBurst, webURL: opt.WebURL, touches: newTokenTouches(st.Accounts)}
	if s.emailBurst < 1 {
		s.emailBurst = 10
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.tokenTTL == 0 {
		s.tokenTTL = 90 * 24 * time.Hour
	}
	return s
}

// Ready reports whether the store answers and can take writes: a store
// whose disk was found full is not ready until it has room again.
func (s *Service) Ready(ctx context.Context) error {
	if err := s.data.Ping(ctx); err != nil {
		if be := (*store.BusyError)(nil); errors.As(err, &be) {
			return api.Errorf(api.CodeUnavailable, "%s", be.Reason).With("retry_after_seconds", int(math.Ceil(be.RetryAfter.Seconds())))
		}
		return api.Errorf(api.CodeUnavailable, "the database is not reachable; try again shortly")
	}
	return s.copyReady(ctx)
}

// systemPermissions are the permissions of the three system security levels.
var systemPermissions = map[string][]string{
	"basic":    {api.PermViewSchedule, api.PermEmailTeam, api.PermNotes, api.PermAttachments, api.PermAddIssues},
	"advanced": {api.PermAllOrgProjects, api.PermViewSchedule, api.PermEmailTeam, api.PermNotes, api.PermAttachments, api.PermAddIssues},
	"manager": {api.PermAllOrgProjects, api.PermSubOrganizations, api.PermViewSchedule, api.PermEmailTeam, api.PermNotes,
		api.PermAttachments, api.PermAddIssues},
}

// actions name what each permission allows, for "your security level does
// not allow …" messages.
var actions = map[string]string{
	api.PermViewSchedule: "viewing the project schedule",
	api.PermEmailTeam:    "emailing the project team",
	api.PermNotes:        "reading or adding project notes",
	api.PermAttachments:  "viewing or adding project attachments",
	api.PermAddIssues:    "adding project issues",
}

// require fails with 403 forbidden unless u has the permission. It is
// checked before any record is looked up, so it reveals nothing.
func require(u *User, permission string) error {
	if u.Can(permission) {
		return nil
	}
	return api.Errorf(api.CodeForbidden, "your security level (%s) does not allow %s", u.Level, actions[permission]).
		With("permission", permission)
}

// ref splits a path reference into an id or a number.
func ref(s string) (id int64, number string) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return n, ""
	}
	return 0, s
}

// first returns the single row a list call yields, or found=false.
func first[T any](list func(each func(T) error) error) (T, bool, error) {
	var out T
	found := false
	err := list(func(v T) error { out, found = v, true; return nil })
	return out, found, err
}
