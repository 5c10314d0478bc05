package parallel

import (
	"context"
	"errors"
	"runtime"
	"sync/atomic"
	"testing"
)

func TestForCallsEachOnce(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1000} {
		calls := make([]atomic.Int32, n)
		var workers atomic.Int32
		Workers(n, func() func(int) {
			workers.Add(1)
			return func(i int) { calls[i].Add(1) }
		})
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Fatalf("n=%d: item %d called %d times", n, i, c)
			}
		}
		if n == 0 && workers.Load() != 0 {
			t.Errorf("no items, yet %d workers", workers.Load())
		}
	}
}

func TestWorkersContextStopsWhenCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	const n = 100000
	var calls, late atomic.Int32
	var canceled atomic.Bool
	err := ForContext(ctx, n, func(i int) {
		if canceled.Load() {
			late.Add(1)
		}
		if calls.Add(1) == 10 {
			cancel()
			canceled.Store(true)
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// Once cancel has returned, a worker may finish at most the item it
	// took before it looked: other workers may run on while the one that
	// cancels is between the 10th item and the cancel, on a loaded machine.
	if c, l := calls.Load(), late.Load(); c >= n || l > int32(runtime.GOMAXPROCS(0)) {
		t.Errorf("%d of %d items called, %d of them begun after the cancel had returned", c, n, l)
	}
	if err := ForContext(context.Background(), 5, func(int) {}); err != nil {
		t.Errorf("a run to the end returned %v", err)
	}
}
