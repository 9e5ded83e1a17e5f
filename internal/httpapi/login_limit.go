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

// loginLimit allows at most max failed logins per key (a username, an IP)
// in a window that opens at the key's first attempt. The attempts are
// counted in the database (through portal.API), not in this process: with
// several portald instances behind a load balancer, a password guesser
// would otherwise get max attempts per instance.
type loginLimit struct {
	kind   string // the key's prefix: "ip", "user+ip", "user"
	max    int
	window time.Duration
}

// loginLimits is the login policy (docs/reliability.md, portald serve
// --help). With the default of 5 a minute:
//
//   - per username and IP: 5 failures a minute: one address guessing one
//     user's password;
//   - per IP: 20 failures a minute (4×): one address spraying passwords
//     over many usernames;
//   - per username from any address: 100 failures in 15 minutes (20× per
//     15 windows), a softer limit: more than one address can reach in that
//     time at its own limit, so no single address can lock a user out.
//
// Each attempt is counted under every key before its password is checked,
// so concurrent guesses cannot slip past a limit; a login that succeeds is
// then taken back, so only failures count.
type loginLimits struct {
	svc   portal.API
	rules []loginLimit // counted in this order; none when limiting is off
}

// newLoginLimits turns Options' rate and burst into the rules: burst
// failures per burst/rate for a username at one IP (the default, 5 every
// 12 s, is 5 a minute), and the wider rules from that.
func newLoginLimits(svc portal.API, limit rate.Limit, burst int) loginLimits {
	if limit == rate.Inf || burst < 1 {
		return loginLimits{svc: svc}
	}
	window := time.Duration(math.Min(float64(burst)/float64(limit), 365*24*3600) * float64(time.Second))
	return loginLimits{svc: svc, rules: []loginLimit{
		{kind: "ip", max: 4 * burst, window: window},
		{kind: "user+ip", max: burst, window: window},
		{kind: "user", max: 20 * burst, window: 15 * window},
	}}
}

// loginKeys are the rate-limit keys of one attempt, by rule kind.
func loginKeys(ip, username string) map[string]string {
	return map[string]string{"ip": limitKey("ip", ip), "user+ip": limitKey("user+ip", username+" "+ip), "user": limitKey("user", username)}
}

// allow counts an attempt under each rule's key, in order, until one
// refuses it; then it says how long to wait (until that key's window ends).
// counted are the keys counted, for forget.
func (l loginLimits) allow(ctx context.Context, ip, username string) (wait time.Duration, ok bool, counted []string, err error) {
	keys := loginKeys(ip, username)
	now := time.Now()
	for _, rule := range l.rules {
		key := keys[rule.kind]
		w, err := l.svc.CountLoginAttempt(ctx, key, now, rule.window)
		if err != nil {
			return 0, false, counted, err
		}
		counted = append(counted, key)
		if w.Attempts > rule.max {
			return w.Start.Add(rule.window).Sub(now), false, counted, nil
		}
	}
	return 0, true, counted, nil
}

// forget takes back the attempts of a login that succeeded. It is best
// effort: a count that stays costs the user one attempt of a window.
func (l loginLimits) forget(ctx context.Context, counted []string) {
	for _, key := range counted {
		_ = l.svc.UncountLoginAttempt(context.WithoutCancel(ctx), key)
	}
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
