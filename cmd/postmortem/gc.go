package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
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

// slack is how far past the heap's goal (what is live and its headroom)
// the process's memory may go before the runtime returns freed memory to
// the system at once, and collects sooner. Without it, the preview of
// 100,000 postmortems held about 0.5 GB more than its heap's goal, freed
// pages and room in spans, and peaked 0.3 GB higher, for the same times
// (bench/README.md).
const slack = room / 2

// memoryLimit is the soft memory limit (see debug.SetMemoryLimit) for a
// live heap of live bytes collected at GOGC percent: the heap's goal, and
// slack.
func memoryLimit(live uint64, percent int) int64 {
	return int64(live + live*uint64(percent)/100 + slack)
}

// tuneGC sets GOGC by gcPercent, with room bytes of headroom, and the
// soft memory limit by memoryLimit, after most collections, until stop is
// called; it leaves a GOGC the environment sets alone, and a GOMEMLIMIT.
func tuneGC(room uint64) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	limit := os.Getenv("GOMEMLIMIT") == ""
	var mu sync.Mutex // held while a cleanup sets them, so that none does once stopped
	stopped := false
	debug.SetGCPercent(gcPercent(0, room))
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var watch func()
	watch = func() {
		// A cleanup runs when the collector sweeps its object, soon after
		// the collection that found it unreachable, and arms the next. It
		// reads what that collection marked live: not the heap's size
		// then (MemStats.HeapAlloc), which holds what is not yet swept
		// besides, up to a fifth more at 100,000 postmortems, and raised
		// the memory limit by as much (bench/README.md).
		runtime.AddCleanup(&struct{ _ *byte }{}, func(struct{}) {
			mu.Lock()
			defer mu.Unlock()
			if stopped {
				return
			}
			metrics.Read(sample)
			live := sample[0].Value.Uint64()
			p := gcPercent(live, room)
			debug.SetGCPercent(p)
			if limit {
				debug.SetMemoryLimit(memoryLimit(live, p))
			}
			watch()
		}, struct{}{})
	}
	watch()
	return func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		if limit {
			debug.SetMemoryLimit(math.MaxInt64)
		}
	}
}
