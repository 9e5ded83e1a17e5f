package portal

import (
	"context"
	"sync"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// touchTimeout bounds one last_used_at write.
const touchTimeout = 15 * time.Second

// tokenTouches records when tokens were last used, off the request path:
// authenticating a read never waits for a write, nor fails with one (while
// an import holds SQLite's write lock, say). Requests note their token; one
// goroutine at a time writes what was noted, then ends when nothing is
// left. The record is best effort: a write that fails is dropped, and the
// token's next request notes it again.
type tokenTouches struct {
	st      store.Store
	mu      sync.Mutex
	pending map[int64]time.Time // by token id
	running bool
}

func newTokenTouches(st store.Store) *tokenTouches {
	return &tokenTouches{st: st, pending: map[int64]time.Time{}}
}

// note records a use of the token, to be written soon.
func (t *tokenTouches) note(tokenID int64, at time.Time) {
	t.mu.Lock()
	t.pending[tokenID] = at
	start := !t.running
	t.running = true
	t.mu.Unlock()
	if start {
		go t.write()
	}
}

// write writes what was noted until nothing is left.
func (t *tokenTouches) write() {
	for {
		t.mu.Lock()
		batch := t.pending
		if len(batch) == 0 {
			t.running = false
			t.mu.Unlock()
			return
		}
		t.pending = map[int64]time.Time{}
		t.mu.Unlock()
		for id, at := range batch {
			ctx, cancel := context.WithTimeout(context.Background(), touchTimeout)
			_ = t.st.TouchToken(ctx, id, at) // best effort, see tokenTouches
			cancel()
		}
	}
}
