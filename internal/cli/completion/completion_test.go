package completion

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

func TestCompletion(t *testing.T) {
	tests := []struct {
		args     []string
		wantOut  string
		wantExit int
	}{
		{[]string{"completion", "bash"}, "# bash completion V2 for portalctl", 0},
		{[]string{"completion", "zsh"}, "#compdef portalctl", 0},
		{[]string{"completion", "fish"}, "# fish completion for portalctl", 0},
		{[]string{"completion", "powershell"}, "# powershell completion for portalctl", 0},
		{[]string{"completion", "tcsh"}, "", cmdutil.ExitUsage},
		{[]string{"completion"}, "", cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		ios, _, out, _ := iostreams.Test()
		root := &cobra.Command{Use: "portalctl", SilenceUsage: true, SilenceErrors: true}
		root.AddCommand(NewCmdCompletion(&factory.Factory{IOStreams: ios}))
		root.SetArgs(tt.args)
		_, err := root.ExecuteC()
		assert.Equal(t, tt.wantExit, cmdutil.ExitCode(err), tt.args)
		assert.Contains(t, out.String(), tt.wantOut)
	}
}
