//go:build unix

package output

import (
	"os"
	"syscall"
)

// ownerOf returns the owner and group of the file st describes.
func ownerOf(st os.FileInfo) (uid, gid int, ok bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(sys.Uid), int(sys.Gid), true
}
