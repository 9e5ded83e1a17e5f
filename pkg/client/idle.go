package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// errStalled is the cancel cause of a stream the server left silent.
var errStalled = errors.New("stalled")

// idleGuard bounds a streamed call, which has no overall deadline (an export
// may run long) but must not hang for ever on a silent server: the answer
// must start within the timeout (retries included, as for other calls), and
// each read of the body must return within it. Time the caller spends
// between reads (writing rows to a slow pipe) does not count.
type idleGuard struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
	d      time.Duration
}

func newIdleGuard(parent context.Context, d time.Duration) *idleGuard {
	ctx, cancel := context.WithCancelCause(parent)
	g := &idleGuard{ctx: ctx, cancel: cancel, d: d}
	g.timer = time.AfterFunc(d, func() { cancel(errStalled) })
	return g
}

func (g *idleGuard) stalled() bool { return errors.Is(context.Cause(g.ctx), errStalled) }

// release stops the guard once the call is over.
func (g *idleGuard) release() {
	g.timer.Stop()
	g.cancel(nil)
}

// body wraps a streamed response body so that each Read is bounded.
func (g *idleGuard) body(rc io.ReadCloser, what string) io.ReadCloser {
	return &idleBody{rc: rc, g: g, what: what}
}

type idleBody struct {
	rc   io.ReadCloser
	g    *idleGuard
	what string // "GET /path" for the message
}

func (b *idleBody) Read(p []byte) (int, error) {
	b.g.timer.Reset(b.g.d)
	n, err := b.rc.Read(p)
	b.g.timer.Stop()
	if err != nil && !errors.Is(err, io.EOF) && b.g.stalled() {
		err = &StalledError{What: b.what, Timeout: b.g.d}
	}
	return n, err
}

func (b *idleBody) Close() error {
	err := b.rc.Close()
	b.g.release()
	return err
}

// StalledError reports a streamed answer that stopped arriving: the server
// sent nothing for Timeout, so what was received is not the whole answer.
type StalledError struct {
	What    string // "GET /v1/end-client/billed-hours"
	Timeout time.Duration
}

func (e *StalledError) Error() string {
	return fmt.Sprintf("%s: the server sent nothing for %s; the answer is incomplete", e.What, e.Timeout)
}

// Unwrap lets callers treat it as any other timeout.
func (e *StalledError) Unwrap() error { return context.DeadlineExceeded }
