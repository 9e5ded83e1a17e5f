package portal

import (
	"context"
	"time"

	"github.com/portalctl/portalctl/internal/store"
	"github.com/portalctl/portalctl/pkg/api"
)

// CopyStatus says how old the data served is when the store is a copy of
// another system (store.Copy); IsCopy is false otherwise.
type CopyStatus struct {
	IsCopy   bool
	Complete bool      // the initial sync has completed
	AsOf     time.Time // the copy holds every change made before then
	Age      time.Duration
}

// Copy reports the store's copy status.
func (s *Service) Copy(ctx context.Context) (CopyStatus, error) {
	c, ok := s.st.(store.Copy)
	if !ok {
		return CopyStatus{}, nil
	}
	asOf, complete, err := c.DataAsOf(ctx)
	if err != nil {
		return CopyStatus{}, err
	}
	st := CopyStatus{IsCopy: true, Complete: complete, AsOf: asOf}
	if complete {
		st.Age = max(s.now().Sub(asOf), 0)
	}
	return st, nil
}

// copyReady refuses readiness while a copy is still being built: serving
// it half-filled would show partial projects and billed hours.
func (s *Service) copyReady(ctx context.Context) error {
	c, err := s.Copy(ctx)
	if err == nil && c.IsCopy && !c.Complete {
		return api.Errorf(api.CodeUnavailable, "the copy of Autotask is still being built (initial sync); try again in a few minutes")
	}
	return nil
}
