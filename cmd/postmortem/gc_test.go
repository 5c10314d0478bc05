package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestTuneGC wants the collector to let a small heap grow to three times
// what is live, a larger one by its headroom, and a large one by a quarter
// of what is live; and again three times once the heap is small again.
// The soft memory limit follows, at the heap's goal and slack, unless
// GOMEMLIMIT is set.
func TestTuneGC(t *testing.T) {
	if got, want := memoryLimit(2<<30, 25), int64(2<<30+512<<20+256<<20); got != want {
		t.Errorf("memoryLimit(2 GiB, 25) = %d MiB, want %d", got>>20, want>>20)
	}
	for _, c := range []struct {
		live uint64
		want int
	}{{0, 200}, {100 << 20, 200}, {256 << 20, 200}, {384 << 20, 133}, {512 << 20, 100}, {768 << 20, 66}, {1 << 30, 50}, {1536 << 20, 33}, {2 << 30, 25}, {8 << 30, 25}} {
		if got := gcPercent(c.live, room); got != c.want {
			t.Errorf("gcPercent(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	const room = 8 << 20
	stop := tuneGC(room)
	defer debug.SetGCPercent(100)
	defer stop()
	percent := func() int {
		p := debug.SetGCPercent(-1)
		debug.SetGCPercent(p)
		return p
	}
	runtime.GC()
	if p := waitPercent(percent, 200); p != 200 {
		t.Fatalf("GOGC with a small heap: %d, want 200", p)
	}
	live := make([]byte, 4*room+(4<<20))
	for i := range live {
		live[i] = 1
	}
	runtime.GC()
	if p := waitPercent(percent, 25); p != 25 {
		t.Fatalf("GOGC with %d MB live: %d, want 25", len(live)>>20, p)
	}
	// The test's own heap is live too: a few MB more.
	if got, least := debug.SetMemoryLimit(-1), memoryLimit(uint64(len(live)), 25); got < least || got > least+32<<20 {
		t.Errorf("the memory limit with %d MB live: %d MiB, want %d MiB or a little more", len(live)>>20, got>>20, least>>20)
	}
	runtime.KeepAlive(live)
	live = nil
	runtime.GC()
	runtime.GC() // what the first one's cleanup reads may not be swept yet
	if p := waitPercent(percent, 200); p != 200 {
		t.Errorf("GOGC once the heap shrank again: %d, want 200", p)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("the memory limit once stopped: %d MiB, want none", got>>20)
	}

	// A limit the environment sets is left alone.
	t.Setenv("GOMEMLIMIT", "1GiB")
	stop = tuneGC(room)
	defer stop()
	runtime.GC()
	waitPercent(percent, 200)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set, tuneGC set the limit to %d MiB", got>>20)
	}
}

// waitPercent returns the GOGC percent gives once it is want, or after a
// second: cleanups run after a collection, not during it.
func waitPercent(percent func() int, want int) int {
	deadline := time.Now().Add(time.Second)
	for percent() != want && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(5 * time.Millisecond)
	}
	return percent()
}
