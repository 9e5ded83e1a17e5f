package portald

import (
	"runtime/debug"
)

// Garbage collector settings for `portald serve`, unless GOGC or GOMEMLIMIT
// say otherwise. A request leaves almost nothing live (about 2 MB in all
// under load), so with Go's default (GOGC=100, a 4 MB heap goal) the
// collector ran some 50 times a second under wrk and took a tenth of the
// CPU. Letting the heap grow to five times the live data cuts that by four;
// the soft limit keeps a large live set (a big attachment, an export) from
// growing the heap five-fold: near 64 MiB the collector works harder instead.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 64 << 20
)

// tuneGC applies the serve settings that getenv (os.Getenv) leaves unset and
// reports which it applied.
func tuneGC(getenv func(string) string) (gcPercent, memoryLimit bool) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
		gcPercent = true
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
		memoryLimit = true
	}
	return gcPercent, memoryLimit
}
