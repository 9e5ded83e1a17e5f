// Package download implements `portalctl attachment download`.
package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/MakeNowJust/heredoc"
	"github.com/spf13/cobra"

	"github.com/portalctl/portalctl/internal/cli/cmdutil"
	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/iostreams"
	"github.com/portalctl/portalctl/pkg/client"
	"github.com/portalctl/portalctl/pkg/output"
)

// Options for attachment download.
type Options struct {
	IO      *iostreams.IOStreams
	Client  func() (*client.Client, error)
	ID      string
	Output  string // -O; "" = the attachment's own (sanitised) name, "-" = stdout
	Clobber bool   // replace an existing file of the attachment's own name
}

// NewCmdDownload builds the command.
func NewCmdDownload(f *factory.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Client: f.Client}
	cmd := &cobra.Command{
		Use:   "download ID [-O FILE]",
		Short: "Download an attachment",
		Long: heredoc.Doc(`
			Download an attachment into the current directory under its own name, or to
			-O FILE (- for standard output). The name the portal gives is reduced to a
			plain file name: never a path, never outside the current directory. The file
			appears only once complete, and only if its size and SHA-256 match.

			A file of the attachment's own name that already exists is left alone unless
			--clobber is given (the portal, not you, chose that name); -O FILE replaces
			FILE, as you asked.
		`),
		Example: heredoc.Doc(`
			$ portalctl attachment download 900
			$ portalctl attachment download 900 -O plan.txt
			$ portalctl attachment download 900 -O - | less
		`),
		Args: cmdutil.ExactArgs(1, "attachment download needs an attachment id (see portalctl projects attachments)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := cmdutil.IDArg(args[0], "attachment")
			if err != nil {
				return err
			}
			opts.ID = id
			if runF != nil {
				return runF(opts)
			}
			return downloadRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVarP(&opts.Output, "output", "O", "", "Write to `FILE` (- for standard output)")
	cmd.Flags().BoolVar(&opts.Clobber, "clobber", false, "Replace an existing file of the attachment's own name")
	return cmd
}

func downloadRun(ctx context.Context, opts *Options) error {
	c, err := opts.Client()
	if err != nil {
		return err
	}
	body, meta, err := c.AttachmentContent(ctx, opts.ID)
	if err != nil {
		return err
	}
	defer body.Close()
	path := opts.Output
	if path == "" {
		if path = SafeName(meta.Filename); path == "" {
			path = "attachment-" + opts.ID
		}
		if _, err := os.Lstat(path); err == nil && !opts.Clobber {
			return cmdutil.FlagErrorf("%s already exists: use --clobber to replace it, or -O FILE to save it elsewhere", path)
		}
	}
	if path == "-" {
		return copyVerified(opts.IO.Out, body, meta)
	}
	f, err := output.AtomicFile(path)
	if err != nil {
		return err
	}
	defer f.Abort()
	if err := copyVerified(f, body, meta); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := f.Commit(); err != nil {
		return err
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "✓ Saved %s\n", path)
	}
	return nil
}

// copyVerified copies the content and checks its length and SHA-256
// against what the server announced.
func copyVerified(w io.Writer, r io.Reader, meta client.AttachmentMeta) error {
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(w, h), r)
	if err != nil {
		return fmt.Errorf("download interrupted after %d bytes: %w", n, err)
	}
	if meta.ContentLength >= 0 && n != meta.ContentLength {
		return fmt.Errorf("download incomplete: got %d of %d bytes", n, meta.ContentLength)
	}
	want := strings.TrimSuffix(strings.TrimPrefix(strings.Trim(meta.ETag, `"`), "sha256:"), `"`)
	if got := hex.EncodeToString(h.Sum(nil)); want != "" && !strings.EqualFold(want, got) {
		return fmt.Errorf("download corrupted: SHA-256 %s, expected %s", got, want)
	}
	return nil
}

// SafeName reduces a server-supplied file name to a plain name in the
// current directory: no directories, no "..", no control characters, no
// leading dot (hidden files such as .bashrc).
func SafeName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = filepath.Base(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '/' || r == 0 {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if name == "" || name == "/" {
		return ""
	}
	return shorten(name, maxNameBytes)
}

// maxNameBytes keeps a saved name, with the ".NAME.tmp-NNNNNNNNNN" of its
// temporary file, under the 255 bytes most file systems allow.
const maxNameBytes = 200

// shorten cuts an over-long name to max bytes on a character boundary,
// keeping a short extension so the file still opens with the right program.
func shorten(name string, max int) string {
	if len(name) <= max {
		return name
	}
	ext := filepath.Ext(name)
	if len(ext) > 20 {
		ext = ""
	}
	stem := name[:len(name)-len(ext)]
	for len(stem)+len(ext) > max {
		_, size := utf8.DecodeLastRuneInString(stem)
		stem = stem[:len(stem)-size]
	}
	return stem + ext
}
