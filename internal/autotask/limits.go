package autotask

import (
	"context"
	"net/http"
)

// acquire waits for a free call slot of entity (Autotask allows 3
// concurrent requests per entity endpoint) and, past half the hourly budget,
// for the single serial slot. The serial slot is taken first: a goroutine
// holding an entity slot never waits for the serial one, so they cannot
// deadlock. Context cancellation ends the wait at once.
func (c *Client) acquire(ctx context.Context, entity string) (release func(), err error) {
	serialised := c.budget.overHalf(c.now())
	if serialised {
		select {
		case c.serial <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	slot := c.slot(entity)
	select {
	case slot <- struct{}{}:
	case <-ctx.Done():
		if serialised {
			<-c.serial
		}
		return nil, ctx.Err()
	}
	return func() {
		<-slot
		if serialised {
			<-c.serial
		}
	}, nil
}

func (c *Client) slot(entity string) chan struct{} {
	c.slotsMu.Lock()
	defer c.slotsMu.Unlock()
	s, ok := c.slots[entity]
	if !ok {
		s = make(chan struct{}, perEntityCalls)
		c.slots[entity] = s
	}
	return s
}

// maybeSync reads ThresholdInformation before the first call and then every
// syncEvery calls, so the local budget counts what other integrations spend
// on the same database too. Only one goroutine syncs; the others go on. A
// failed read is logged and the local count goes on alone: it must not fail
// the caller's call.
func (c *Client) maybeSync(ctx context.Context) {
	if n := c.sinceSync.Load(); n >= 0 && n < syncEvery {
		return
	}
	if !c.syncing.CompareAndSwap(false, true) {
		return
	}
	defer c.syncing.Store(false)
	if _, err := c.Threshold(ctx); err != nil {
		c.log.Warn("autotask: could not read ThresholdInformation; counting calls locally only", "error", err.Error())
	}
}

// Threshold reads GET ThresholdInformation (one call) and adopts its count
// and limit into the client's budget.
func (c *Client) Threshold(ctx context.Context) (Threshold, error) {
	c.sinceSync.Store(0)
	var t Threshold
	err := c.do(ctx, request{method: http.MethodGet, url: c.endpoint("ThresholdInformation"),
		entity: "ThresholdInformation", noSync: true}, &t)
	if err != nil {
		return Threshold{}, err
	}
	c.budget.adopt(c.now(), t)
	return t, nil
}
