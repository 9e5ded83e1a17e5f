// Command gendocs writes portalctl's shell completions (completions/), and
// the man pages (docs/man/) and markdown command reference (docs/cli/) of
// portalctl and portald, from their real command trees. `make completions docs` runs it; `make test` runs it into a
// temporary directory and fails when the checked-in files differ.
//
// The output is deterministic: no generation timestamps, and a fixed man
// page date, so regenerating an unchanged tree changes nothing.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/portalctl/portalctl/internal/cli/factory"
	"github.com/portalctl/portalctl/internal/cli/root"
	"github.com/portalctl/portalctl/internal/portald"
)

// manDate is the date in the man pages' header. A fixed value keeps the
// pages reproducible; bump it when the command set changes materially.
var manDate = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

func main() {
	out := flag.String("out", ".", "directory to write completions/ and docs/ under")
	flag.Parse()
	if err := generate(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}

func generate(dir string) error {
	cmd := root.NewCmdRoot(factory.New("docs"))
	cmd.DisableAutoGenTag = true
	showHelpTopics(cmd)

	comp := filepath.Join(dir, "completions")
	man := filepath.Join(dir, "docs", "man")
	md := filepath.Join(dir, "docs", "cli")
	for _, d := range []string{comp, man, md} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	scripts := map[string]func(*bytes.Buffer) error{
		"portalctl.bash": func(b *bytes.Buffer) error { return cmd.GenBashCompletionV2(b, true) },
		"portalctl.zsh":  func(b *bytes.Buffer) error { return cmd.GenZshCompletion(b) },
		"portalctl.fish": func(b *bytes.Buffer) error { return cmd.GenFishCompletion(b, true) },
		"portalctl.ps1":  func(b *bytes.Buffer) error { return cmd.GenPowerShellCompletionWithDesc(b) },
	}
	for name, gen := range scripts {
		var b bytes.Buffer
		if err := gen(&b); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(comp, name), b.Bytes(), 0o644); err != nil {
			return err
		}
	}
	header := &doc.GenManHeader{Title: "PORTALCTL", Section: "1", Date: &manDate, Source: "portalctl", Manual: "portalctl manual"}
	if err := pages(cmd, header, man, md); err != nil {
		return err
	}
	// portald's pages too: the packaged systemd unit names portald(1).
	server := portald.CommandTree()
	server.DisableAutoGenTag = true
	return pages(server, &doc.GenManHeader{Title: "PORTALD", Section: "1", Date: &manDate, Source: "portalctl", Manual: "portald manual"}, man, md)
}

// pages writes one command tree's man pages and markdown reference.
func pages(cmd *cobra.Command, header *doc.GenManHeader, man, md string) error {
	if err := doc.GenManTree(cmd, header, man); err != nil {
		return err
	}
	return doc.GenMarkdownTreeCustom(cmd, md, func(string) string { return "" }, func(name string) string {
		return strings.TrimSuffix(name, ".md") + ".md"
	})
}

// showHelpTopics makes the hidden help topics (environment, exit-codes)
// generate pages of their own: cobra/doc skips hidden commands and topics.
func showHelpTopics(cmd *cobra.Command) {
	for _, c := range cmd.Commands() {
		if c.Hidden && (c.Name() == "environment" || c.Name() == "exit-codes") {
			c.Hidden = false
			c.Use = "help-" + c.Name()
		}
	}
}
