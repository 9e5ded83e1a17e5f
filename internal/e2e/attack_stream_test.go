package e2e_test

import (
	"context"
	"testing"
	"time"
)

// TestAttackStalledStreams (issue 17, adversary finding 3): one
// billing-organization user opens 8 billed-hours NDJSON streams and reads
// none of them. They used to hold every database connection (8 SQLite
// readers, 4 in pgx's pool), so every other user's request and /readyz
// hung until the write deadline. Now a user gets 2 streams at once (429
// with Retry-After past that), streams read from their own connections,
// and the other users do not notice.
func TestAttackStalledStreams(t *testing.T) { eachBackend(t, testStalledStreams) }

func testStalledStreams(t *testing.T, backend string) {
	db := attackDB(t, backend, "--billing-items", "40000")
	chloe, ben, ava := mintToken(t, db, "chloe"), mintToken(t, db, "ben"), mintToken(t, db, "ava")
	d := startDaemon(t, db)
	mem := sampleRSS(t, d.cmd.Process.Pid)

	admitted, refused := 0, 0
	for range 8 {
		s := stallRequest(t, d.URL, chloe, "/v1/end-client/billed-hours", "Accept", "application/x-ndjson")
		switch s.status {
		case 200:
			admitted++
		case 429:
			refused++
			if s.header.Get("Retry-After") == "" {
				t.Error("a refused stream has no Retry-After")
			}
		default:
			t.Errorf("a stream got status %d, want 200 or 429", s.status)
		}
	}
	time.Sleep(500 * time.Millisecond) // the admitted streams fill every buffer on the way and stall
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Second)
	defer cancel()
	res := probe(ctx, d.URL, []string{ben, ava, chloe},
		[]string{"/v1/me", "/v1/projects", "/readyz", "/v1/projects/1/notes", "/v1/end-client/billed-hours?limit=50"})
	checkProbes(t, backend+": 8 stalled billed-hours streams", res)
	if admitted != 2 || refused != 6 {
		t.Errorf("%d streams admitted and %d refused, want 2 and 6 (two streams per user)", admitted, refused)
	}
	checkRSS(t, mem)
}
