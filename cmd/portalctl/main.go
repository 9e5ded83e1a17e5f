// Command portalctl is the Client Portal command-line client.
package main

import (
	"os"

	"github.com/portalctl/portalctl/internal/cli"
)

func main() { os.Exit(cli.Main()) }
