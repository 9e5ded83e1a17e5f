package portal

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// EmailStatus tells the sender of a team email how it went, recipient by
// recipient. Anyone else, and notifications (the provider's business),
// get not found.
func (s *Service) EmailStatus(ctx context.Context, u *User, id int64) (api.EmailStatus, error) {
	e, err := s.accounts.Email(ctx, id)
	if errors.Is(err, store.ErrNotFound) || err == nil && (e.Kind != "team_email" || e.SenderID != u.Contact.ID) {
		return api.EmailStatus{}, api.NotFound("email")
	}
	if err != nil {
		return api.EmailStatus{}, err
	}
	out := api.EmailStatus{ID: e.ID, Subject: e.Subject, Status: e.Status, CreatedAt: e.CreatedAt,
		Recipients: make([]api.RecipientStatus, len(e.Deliveries))}
	for i, d := range e.Deliveries {
		r := api.RecipientStatus{Address: d.Address, Status: d.Status, Attempts: d.Attempts, SentAt: d.SentAt}
		switch {
		case d.Status == store.EmailSent:
		case d.ReplyCode != 0:
			code := d.ReplyCode
			r.ReplyCode, r.Reply = &code, d.Reply
		case d.Reply != "" && d.Status == store.EmailFailed:
			// Not the mail server's words (an invalid address, or attempts
			// that ran out on connection errors), and what portald logs
			// about its own network is not for clients.
			r.Reply = "not delivered; your provider can tell why"
		case d.Reply != "":
			r.Reply = "the portal could not reach its mail server yet; it keeps trying"
		}
		out.Recipients[i] = r
	}
	return out, nil
}

// takeEmail takes one email from u's allowance (team emails and
// notifications alike), counted in the store so that every instance
// shares it; past it the request is refused with 429 and Retry-After, and
// nothing is written.
func (s *Service) takeEmail(ctx context.Context, u *User) error {
	if s.emailEvery <= 0 {
		return nil
	}
	wait, err := s.accounts.TakeEmailAllowance(ctx, u.Contact.ID, s.now(), s.emailEvery, s.emailBurst)
	if err != nil || wait <= 0 {
		return err
	}
	secs := int(math.Ceil(wait.Seconds()))
	return api.Errorf(api.CodeRateLimited, "you have sent too many emails (team emails and task notifications): %d at once, then one every %s; try again in %s",
		s.emailBurst, s.emailEvery.Round(time.Second), time.Duration(secs)*time.Second).With("retry_after_seconds", secs)
}
