package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// testEmailAllowance: a contact may send burst emails at once, then one
// more each period; contacts are independent; racing takes (as from several
// instances) are allowed exactly as many times as the allowance holds.
func testEmailAllowance(t *testing.T, st store.Stores) {
	start := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	const every, burst = time.Minute, 3
	take := func(contact int64, at time.Time) time.Duration {
		t.Helper()
		wait, err := st.Accounts.TakeEmailAllowance(ctx, contact, at, every, burst)
		if err != nil {
			t.Fatalf("take for %d: %v", contact, err)
		}
		return wait
	}
	steps := []struct {
		contact int64
		at      time.Duration // after start
		wait    time.Duration // 0: allowed
	}{
		{ben, 0, 0}, {ben, 0, 0}, {ben, time.Second, 0}, // the burst
		{ben, 2 * time.Second, 58 * time.Second}, // spent: the first refill is a minute after the first email
		{ava, 2 * time.Second, 0},                // another contact's allowance is untouched
		{ben, time.Minute - time.Millisecond, time.Millisecond},
		{ben, time.Minute, 0},           // refilled by one
		{ben, time.Minute, time.Minute}, // and spent again
		{ben, 10 * time.Minute, 0},      // a long pause refills the bucket, up to burst
		{ben, 10 * time.Minute, 0}, {ben, 10 * time.Minute, 0},
		{ben, 10 * time.Minute, time.Minute},
	}
	for i, s := range steps {
		if got := take(s.contact, start.Add(s.at)); got != s.wait {
			t.Errorf("step %d (contact %d at +%v): wait %v, want %v", i, s.contact, s.at, got, s.wait)
		}
	}

	const racers = 16
	at := start.Add(time.Hour)
	var wg sync.WaitGroup
	var mu sync.Mutex
	allowed := 0
	for range racers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wait, err := st.Accounts.TakeEmailAllowance(ctx, sam, at, every, burst)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if wait == 0 {
				allowed++
			}
		}()
	}
	wg.Wait()
	if allowed != burst {
		t.Errorf("%d racing emails: %d allowed, want exactly %d", racers, allowed, burst)
	}
}
