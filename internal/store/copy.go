package store

import (
	"context"
	"time"
)

// Copy is implemented by a store that serves a copy of another system,
// kept current by a sync (the Autotask copy): reads are as old as the
// copy, which every answer says.
type Copy interface {
	// DataAsOf is when the last complete sync started: the copy holds every
	// change made upstream before then. complete is false until the first
	// (initial) sync has completed.
	DataAsOf(ctx context.Context) (asOf time.Time, complete bool, err error)
}
