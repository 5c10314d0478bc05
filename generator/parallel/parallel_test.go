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
	var calls atomic.Int32
	err := ForContext(ctx, n, func(i int) {
		if calls.Add(1) == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// Each worker may finish the item it took when the cancel came.
	if c := calls.Load(); c >= n || c > 10+int32(runtime.GOMAXPROCS(0)) {
		t.Errorf("%d of %d items called after a cancel at the 10th", c, n)
	}
	if err := ForContext(context.Background(), 5, func(int) {}); err != nil {
		t.Errorf("a run to the end returned %v", err)
	}
}
