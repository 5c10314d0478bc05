package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC wants the collector to let a small heap grow to three times
// what is live, a larger one by headroom, and one past twice headroom to
// twice what is live, as Go's default does.
func TestTuneGC(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{{0, 200}, {100 << 20, 200}, {256 << 20, 200}, {384 << 20, 133}, {1 << 30, 100}, {8 << 30, 100}} {
		if got := gcPercent(c.live); got != c.want {
			t.Errorf("gcPercent(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
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
	live := make([]byte, 2*headroom+(16<<20))
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
	runtime.GC() // the figure the first one's cleanup reads may be older
	if p := waitPercent(percent, 200); p != 200 {
		t.Errorf("GOGC once the heap shrank again: %d, want 200", p)
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
