package sqlstore

import "context"

// IdentityGeneration returns the identity generation, which the triggers of
// migration 0070 change with every token, contact, organization and
// security level change (store.Accounts).
func (s *Store) IdentityGeneration(ctx context.Context) (int64, error) {
	var n int64
	err := s.r.QueryRow(ctx, `SELECT n FROM identity_generation WHERE id = 1`).Scan(&n)
	return n, err
}
