//go:build !linux

package output

// isMountPoint reports whether the folder dir is a mount point; here it
// cannot tell, and a build into one fails at its swap, naming the error.
func isMountPoint(dir string) bool { return false }
