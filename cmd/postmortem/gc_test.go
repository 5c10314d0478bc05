package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC wants the collector to let a small heap grow to three times
// what is live, and to go back to Go's default once the live heap outgrows
// smallHeap, for good.
func TestTuneGC(t *testing.T) {
	t.Setenv("GOGC", "")
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tuneGC()
	percent := func() int {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p
	}
	runtime.GC()
	if p := waitPercent(percent, 200); p != 200 {
		t.Fatalf("GOGC with a small heap: %d, want 200", p)
	}
	live := make([]byte, smallHeap+(16<<20))
	for i := range live {
		live[i] = 1
	}
	runtime.GC()
	if p := waitPercent(percent, 100); p != 100 {
		t.Fatalf("GOGC with %d MB live: %d, want 100", len(live)>>20, p)
	}
	runtime.KeepAlive(live)
	live = nil
	runtime.GC()
	runtime.GC()
	if p := waitPercent(percent, 200); p != 100 {
		t.Errorf("GOGC once the heap shrank again: %d, want 100", p)
	}
}

// waitPercent returns the GOGC percent gives once it is want, or after a
// second: cleanups run after a collection, not during it.
func waitPercent(percent func() int, want int) int {
	deadline := time.Now().Add(time.Second)
	for percent() != want && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	return percent()
}
