package store

import "context"

// IdentityGenerations is implemented by stores that number the state of
// their identities (sqlite, postgres): the generation changes, in the same
// transaction, with every change to what IdentityByTokenHash returns for
// any token (not with a token's use). An identity read after generation g
// was read is therefore current for as long as the generation is still g,
// whichever process makes the change; the rules layer caches identities on
// that condition.
type IdentityGenerations interface {
	IdentityGeneration(ctx context.Context) (int64, error)
}
