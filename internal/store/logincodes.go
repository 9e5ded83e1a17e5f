package store

import (
	"context"
	"time"
)

// LoginCodes keeps the one-time sign-in codes sent to a contact's own email
// address (portalctl auth login --email). Every SQL store implements it,
// and so the Autotask copy.
type LoginCodes interface {
	// PortalUsersByEmail returns the contacts with a portal login whose
	// email is email, ignoring case.
	PortalUsersByEmail(ctx context.Context, email string) ([]Contact, error)
	// SetLoginCode keeps hash as the contact's one code until expires,
	// replacing any earlier one.
	SetLoginCode(ctx context.Context, contactID int64, hash string, expires time.Time) error
	// UseLoginCode spends the contact's code if hash is it and it has not
	// expired at now: it reports true at most once per code. A wrong hash
	// counts a failure; after MaxLoginCodeFailures the code is void.
	UseLoginCode(ctx context.Context, contactID int64, hash string, now time.Time) (bool, error)
}

// MaxLoginCodeFailures is how many wrong codes void a contact's code.
const MaxLoginCodeFailures = 5
