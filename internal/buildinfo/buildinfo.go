// Package buildinfo holds the version stamped in at link time
// (-X .../internal/buildinfo.Version=... in the Makefile and .goreleaser.yaml).
package buildinfo

import "runtime/debug"

// Set by -ldflags; the defaults mark a development build.
var (
	Version = "dev"
	Commit  = "none"
	Date    = "unknown"
)

// IsDev reports whether this binary was built without a release version.
func IsDev() bool { return Version == "dev" || Version == "" }

// FullVersion returns Version, falling back to the module version for
// `go install` builds, which carry no ldflags but do carry build info.
func FullVersion() string {
	if !IsDev() {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}
