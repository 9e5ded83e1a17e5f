package portald

import (
	"context"
	"log/slog"

	"github.com/portalctl/portalctl/internal/store"
	autotaskstore "github.com/portalctl/portalctl/internal/store/autotask"
)

// portalData is the store the rules read: the --db database itself, or the
// Autotask bridge, which keeps logins, tokens, the outbox and the portal
// settings in that database (Autotask has no place for them).
func (o serveOptions) portalData(ctx context.Context, local database, logger *slog.Logger) (store.Store, error) {
	if o.store != "autotask" {
		return local, nil
	}
	settings, err := local.Portal(ctx)
	if err != nil {
		return nil, err
	}
	client, err := o.autotask.client(ctx, logger)
	if err != nil {
		return nil, err
	}
	logger.Info("serving Autotask", "api", client.BaseURL())
	return autotaskstore.Open(ctx, autotaskstore.Options{Client: client, Local: local, Portal: settings, NotifyResources: true})
}
