package stats

import "testing"

func TestMedian(t *testing.T) {
	for _, c := range []struct {
		xs   []int
		want int
	}{
		{nil, 0},
		{[]int{7}, 7},
		{[]int{30, 10, 20}, 20},
		{[]int{40, 10, 30, 20}, 25},
		{[]int{10, 11}, 10},
	} {
		if got := Median(c.xs); got != c.want {
			t.Errorf("Median(%v) = %d, want %d", c.xs, got, c.want)
		}
	}
}
