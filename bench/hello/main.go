// Command hello is the start-up baseline for bench/: the smallest cobra
// program with a "version" subcommand, against which `portalctl version`
// is measured.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{Use: "hello"}
	root.AddCommand(&cobra.Command{Use: "version", Run: func(*cobra.Command, []string) { fmt.Println("hello 1.0") }})
	if err := root.Execute(); err != nil {
		os.Exit(1)
	}
}
