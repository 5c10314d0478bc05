package parallel

import (
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
