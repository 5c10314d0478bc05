//go:build unix

package output

import (
	"os"
	"syscall"
)

// groupOf returns the group that owns the file st describes.
func groupOf(st os.FileInfo) (int, bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int(sys.Gid), true
}
