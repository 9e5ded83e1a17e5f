package portal

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net/mail"
	"strconv"
	"strings"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// Signing in without a password an administrator set: a one-time code
// goes to the contact's own email address through the outbox, and is
// exchanged for a token (POST /v1/auth/tokens with email and code).

// LoginCodeTTL is how long a sign-in code is valid.
const LoginCodeTTL = 10 * time.Minute

var errBadCode = api.Errorf(api.CodeUnauthenticated, "invalid email address or code; ask for a new code with `portalctl auth login --email`")

func (s *Service) codes() (store.LoginCodes, error) {
	c, ok := s.st.(store.LoginCodes)
	if !ok {
		return nil, api.Errorf(api.CodeNotSupported, "this portal's store cannot send sign-in codes")
	}
	return c, nil
}

// SendLoginCode emails a sign-in code to every portal user with this
// address who may sign in. It answers the same whether or not there is
// one, so it reveals nothing about who has a login; the rate limits are
// the HTTP layer's (per address and per client address).
func (s *Service) SendLoginCode(ctx context.Context, email string) error {
	email = strings.TrimSpace(email)
	if _, err := mail.ParseAddress(email); err != nil || strings.ContainsAny(email, "<> ") {
		return api.Invalid("email", "%q is not an email address", email)
	}
	codes, err := s.codes()
	if err != nil {
		return err
	}
	users, err := codes.PortalUsersByEmail(ctx, email)
	if err != nil {
		return err
	}
	settings, err := s.st.Portal(ctx)
	if err != nil {
		return err
	}
	for _, c := range users {
		if !c.PortalEnabled || !c.Active {
			continue
		}
		code, err := newCode()
		if err != nil {
			return err
		}
		expires := s.now().Add(LoginCodeTTL)
		if err := codes.SetLoginCode(ctx, c.ID, codeHash(c.ID, code), expires); err != nil {
			return err
		}
		// Queued, not sent in this request: the answer takes as long for an
		// address with a login as for one without.
		_, err = s.st.EnqueueEmail(ctx, store.Email{Kind: "notification", To: []string{c.Email},
			Subject: "Your sign-in code for " + orDefault(settings.Name, "the client portal"),
			Body: fmt.Sprintf("Hello %s,\n\nYour code to sign in as %s is %s. It works once, until %s UTC.\n\n"+
				"If you did not ask for it, ignore this message.\n", c.FirstName, c.Username, code, expires.UTC().Format("15:04")),
			Status: store.EmailQueued, CreatedAt: s.now().UTC(), NextAttemptAt: s.now().UTC()})
		if err != nil {
			return err
		}
	}
	return nil
}

// loginWithCode issues a token for the portal user with this address whose
// code it is; the code is spent.
func (s *Service) loginWithCode(ctx context.Context, req api.CreateTokenRequest) (api.CreatedToken, error) {
	codes, err := s.codes()
	if err != nil {
		return api.CreatedToken{}, err
	}
	users, err := codes.PortalUsersByEmail(ctx, strings.TrimSpace(req.Email))
	if err != nil {
		return api.CreatedToken{}, err
	}
	code := strings.TrimSpace(req.Code)
	for _, c := range users {
		ok, err := codes.UseLoginCode(ctx, c.ID, codeHash(c.ID, code), s.now())
		if err != nil {
			return api.CreatedToken{}, err
		}
		if ok && c.PortalEnabled && c.Active {
			return s.issue(ctx, c.ID, orDefault(req.Name, "portalctl"), s.tokenTTL)
		}
	}
	return api.CreatedToken{}, errBadCode
}

// newCode is 8 random digits.
func newCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(100_000_000))
	if err != nil {
		return "", errors.New("no randomness for a sign-in code")
	}
	return fmt.Sprintf("%08d", n.Int64()), nil
}

// codeHash is how a code is kept: bound to its contact.
func codeHash(contactID int64, code string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(contactID, 10) + ":" + code))
	return hex.EncodeToString(sum[:])
}
