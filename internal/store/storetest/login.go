package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// testLoginAttempts: attempts count per key within a window that opens at
// the key's first attempt; the window restarts once it has ended; racing
// callers each get their own count.
func testLoginAttempts(t *testing.T, st store.Store) {
	first := time.Date(2026, 2, 15, 12, 0, 0, 0, time.UTC)
	const window = time.Minute
	count := func(key string, at time.Time) store.LoginWindow {
		t.Helper()
		w, err := st.CountLoginAttempt(ctx, key, at, window)
		if err != nil {
			t.Fatalf("count %s: %v", key, err)
		}
		return w
	}
	steps := []struct {
		key      string
		at       time.Time
		attempts int
		start    time.Time
	}{
		{"user:ben", first, 1, first},
		{"user:ben", first.Add(time.Second), 2, first},
		{"ip:127.0.0.1", first.Add(time.Second), 1, first.Add(time.Second)}, // keys are independent
		{"user:ben", first.Add(window - time.Millisecond), 3, first},        // last moment of the window
		{"user:ben", first.Add(window), 1, first.Add(window)},               // a new window
		{"user:ben", first.Add(window + time.Second), 2, first.Add(window)},
		{"ip:127.0.0.1", first.Add(window + time.Second), 1, first.Add(window + time.Second)}, // its window ended too
	}
	for i, s := range steps {
		if got := count(s.key, s.at); got.Attempts != s.attempts || !got.Start.Equal(s.start) {
			t.Errorf("step %d (%s at +%v): %d attempts since +%v, want %d since +%v", i, s.key, s.at.Sub(first),
				got.Attempts, got.Start.Sub(first), s.attempts, s.start.Sub(first))
		}
	}

	// Keys with windows of other lengths live side by side: counting a
	// short window's key does not end a longer one's.
	long := first.Add(2 * time.Hour)
	if w, err := st.CountLoginAttempt(ctx, "user:long", long, 15*window); err != nil || w.Attempts != 1 {
		t.Fatalf("long window: %+v %v", w, err)
	}
	count("ip:10.0.0.9", long.Add(2*window)) // prunes the short windows that ended
	if w, err := st.CountLoginAttempt(ctx, "user:long", long.Add(3*window), 15*window); err != nil || w.Attempts != 2 || !w.Start.Equal(long) {
		t.Errorf("a 15-minute window after a 1-minute key was counted: %+v %v, want the 2nd attempt since +2h", w, err)
	}
	// A login that succeeded is taken back; taking back more than was
	// counted stays at zero.
	if err := st.UncountLoginAttempt(ctx, "user:long"); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := st.UncountLoginAttempt(ctx, "user:long"); err != nil {
			t.Fatal(err)
		}
	}
	if w, _ := st.CountLoginAttempt(ctx, "user:long", long.Add(4*window), 15*window); w.Attempts != 1 {
		t.Errorf("after taking every attempt back: %d attempts, want 1", w.Attempts)
	}

	// Racing attempts on one key (as from several instances) are each
	// counted once: the counts handed out are exactly 1..n.
	const n = 24
	at := first.Add(time.Hour)
	counts := make([]int, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, err := st.CountLoginAttempt(ctx, "user:race", at, window)
			errs <- err
			counts[i] = w.Attempts
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent count: %v", err)
		}
	}
	slices.Sort(counts)
	for i, c := range counts {
		if c != i+1 {
			t.Fatalf("concurrent attempts were counted %v, want 1..%d each once", counts, n)
		}
	}
}
