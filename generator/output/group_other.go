//go:build !unix

package output

import "os"

// groupOf returns the group that owns the file st describes; here none.
func groupOf(st os.FileInfo) (int, bool) { return 0, false }
