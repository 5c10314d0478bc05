package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync/atomic"
)

// room is how much the heap may grow past what is live before the garbage
// collector runs, but never by more than twice nor less than a quarter of
// what is live (GOGC 200 to 25). A build of 10,000 postmortems holds about
// 250 MB: it collects half as often as by default (GOGC=100), a tenth less
// CPU time, for a peak under 1 GiB. One of 100,000 holds up to 1.3 GB: it
// peaks 0.4 GB lower than with 1 GB of room, for about the same CPU time,
// and 0.15 GB lower again than with a floor of half what is live (GOGC
// 50), for 4 CPU-s more of collecting (bench/README.md).
const room = 512 << 20

// gcPercent is the GOGC that gives a live heap of live bytes room bytes of
// headroom, within GOGC 25 to 200.
func gcPercent(live, room uint64) int {
	if live == 0 {
		return 200
	}
	return int(min(200, max(25, 100*room/live)))
}

// tuneGC sets GOGC by gcPercent, with room bytes of headroom, after most
// collections, until stop is called; it leaves a GOGC the environment sets
// alone.
func tuneGC(room uint64) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	var stopped atomic.Bool
	debug.SetGCPercent(gcPercent(0, room))
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
			debug.SetGCPercent(gcPercent(m.HeapAlloc, room))
			watch()
		}, struct{}{})
	}
	watch()
	return func() { stopped.Store(true) }
}
