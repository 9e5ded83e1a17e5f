package portal_test

import (
	"context"
	"testing"

	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/testutil/portaltest"
)

// BenchmarkAuthenticate is the token check every request makes: a SHA-256
// of the token and one indexed lookup, never a password hash.
func BenchmarkAuthenticate(b *testing.B) {
	svc, _ := portaltest.NewService(b, portal.Options{})
	token := portaltest.Token(b, svc, "ava")
	ctx := context.Background()
	for b.Loop() {
		if _, err := svc.Authenticate(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}
