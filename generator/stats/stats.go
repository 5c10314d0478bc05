// Package stats holds the figures computed over many incidents, written
// once so that every page that shows one agrees with the others.
package stats

import "slices"

// Median returns the median of xs, the mean of the two middle values when
// their number is even (rounded down), and 0 when xs is empty. It sorts xs.
func Median(xs []int) int {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}
