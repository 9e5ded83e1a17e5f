// Package keyring wraps zalando/go-keyring with a timeout, because a locked
// keyring can block forever, and with errors that tell "no token stored"
// apart from "no keyring on this machine".
package keyring

import (
	"errors"
	"fmt"
	"time"

	gokeyring "github.com/zalando/go-keyring"
)

// Timeout bounds every keyring call.
var Timeout = 3 * time.Second

// ErrNotFound means the keyring works but holds no such secret.
var ErrNotFound = errors.New("secret not found in keyring")

// UnavailableError means the system keyring could not be used at all
// (no D-Bus session on a headless Linux, a locked keyring that timed out).
type UnavailableError struct{ Err error }

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the system keyring is unavailable: %v", e.Err)
}
func (e *UnavailableError) Unwrap() error { return e.Err }

// Store is what commands use; the factory provides System().
type Store interface {
	Get(service, user string) (string, error)
	Set(service, user, secret string) error
	Delete(service, user string) error
}

type system struct{}

// System returns the OS keyring.
func System() Store { return system{} }

func (system) Get(service, user string) (string, error) {
	var secret string
	err := withTimeout(func() (err error) {
		secret, err = gokeyring.Get(service, user)
		return err
	})
	return secret, err
}

func (system) Set(service, user, secret string) error {
	return withTimeout(func() error { return gokeyring.Set(service, user, secret) })
}

func (system) Delete(service, user string) error {
	return withTimeout(func() error { return gokeyring.Delete(service, user) })
}

func withTimeout(fn func() error) error {
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, gokeyring.ErrNotFound):
			return ErrNotFound
		default:
			return &UnavailableError{Err: err}
		}
	case <-time.After(Timeout):
		return &UnavailableError{Err: fmt.Errorf("no answer within %s (is it locked?)", Timeout)}
	}
}

// MockInit replaces the OS keyring with an in-memory one (tests only; global,
// so tests using it must not run in parallel).
func MockInit() { gokeyring.MockInit() }

// MockInitWithError makes every keyring call fail with err (tests only).
func MockInitWithError(err error) { gokeyring.MockInitWithError(err) }
