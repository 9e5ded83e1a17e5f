package keyring

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSystemWithMock(t *testing.T) {
	MockInit()
	k := System()
	_, err := k.Get("portalctl:h", "u")
	assert.ErrorIs(t, err, ErrNotFound)
	require.NoError(t, k.Set("portalctl:h", "u", "tok"))
	got, err := k.Get("portalctl:h", "u")
	require.NoError(t, err)
	assert.Equal(t, "tok", got)
	require.NoError(t, k.Delete("portalctl:h", "u"))
	assert.ErrorIs(t, k.Delete("portalctl:h", "u"), ErrNotFound)
}

func TestSystemUnavailable(t *testing.T) {
	MockInitWithError(errors.New("dbus: no session bus"))
	t.Cleanup(MockInit)
	_, err := System().Get("portalctl:h", "u")
	var unavailable *UnavailableError
	require.ErrorAs(t, err, &unavailable)
	assert.Contains(t, err.Error(), "dbus: no session bus")
	assert.NotErrorIs(t, err, ErrNotFound)
}

func TestTimeout(t *testing.T) {
	old := Timeout
	Timeout = 10 * time.Millisecond
	t.Cleanup(func() { Timeout = old })
	block := make(chan struct{})
	defer close(block)
	err := withTimeout(func() error { <-block; return nil }) // a locked keyring waiting for a password
	var unavailable *UnavailableError
	require.ErrorAs(t, err, &unavailable)
	assert.Contains(t, err.Error(), "no answer within 10ms")
}
