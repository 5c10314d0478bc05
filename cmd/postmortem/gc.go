package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// headroom is how much the heap may grow past what is live before the
// garbage collector runs, at most twice what is live (GOGC=200) and at
// least what is live (Go's default, GOGC=100). A build of 10,000
// postmortems holds about 250 MB: it collects half as often as by
// default, a tenth less CPU time, for a peak under 1 GiB; a site ten times
// larger grows its heap as by default.
const headroom = 512 << 20

// gcPercent is the GOGC that gives a live heap of live bytes its headroom.
func gcPercent(live uint64) int {
	if live == 0 {
		return 200
	}
	return int(min(200, max(100, 100*headroom/live)))
}

// tuneGC sets GOGC by gcPercent after each collection; it leaves a GOGC
// the environment sets alone.
func tuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(gcPercent(0))
	var watch func()
	watch = func() {
		// A cleanup runs once the collector has found its object
		// unreachable: after each collection, as each arms the next.
		// The heap then is what is live and little more: the figure of
		// runtime/metrics, /gc/heap/live:bytes, was a collection late.
		runtime.AddCleanup(&struct{ _ *byte }{}, func(struct{}) {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			debug.SetGCPercent(gcPercent(m.HeapAlloc))
			watch()
		}, struct{}{})
	}
	watch()
}
