package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/portalctl/portalctl/internal/httpapi"
	"github.com/portalctl/portalctl/internal/portal"
	"github.com/portalctl/portalctl/internal/portal/portaltest"
)

func TestLoginLimitIsSharedPerUsernameAndPerIP(t *testing.T) {
	portaltest.EachBackend(t, testLoginLimitIsSharedPerUsernameAndPerIP)
}

// testLoginLimitIsSharedPerUsernameAndPerIP: two API handlers on one store
// (two instances) share the login limits: 5 failures a minute per username
// at one IP, 20 per IP, 100 in 15 minutes per username from anywhere;
// successful logins do not count. Attempts alternate between the handlers
// and come from the IPs given.
func testLoginLimitIsSharedPerUsernameAndPerIP(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	instances := []http.Handler{httpapi.New(svc, httpapi.Options{}), httpapi.New(svc, httpapi.Options{})}
	n := 0
	login := func(ip, username, password string) (int, string) {
		req := httptest.NewRequest("POST", "/v1/auth/tokens", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, username, password)))
		req.RemoteAddr = ip + ":40000"
		rec := httptest.NewRecorder()
		instances[n%2].ServeHTTP(rec, req)
		n++
		return rec.Code, rec.Header().Get("Retry-After")
	}
	fail := func(t *testing.T, times int, ip func(i int) string, user func(i int) string) {
		t.Helper()
		for i := range times {
			if got, _ := login(ip(i), user(i), "wrong"); got != http.StatusUnauthorized {
				t.Fatalf("failure %d: %d, want 401", i+1, got)
			}
		}
	}
	want := func(t *testing.T, what string, got int, retry string, status int) {
		t.Helper()
		if got != status {
			t.Fatalf("%s: %d, want %d", what, got, status)
		}
		if secs, err := strconv.Atoi(retry); got == 429 && (err != nil || secs < 1 || secs > 15*60) {
			t.Errorf("%s: Retry-After %q, want the rest of the window", what, retry)
		}
	}
	one := func(s string) func(int) string { return func(int) string { return s } }
	// Fixture users only: an unknown username costs a full-strength bcrypt
	// (dummyHash), the fixture's passwords the cheapest.
	users := []string{"ben", "bob", "ava", "nora", "sam"}

	t.Run("one username at one IP", func(t *testing.T) {
		fail(t, 5, one("10.0.1.1"), one("adam"))
		got, retry := login("10.0.1.1", "adam", "wrong")
		want(t, "6th failure", got, retry, 429)
		got, retry = login("10.0.1.1", "adam", portaltest.Password)
		want(t, "the right password from that IP", got, retry, 429)
		got, retry = login("10.0.1.2", "adam", portaltest.Password)
		want(t, "the right password from another IP", got, retry, 201)
	})
	t.Run("many usernames from one IP", func(t *testing.T) {
		fail(t, 20, one("10.0.2.1"), func(i int) string { return users[i%len(users)] })
		got, retry := login("10.0.2.1", "adam", portaltest.Password)
		want(t, "21st attempt", got, retry, 429)
		got, retry = login("10.0.2.2", "adam", portaltest.Password)
		want(t, "another IP", got, retry, 201)
	})
	t.Run("one username from many IPs", func(t *testing.T) {
		fail(t, 100, func(i int) string { return fmt.Sprintf("10.0.3.%d", i/4) }, one("chloe"))
		got, retry := login("10.0.4.1", "chloe", portaltest.Password)
		want(t, "101st attempt, from a new IP", got, retry, 429)
		got, retry = login("10.0.4.1", "sam", portaltest.Password)
		want(t, "another user from that IP", got, retry, 201)
	})
	t.Run("successful logins are not counted", func(t *testing.T) {
		for i := range 25 {
			if got, _ := login("10.0.5.1", "ben", portaltest.Password); got != 201 {
				t.Fatalf("login %d: %d, want 201", i+1, got)
			}
		}
		fail(t, 5, one("10.0.5.1"), one("ben"))
		got, retry := login("10.0.5.1", "ben", "wrong")
		want(t, "6th failure after 25 logins", got, retry, 429)
	})
}
