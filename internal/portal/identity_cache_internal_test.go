package portal

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// generationStore resolves every hash to an identity and never changes its
// generation.
type generationStore struct{ queries int }

func (g *generationStore) IdentityByTokenHash(_ context.Context, hash string) (store.Identity, error) {
	g.queries++
	return store.Identity{Token: store.TokenRecord{Hash: hash}}, nil
}

func (g *generationStore) IdentityGeneration(context.Context) (int64, error) { return 7, nil }

// TestIdentityCacheIsBounded: however many distinct tokens come by, the
// cache holds at most maxCachedIdentities of them, and still serves a
// recently read one from memory.
func TestIdentityCacheIsBounded(t *testing.T) {
	var c identityCache
	st := &generationStore{}
	ctx, now := context.Background(), time.Now()
	for i := range 3*maxCachedIdentities + 5 {
		if _, err := c.identity(ctx, st, strconv.Itoa(i), now); err != nil {
			t.Fatal(err)
		}
		if n := len(c.entries); n > maxCachedIdentities {
			t.Fatalf("after %d tokens the cache holds %d identities, want at most %d", i+1, n, maxCachedIdentities)
		}
	}
	before := st.queries
	if _, err := c.identity(ctx, st, strconv.Itoa(3*maxCachedIdentities+4), now); err != nil {
		t.Fatal(err)
	}
	if st.queries != before {
		t.Error("the most recent token was read from the store again, want it from memory")
	}
}

// changingStore is a database whose identities change while requests run:
// each change commits a new state, numbered like the generation, in one
// step (a transaction); every identity carries the state it was read in.
type changingStore struct {
	mu    sync.Mutex
	state int64
}

func (s *changingStore) change() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state++
}

func (s *changingStore) committed() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state
}

func (s *changingStore) IdentityGeneration(context.Context) (int64, error) { return s.committed(), nil }

func (s *changingStore) IdentityByTokenHash(_ context.Context, hash string) (store.Identity, error) {
	return store.Identity{Token: store.TokenRecord{Hash: hash, ID: s.committed()}}, nil
}

// TestIdentityCacheUnderConcurrentChanges: while one goroutine keeps
// changing identities, no request is answered with an identity older than
// the last change committed before it began (run it with -race).
func TestIdentityCacheUnderConcurrentChanges(t *testing.T) {
	var c identityCache
	st := &changingStore{}
	ctx := context.Background()
	stop := make(chan struct{})
	var changes sync.WaitGroup
	changes.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				st.change()
				time.Sleep(50 * time.Microsecond)
			}
		}
	})
	var requests sync.WaitGroup
	for g := range 8 {
		requests.Go(func() {
			for i := range 2000 {
				before := st.committed()
				id, err := c.identity(ctx, st, strconv.Itoa((g+i)%4), time.Now())
				if err != nil {
					t.Error(err)
					return
				}
				if id.Token.ID < before {
					t.Errorf("a request begun after change %d was answered from state %d", before, id.Token.ID)
					return
				}
			}
		})
	}
	requests.Wait()
	close(stop)
	changes.Wait()
}
