package nearmiss

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"recent", "recent", 0},
		{"recnt", "recent", 1},
		{"root_cause", "root_causes", 1},
		{"servcies", "services", 1}, // two neighbours swapped
		{"titel", "title", 1},
		{"ca", "abc", 3}, // no edit is undone by a later one
		{"", "abc", 3},
		{"kitten", "sitting", 3},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
		if got := Distance(c.b, c.a); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.b, c.a, got, c.want)
		}
	}
}
