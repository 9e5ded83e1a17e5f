package portal

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// NewIssue files a project issue: a task at project level, status new, with
// u as its contact. With an idempotency key, a retry within 24 hours
// returns the first issue (Created=false) and a different request with the
// same key is a 409 idempotency_conflict. With IfAbsent, an open issue of
// the project with the same title is returned instead (Created=false);
// check and filing are one atomic step (see ifAbsent).
func (s *Service) NewIssue(ctx context.Context, u *User, r string, in api.NewIssue, key string) (IssueResult, error) {
	if err := require(u, api.PermAddIssues); err != nil {
		return IssueResult{}, err
	}
	in.Title = strings.TrimSpace(in.Title)
	if in.Priority == "" {
		in.Priority = api.PriorityMedium
	}
	if err := firstErr(text("title", in.Title, api.MaxTitle), optionalText("description", in.Description, api.MaxBody),
		priority(in.Priority), optionalText("idempotency_key", key, api.MaxIdempotency)); err != nil {
		return IssueResult{}, err
	}
	p, err := s.project(ctx, u, r, true)
	if err != nil {
		return IssueResult{}, err
	}
	if p.Status == api.ProjectComplete {
		return IssueResult{}, api.Errorf(api.CodeConflict, "project %s is complete; issues can only be added to open projects", p.Number)
	}
	now := s.now().UTC()
	var idem *store.Idempotency
	if key != "" {
		idem = &store.Idempotency{ContactID: u.Contact.ID, Key: key, RequestHash: requestHash(p.ID, in), CreatedAt: now}
		if res, replayed, err := s.replay(ctx, u, idem); replayed || err != nil {
			return res, err
		}
	}
	issue := store.NewIssue{ProjectID: p.ID, ContactID: u.Contact.ID, Title: in.Title,
		Description: in.Description, Priority: in.Priority, CreatedAt: now}
	var t api.Task
	created := true
	if in.IfAbsent {
		t, created, err = s.createIfAbsent(ctx, myScope(u, u.ScopeOrgIDs), issue, idem)
	} else {
		t, err = s.st.CreateIssue(ctx, issue, idem)
	}
	if errors.Is(err, store.ErrConflict) && idem != nil { // a concurrent retry won the race
		if res, replayed, err := s.replay(ctx, u, idem); replayed || err != nil {
			return res, err
		}
	}
	if err != nil {
		return IssueResult{}, err
	}
	return IssueResult{Issue: t, Created: created}, nil
}

// createIfAbsent files the issue unless its project has an open issue of
// the same title. The SQL stores do both in one transaction, atomic across
// processes (store.IssueDeduper); for others (the Autotask bridge) filings
// of one project are serialized within this process only.
func (s *Service) createIfAbsent(ctx context.Context, scope store.ProjectScope, in store.NewIssue, key *store.Idempotency) (api.Task, bool, error) {
	if d, ok := s.st.(store.IssueDeduper); ok {
		return d.CreateIssueIfAbsent(ctx, in, key)
	}
	unlock := s.issueLocks.lock(in.ProjectID)
	defer unlock()
	var open *api.Task
	err := s.st.Tasks(ctx, store.TaskQuery{Projects: scope, ProjectID: in.ProjectID, IssuesOnly: true},
		func(t api.Task) error {
			if open == nil && t.Status != api.TaskComplete && strings.EqualFold(strings.TrimSpace(t.Title), in.Title) {
				open = &t
			}
			return nil
		})
	if err != nil || open != nil {
		return deref(open), false, err
	}
	t, err := s.st.CreateIssue(ctx, in, key)
	return t, err == nil, err
}

func deref(t *api.Task) api.Task {
	if t == nil {
		return api.Task{}
	}
	return *t
}

// projectLocks serializes work per project within this process.
type projectLocks struct {
	mu    sync.Mutex
	locks map[int64]*sync.Mutex
}

// lock locks the project's mutex and returns its unlock. Mutexes are
// kept (one per project filed on): a few bytes each.
func (l *projectLocks) lock(projectID int64) func() {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[int64]*sync.Mutex{}
	}
	m := l.locks[projectID]
	if m == nil {
		m = &sync.Mutex{}
		l.locks[projectID] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// replay returns the issue an earlier request with the same key created.
func (s *Service) replay(ctx context.Context, u *User, idem *store.Idempotency) (IssueResult, bool, error) {
	prev, err := s.st.IdempotencyKey(ctx, idem.ContactID, idem.Key, idem.CreatedAt.Add(-store.IdempotencyTTL))
	if errors.Is(err, store.ErrNotFound) {
		return IssueResult{}, false, nil
	}
	if err != nil {
		return IssueResult{}, false, err
	}
	if prev.RequestHash != idem.RequestHash {
		return IssueResult{}, true, api.Errorf(api.CodeIdempotencyConflict,
			"the Idempotency-Key %q was already used for a different issue; use a new key", idem.Key)
	}
	t, found, err := first(func(each func(api.Task) error) error {
		return s.st.Tasks(ctx, store.TaskQuery{Projects: myScope(u, u.ScopeOrgIDs), ID: prev.TaskID, Page: store.Page{Limit: 1}}, each)
	})
	if err != nil {
		return IssueResult{}, true, err
	}
	if !found {
		return IssueResult{}, true, api.NotFound("issue")
	}
	return IssueResult{Issue: t}, true, nil
}

// requestHash identifies an issue request for idempotency. IfAbsent is a
// part only when set, so keys stored before it existed still match.
func requestHash(projectID int64, in api.NewIssue) string {
	h := sha256.New()
	parts := []string{strconv.FormatInt(projectID, 10), in.Title, in.Description, in.Priority}
	if in.IfAbsent {
		parts = append(parts, "if_absent")
	}
	for _, part := range parts {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func priority(p string) error {
	switch p {
	case api.PriorityLow, api.PriorityMedium, api.PriorityHigh, api.PriorityCritical:
		return nil
	}
	return api.Invalid("priority", "unknown priority %q: choose low, medium, high or critical", p)
}
