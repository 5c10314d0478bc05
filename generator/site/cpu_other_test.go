//go:build !unix

package site

import "time"

// cpuTime returns 0: the CPU time is read only on Unix.
func cpuTime() time.Duration { return 0 }
