package root

import (
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
)

// Every command documents itself: Short, Long and Example.
func TestEveryCommandHasHelp(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	root := NewCmdRoot(&factory.Factory{IOStreams: ios, Version: "dev"})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() != "help" {
			assert.NotEmpty(t, c.Short, "%s: Short", c.CommandPath())
			assert.NotEmpty(t, c.Long, "%s: Long", c.CommandPath())
			assert.NotEmpty(t, c.Example, "%s: Example", c.CommandPath())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}
