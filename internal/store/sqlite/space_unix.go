//go:build linux || darwin

package sqlite

import "syscall"

// minFree is the room the database's file system needs before a portal
// that found its disk full reports ready again.
const minFree = 1 << 20

// hasSpace tells whether dir's file system has minFree bytes available.
func hasSpace(dir string) func() bool {
	return func() bool {
		var st syscall.Statfs_t
		if err := syscall.Statfs(dir, &st); err != nil {
			return false
		}
		return st.Bavail*uint64(st.Bsize) >= minFree
	}
}
