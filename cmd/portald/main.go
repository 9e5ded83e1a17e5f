// Command portald serves the Portal API; see internal/portald.
package main

import (
	"os"

	"github.com/portalctl/portalctl/internal/portald"
)

func main() { os.Exit(portald.Main(os.Args[1:])) }
