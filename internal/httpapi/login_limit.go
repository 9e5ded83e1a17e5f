package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"time"

	"github.com/portalctl/portalctl/internal/portal"
	"golang.org/x/time/rate"
)

// loginLimit allows at most max login attempts per key (a username, an IP)
// in a window that opens at the key's first attempt. The attempts are
// counted in the database (through portal.API), not in this process: with
// several portald instances behind a load balancer, a password guesser
// would otherwise get max attempts per instance.
type loginLimit struct {
	svc    portal.API
	max    int
	window time.Duration // 0: no limit
}

// newLoginLimit turns Options' rate and burst into a window: burst attempts
// per burst/rate (the default, 5 every 12 s, is 5 a minute).
func newLoginLimit(svc portal.API, limit rate.Limit, burst int) loginLimit {
	if limit == rate.Inf || burst < 1 {
		return loginLimit{svc: svc}
	}
	secs := float64(burst) / float64(limit)
	return loginLimit{svc: svc, max: burst, window: time.Duration(math.Min(secs, 365*24*3600) * float64(time.Second))}
}

// allow counts an attempt under key; when refused it says how long to wait
// (until the key's window ends).
func (l loginLimit) allow(ctx context.Context, key string) (time.Duration, bool, error) {
	if l.window == 0 {
		return 0, true, nil
	}
	now := time.Now()
	w, err := l.svc.CountLoginAttempt(ctx, key, now, l.window)
	if err != nil || w.Attempts <= l.max {
		return 0, err == nil, err
	}
	return w.Start.Add(l.window).Sub(now), false, nil
}

// limitKey is kind:value, with values longer than 64 bytes replaced by their
// SHA-256: the username comes from the request, and a key is stored.
func limitKey(kind, value string) string {
	if len(value) > 64 {
		sum := sha256.Sum256([]byte(value))
		value = "sha256:" + hex.EncodeToString(sum[:])
	}
	return kind + ":" + value
}
