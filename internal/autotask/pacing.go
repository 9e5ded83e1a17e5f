package autotask

import (
	"context"

	"golang.org/x/time/rate"
)

type pacingKey struct{}

// WithPacing makes every call made with ctx wait for a token of l first: a
// caller that may make many calls (portald's initial sync) spends at most
// its share of the hourly budget and leaves the rest to others.
func WithPacing(ctx context.Context, l *rate.Limiter) context.Context {
	return context.WithValue(ctx, pacingKey{}, l)
}

// pace waits for ctx's pacing token, if any.
func pace(ctx context.Context) error {
	if l, ok := ctx.Value(pacingKey{}).(*rate.Limiter); ok && l != nil {
		return l.Wait(ctx)
	}
	return nil
}
