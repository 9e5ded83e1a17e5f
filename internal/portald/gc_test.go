package portald

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestTuneGCKeepsTheUsersSettings: serve sets GOGC 400 and a 64 MiB soft
// memory limit, each only when the environment does not set it.
func TestTuneGCKeepsTheUsersSettings(t *testing.T) {
	percent, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(percent); debug.SetMemoryLimit(limit) })
	tests := []struct {
		env                   map[string]string
		wantPercent           int
		wantLimit             int64
		appliedGC, appliedMem bool
	}{
		{map[string]string{}, 400, 64 << 20, true, true},
		{map[string]string{"GOGC": "50"}, 100, 64 << 20, false, true},
		{map[string]string{"GOMEMLIMIT": "1GiB"}, 400, math.MaxInt64, true, false},
		{map[string]string{"GOGC": "off", "GOMEMLIMIT": "1GiB"}, 100, math.MaxInt64, false, false},
	}
	for _, tt := range tests {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		gc, mem := tuneGC(func(k string) string { return tt.env[k] })
		gotPercent, gotLimit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
		if gc != tt.appliedGC || mem != tt.appliedMem || gotPercent != tt.wantPercent || gotLimit != tt.wantLimit {
			t.Errorf("env %v: applied %v %v, GOGC %d, limit %d; want %v %v, %d, %d",
				tt.env, gc, mem, gotPercent, gotLimit, tt.appliedGC, tt.appliedMem, tt.wantPercent, tt.wantLimit)
		}
	}
}
