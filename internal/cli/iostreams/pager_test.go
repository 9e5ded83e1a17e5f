package iostreams

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPagerWanted(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{nil, "less -FRX"},
		{map[string]string{"PAGER": "more"}, "more"},
		{map[string]string{"PAGER": "more", "PORTALCTL_PAGER": "cat"}, "cat"},
		{map[string]string{"PORTALCTL_PAGER": "  "}, "less -FRX"},
	} {
		assert.Equal(t, tc.want, pagerWanted(func(k string) string { return tc.env[k] }), tc.env)
	}
}

// On a terminal, output goes through the pager (a command line), which
// has read all of it once StopPager returns; stdout is restored.
func TestPagerGetsTheOutput(t *testing.T) {
	got := filepath.Join(t.TempDir(), "paged")
	ios, _, out, _ := Test()
	ios.SetStdoutTTY(true)
	ios.SetPager(fmt.Sprintf("sh -c 'cat > %s'", got))
	ios.StartPager()
	fmt.Fprintln(ios.Out, "row 1")
	fmt.Fprintln(ios.Out, "row 2")
	ios.StopPager()
	b, err := os.ReadFile(got)
	require.NoError(t, err)
	assert.Equal(t, "row 1\nrow 2\n", string(b))
	assert.Empty(t, out.String())
	assert.Same(t, out, ios.Out)
}

// No pager when piped, with PORTALCTL_PAGER=cat, or when it cannot start.
func TestNoPager(t *testing.T) {
	for _, tc := range []struct {
		name, pager string
		tty         bool
	}{{"piped", "less -FRX", false}, {"cat", "cat", true}, {"missing", "/nonexistent/pager", true}} {
		t.Run(tc.name, func(t *testing.T) {
			ios, _, out, _ := Test()
			ios.SetStdoutTTY(tc.tty)
			ios.SetPager(tc.pager)
			ios.StartPager()
			fmt.Fprint(ios.Out, "direct")
			ios.StopPager()
			assert.Equal(t, "direct", out.String())
		})
	}
}
