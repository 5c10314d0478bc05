// Package nearmiss finds the word that a misspelt one was meant to be: a
// front matter key, a setting, a term, a slug.
package nearmiss

// Distance is the number of edits, in bytes, that make a into b: a byte
// added, removed or changed, or two neighbours swapped ("titel" is one
// edit from "title", as typing makes it).
func Distance(a, b string) int {
	// Three rows of the table: the one before last, the last, this one.
	older := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], older[j-2]+1)
			}
		}
		older, prev, cur = prev, cur, older
	}
	return prev[len(b)]
}
