package root_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/portalctl/portalctl/internal/cli"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/httpmock"
	"github.com/portalctl/portalctl/internal/cli/keyring"
)

// A signal in f.InterruptSignals that arrives while a command runs cancels
// the command's context: the request stops and the run ends with exit 130
// and one "interrupted" line, as Ctrl-C does in production. (SIGUSR1 plays
// Ctrl-C so the test process's own SIGINT is left alone.)
func TestSignalInterruptsRunningCommand(t *testing.T) {
	keyring.MockInit()
	reg := &httpmock.Registry{}
	reg.Register(httpmock.REST("GET", "/v1/me"), func(req *http.Request) (*http.Response, error) {
		if err := syscall.Kill(os.Getpid(), syscall.SIGUSR1); err != nil {
			return nil, err
		}
		select {
		case <-req.Context().Done():
			return nil, req.Context().Err()
		case <-time.After(10 * time.Second):
			return nil, errors.New("the signal did not cancel the request")
		}
	})
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "PORTALCTL_TOKEN": "t", "PORTALCTL_HOST": httpmock.TestHost}
	f, _, out, errOut := factory.NewTest(env, reg)
	f.InterruptSignals = []os.Signal{syscall.SIGUSR1}

	code := cli.Run(context.Background(), f, []string{"api", "me"})

	assert.Equal(t, 130, code)
	assert.Empty(t, out.String())
	assert.Equal(t, "error: interrupted: context canceled\n", errOut.String())
}
