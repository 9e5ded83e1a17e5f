package version

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

func TestVersion(t *testing.T) {
	tests := []struct{ version, want string }{
		{"1.4.0", "portalctl 1.4.0 (commit none, built unknown)\n"},
		{"dev", "portalctl dev (development build, commit none, built unknown)\n"},
		{"", "portalctl dev (development build, commit none, built unknown)\n"},
	}
	for _, tt := range tests {
		ios, _, out, _ := iostreams.Test()
		cmd := NewCmdVersion(&factory.Factory{IOStreams: ios, Version: tt.version})
		cmd.SetArgs(nil)
		require.NoError(t, cmd.Execute())
		assert.Equal(t, tt.want, out.String())
	}
}
