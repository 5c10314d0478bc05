// Package parallel holds the worker pool the build stages share: every
// stage splits its items over all cores the same way.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// For calls f(i) for every i from 0 to n-1, on all cores, and returns when
// all calls have.
func For(n int, f func(i int)) {
	Workers(n, func() func(int) { return f })
}

// Workers is For with state private to each goroutine: it calls newWorker
// once per goroutine, and that goroutine's items go to the function it
// returns. Each goroutine takes the next item not taken when it is free,
// so that a few long items do not leave the other cores idle.
func Workers(n int, newWorker func() func(i int)) {
	_ = WorkersContext(context.Background(), n, newWorker)
}

// ForContext is For that stops handing out items once ctx is done: it
// returns ctx's error then, when some items may not have been called.
func ForContext(ctx context.Context, n int, f func(i int)) error {
	return WorkersContext(ctx, n, func() func(int) { return f })
}

// WorkersContext is Workers that stops handing out items once ctx is
// done: it returns, as soon as the calls under way have, ctx's error, and
// nil when every item was called.
func WorkersContext(ctx context.Context, n int, newWorker func() func(i int)) error {
	workers := min(runtime.GOMAXPROCS(0), n)
	done := ctx.Done()
	var wg sync.WaitGroup
	var next atomic.Int64
	var stopped atomic.Bool
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := newWorker()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				if done != nil {
					select {
					case <-done:
						stopped.Store(true)
						return
					default:
					}
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if stopped.Load() {
		return ctx.Err()
	}
	return nil
}
