package portald

import (
	"io"

	"github.com/spf13/cobra"
)

// CommandTree is portald's whole command tree, not wired to any streams,
// for internal/tools/gendocs (man pages and the markdown reference).
func CommandTree() *cobra.Command {
	return newRoot(IO{In: eofReader{}, Out: io.Discard, Err: io.Discard})
}

type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }
