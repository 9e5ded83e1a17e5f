package httpapi

import (
	"regexp"
	"strings"
	"testing"
)

// TestLimitKeyBoundsWhatIsStored: a key is stored per attempt, so a
// username from the request longer than 64 bytes is stored as its hash.
func TestLimitKeyBoundsWhatIsStored(t *testing.T) {
	long := strings.Repeat("x", 1<<20)
	hashed := regexp.MustCompile(`^user:sha256:[0-9a-f]{64}$`)
	tests := []struct {
		kind, value string
		want        *regexp.Regexp
	}{
		{"user", "ben", regexp.MustCompile(`^user:ben$`)},
		{"ip", "2001:db8::1", regexp.MustCompile(`^ip:2001:db8::1$`)},
		{"user", strings.Repeat("a", 64), regexp.MustCompile(`^user:a{64}$`)},
		{"user", strings.Repeat("a", 65), hashed},
		{"user", long, hashed},
	}
	for _, tt := range tests {
		if got := limitKey(tt.kind, tt.value); !tt.want.MatchString(got) {
			t.Errorf("limitKey(%s, %d bytes) = %.80q, want %s", tt.kind, len(tt.value), got, tt.want)
		}
	}
	if limitKey("user", long) == limitKey("user", long+"y") {
		t.Error("different long usernames share a key")
	}
}
