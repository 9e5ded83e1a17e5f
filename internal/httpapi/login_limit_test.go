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
// (two instances) share the login limit, 5 attempts a minute per username
// and per IP. Attempts alternate between the handlers and come from the IPs
// given.
func testLoginLimitIsSharedPerUsernameAndPerIP(t *testing.T, backend string) {
	svc, _ := portaltest.NewServiceOn(t, backend, portal.Options{})
	instances := []http.Handler{httpapi.New(svc, httpapi.Options{}), httpapi.New(svc, httpapi.Options{})}
	n := 0
	login := func(ip, username string) (int, string) {
		req := httptest.NewRequest("POST", "/v1/auth/tokens", strings.NewReader(fmt.Sprintf(`{"username":%q,"password":"wrong"}`, username)))
		req.RemoteAddr = ip + ":40000"
		rec := httptest.NewRecorder()
		instances[n%2].ServeHTTP(rec, req)
		n++
		return rec.Code, rec.Header().Get("Retry-After")
	}
	// Fixture users only: an unknown username costs a full-strength bcrypt
	// (dummyHash), the fixture's passwords the cheapest.
	users := []string{"ben", "bob", "ava", "nora", "chloe", "sam"}
	tests := []struct {
		name     string
		ip, user func(i int) string // of the i-th attempt, 0 to 5
		sixth    int                // status of the 6th attempt (the first five get 401)
	}{
		{"one username from many IPs", func(i int) string { return fmt.Sprintf("10.0.1.%d", i) }, func(int) string { return "adam" }, 429},
		{"many usernames from one IP", func(int) string { return "10.0.2.1" }, func(i int) string { return users[i] }, 429},
		{"other usernames from other IPs", func(i int) string { return fmt.Sprintf("10.0.3.%d", i) }, func(i int) string { return users[i] }, 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range 5 {
				if got, _ := login(tt.ip(i), tt.user(i)); got != http.StatusUnauthorized {
					t.Fatalf("attempt %d: %d, want 401", i+1, got)
				}
			}
			got, retry := login(tt.ip(5), tt.user(5))
			if got != tt.sixth {
				t.Fatalf("6th attempt: %d, want %d", got, tt.sixth)
			}
			if secs, err := strconv.Atoi(retry); got == 429 && (err != nil || secs < 1 || secs > 60) {
				t.Errorf("Retry-After %q, want 1 to 60 seconds (the rest of the minute)", retry)
			}
		})
	}
}
