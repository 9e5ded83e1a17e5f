package portal

import (
	"context"
	"sync"
	"time"

	"github.com/portalctl/portalctl/internal/store"
)

// maxCachedIdentities bounds the cache: past it, it starts afresh.
const maxCachedIdentities = 4096

// identityCache keeps the identities of recently used tokens, by token
// hash (store.Accounts numbers its identity changes: IdentityGeneration).
// Every request reads the generation, a single
// row, instead of the joined identity query; an identity is served from
// memory only while the generation it was read at is still current. A
// revoked token, a disabled contact or a changed organization tree changes
// the generation in the transaction that makes the change, so the very
// next request of every process sharing the database reads it afresh.
// Expiry is checked on every request (admit), as before. The zero value
// is ready to use.
type identityCache struct {
	mu      sync.Mutex
	gen     int64 // the generation every entry was read at
	entries map[string]*store.Identity
}

// identitySource is what the cache reads of store.Accounts.
type identitySource interface {
	IdentityByTokenHash(ctx context.Context, hash string) (store.Identity, error)
	IdentityGeneration(ctx context.Context) (int64, error)
}

// identity returns the identity of the token with hash, from memory while
// the store's identity generation is unchanged.
func (c *identityCache) identity(ctx context.Context, ids identitySource, hash string, now time.Time) (store.Identity, error) {
	// The generation is read before the identity: an identity read later
	// is at least as new as the generation it is filed under.
	gen, err := ids.IdentityGeneration(ctx)
	if err != nil {
		return store.Identity{}, err
	}
	if id, ok := c.get(gen, hash, now); ok {
		return id, nil
	}
	id, err := ids.IdentityByTokenHash(ctx, hash)
	if err != nil {
		return id, err
	}
	c.put(gen, hash, id, now)
	return id, nil
}

// get returns the entry for hash if it was read at generation gen. Any
// other generation empties the cache first: its entries may be stale.
func (c *identityCache) get(gen int64, hash string, now time.Time) (store.Identity, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		clear(c.entries)
		c.gen = gen
		return store.Identity{}, false
	}
	e, ok := c.entries[hash]
	if !ok {
		return store.Identity{}, false
	}
	id := *e
	noteUse(e, now)
	return id, true
}

// noteUse: admit notes a token's use when the last one is over a minute
// old; the cached entry takes the use as noted, so the next requests do
// not note it again (the store's last_used_at is written off the request
// path).
func noteUse(e *store.Identity, now time.Time) {
	if used := e.Token.LastUsedAt; used == nil || now.Sub(*used) > time.Minute {
		e.Token.LastUsedAt = &now
	}
}

// put files an identity read after generation gen was read, unless the
// cache has moved to another generation meanwhile.
func (c *identityCache) put(gen int64, hash string, id store.Identity, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen {
		return
	}
	if c.entries == nil || len(c.entries) >= maxCachedIdentities {
		c.entries = make(map[string]*store.Identity)
	}
	noteUse(&id, now)
	c.entries[hash] = &id
}
