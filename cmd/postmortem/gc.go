package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
)

// minRoom and maxRoom bound how much the heap may grow past what is live
// before the garbage collector runs: by what is live (Go's default,
// GOGC=100), but by at least minRoom and at most maxRoom, and never by
// more than twice nor less than half what is live (GOGC 200 to 50). A
// build of 10,000 postmortems holds about 250 MB: it collects half as
// often as by default, a tenth less CPU time, for a peak under 1 GiB. One
// of 100,000 holds up to 1.9 GB: it peaks 0.9 GB lower than by default,
// for a few more collections.
const (
	minRoom = 512 << 20
	maxRoom = 1 << 30
)

// gcPercent is the GOGC that gives a live heap of live bytes its headroom,
// between lo and hi bytes.
func gcPercent(live, lo, hi uint64) int {
	if live == 0 {
		return 200
	}
	room := min(max(live, lo), hi)
	return int(min(200, max(50, 100*room/live)))
}

// tuneGC sets GOGC by gcPercent, with lo to hi bytes of headroom, after
// most collections, until stop is called; it leaves a GOGC the environment
// sets alone.
func tuneGC(lo, hi uint64) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	var stopped atomic.Bool
	debug.SetGCPercent(gcPercent(0, lo, hi))
	var watch func()
	watch = func() {
		// A cleanup runs when the collector sweeps its object, soon after
		// the collection that found it unreachable, and arms the next. The
		// heap then holds what is live and what is not yet swept: it errs
		// toward less headroom, never more.
		runtime.AddCleanup(&struct{ _ *byte }{}, func(struct{}) {
			if stopped.Load() {
				return
			}
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			debug.SetGCPercent(gcPercent(m.HeapAlloc, lo, hi))
			watch()
		}, struct{}{})
	}
	watch()
	return func() { stopped.Store(true) }
}
