package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// smallHeap is the live heap up to which the garbage collector lets the
// heap grow to three times what is live (GOGC=200), not twice: a build of
// 10,000 postmortems holds about 250 MB, and collecting half as often saves
// it a tenth of its CPU time, for a peak under 1 GiB. Past it, the heap
// grows as Go's default lets it, so that a large site needs no more memory
// than it did.
const smallHeap = 320 << 20

// gcPercent is the GOGC that suits a live heap of live bytes.
func gcPercent(live uint64) int {
	if live < smallHeap {
		return 200
	}
	return 100
}

// tuneGC sets GOGC by gcPercent after each collection, until the heap
// first outgrows smallHeap; it leaves a GOGC the environment sets alone.
func tuneGC() {
	if os.Getenv("GOGC") != "" {
		return
	}
	debug.SetGCPercent(gcPercent(0))
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var watch func()
	watch = func() {
		// A cleanup runs once the collector has found its object
		// unreachable: after each collection, as each arms the next.
		runtime.AddCleanup(&struct{ _ *byte }{}, func(struct{}) {
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				debug.SetGCPercent(100)
				return
			}
			p := gcPercent(sample[0].Value.Uint64())
			debug.SetGCPercent(p)
			if p != 100 {
				watch()
			}
		}, struct{}{})
	}
	watch()
}
