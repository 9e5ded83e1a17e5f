package autotask

import (
	"context"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// ProjectEvents: Autotask has no project calendar (see Events), so the
// calendar feed holds the project and task dates only. Everything else the
// feed needs (its tokens, the items' versions, the billed-hours summary)
// is the local database's, through Local.
func (s *Store) ProjectEvents(context.Context, store.ProjectQuery, func(api.Event) error) error {
	return store.ErrUnsupported
}
