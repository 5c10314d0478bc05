package link

import (
	"cmp"
	"math"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/parallel"
)

const (
	// RelatedCount is how many related incidents a postmortem lists.
	RelatedCount = 5
	// window is how many members of one term, nearest in time, are looked at
	// as candidates. Only common terms have more members than that, and a
	// common term weighs little: cost stays linear in the number of incidents.
	window = 200
	// shortlist is how many of the best candidates by shared terms are then
	// compared by title.
	shortlist = 40
	// neighbours is how many incidents on each side in time are candidates
	// even when they share nothing, if they are at most nearDays apart: an
	// incident months away that shares nothing is related to nothing.
	neighbours = 3
	nearDays   = 30
)

// Weights of a shared term of each taxonomy, times its IDF.
var weights = map[string]float64{"root_cause": 4, "contributing_factor": 2, "service": 1}

type posting struct {
	tax    *Taxonomy
	term   *Term
	idf    float64
	weight float64
}

type candidate struct {
	to    int
	score float64
}

// related scores, for every postmortem, the others that share root causes,
// contributing factors and services (a rare term counting more, as IDF
// weighs it), then by similar title words, then by nearness in time.
//
// With only, it computes the lists of those positions alone and takes the
// others from prev.
func related(s *Site, prev [][]Relation, only []int) [][]Relation {
	n := len(s.Postmortems)
	out := make([][]Relation, n)
	if n < 2 {
		return out
	}
	if only != nil {
		copy(out, prev)
	} else {
		only = make([]int, n)
		for i := range only {
			only[i] = i
		}
	}
	// Postings of each postmortem, and the position of each member in a term's list.
	type at struct {
		pt  *posting
		pos int
	}
	postings := make([][]at, n)
	for _, tax := range s.Taxonomies {
		w, ok := weights[tax.Key]
		if !ok {
			continue
		}
		for _, term := range tax.Terms {
			pt := &posting{tax: tax, term: term, weight: w, idf: math.Log(1 + float64(n)/float64(len(term.Members)))}
			for k, i := range term.Members {
				postings[i] = append(postings[i], at{pt, k})
			}
		}
	}
	words := make([][]string, n)
	for i, e := range s.entries {
		words[i] = e.words
	}
	parallel.Workers(len(only), func() func(int) {
		// Dense scratch per goroutine: a map per postmortem costs more.
		score := make([]float64, n)
		seen := make([]bool, n)
		var touched []int
		var cands []candidate
		reasons := map[string]*Reason{}
		touch := func(j int, by float64) {
			if !seen[j] {
				seen[j] = true
				touched = append(touched, j)
			}
			score[j] += by
		}
		return func(k int) {
			i := only[k]
			touched = touched[:0]
			for _, a := range postings[i] {
				members := a.pt.term.Members
				lo, hi := max(0, a.pos-window/2), min(len(members), a.pos+window/2+1)
				for _, j := range members[lo:hi] {
					if j != i {
						touch(j, a.pt.weight*a.pt.idf)
					}
				}
			}
			for d := 1; d <= neighbours; d++ {
				for _, j := range []int{i - d, i + d} {
					if j >= 0 && j < n && math.Abs(s.entries[i].Date.Sub(s.entries[j].Date).Hours()) <= nearDays*24 {
						touch(j, 0)
					}
				}
			}
			cands = cands[:0]
			for _, j := range touched {
				cands = append(cands, candidate{to: j, score: score[j]})
				score[j], seen[j] = 0, false
			}
			out[i] = rank(s, i, cands, words, reasons)
		}
	})
	return out
}

// rank orders the candidates of postmortem i and keeps the best. Their
// reasons are those of reasons when equal, which it adds to: a few
// thousand reasons recur across a site (at 100,000 postmortems, half a
// million copies held 41 MB while the pages were made).
func rank(s *Site, i int, cands []candidate, words [][]string, reasons map[string]*Reason) []Relation {
	byScore := func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.to, b.to))
	}
	cands = best(cands, shortlist, byScore)
	me := s.entries[i]
	for k := range cands {
		c := &cands[k]
		other := s.entries[c.to]
		c.score += jaccard(words[i], words[c.to])
		days := math.Abs(me.Date.Sub(other.Date).Hours() / 24)
		c.score += 0.5 / (1 + days/30)
	}
	cands = best(cands, RelatedCount, byScore)
	rels := make([]Relation, len(cands))
	for k, c := range cands {
		why := reason(s, me, s.entries[c.to], words[i], words[c.to])
		key := why.String()
		if same, ok := reasons[key]; ok {
			why = same
		} else {
			reasons[key] = why
		}
		rels[k] = Relation{To: c.to, Score: math.Round(c.score*1000) / 1000, Reason: why}
	}
	return rels
}

// best returns the k first of cands in the order of less, sorted, without
// sorting the rest.
func best(cands []candidate, k int, less func(a, b candidate) int) []candidate {
	if len(cands) > 4*k {
		// Keep a sorted window of k; most candidates fail the first comparison.
		top := make([]candidate, 0, k+1)
		for _, c := range cands {
			if len(top) == k && less(c, top[k-1]) >= 0 {
				continue
			}
			at, _ := slices.BinarySearchFunc(top, c, less)
			top = slices.Insert(top, at, c)
			if len(top) > k {
				top = top[:k]
			}
		}
		return top
	}
	slices.SortFunc(cands, less)
	return cands[:min(k, len(cands))]
}

// reason says in words why two postmortems are related.
func reason(s *Site, a, b *entry, wa, wb []string) *Reason {
	r := &Reason{}
	for _, tax := range s.Taxonomies {
		if _, ok := weights[tax.Key]; !ok {
			continue
		}
		if names := intersect(tax.terms(a), tax.terms(b)); len(names) > 0 {
			r.Shared = append(r.Shared, Shared{Key: tax.Key, Names: names})
		}
	}
	if len(r.Shared) > 0 {
		return r
	}
	if jaccard(wa, wb) > 0 {
		r.Similar = true
		return r
	}
	r.Days = int(math.Abs(a.Date.Sub(b.Date).Hours()/24) + 0.5)
	return r
}

// intersect returns the values two sorted lists share.
func intersect(a, b []string) []string {
	var out []string
	for _, v := range a {
		if _, ok := slices.BinarySearch(b, v); ok {
			out = append(out, v)
		}
	}
	return out
}

var stopWords = map[string]bool{"the": true, "and": true, "for": true, "with": true, "from": true, "after": true,
	"during": true, "into": true, "over": true, "its": true, "was": true, "were": true, "not": true}

// titleWords returns the distinct significant words of a title, sorted.
func titleWords(title string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
	}) {
		if len(w) > 2 && !stopWords[w] {
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard is the share of words two sorted sets have in common.
func jaccard(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	common, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch c := strings.Compare(a[i], b[j]); {
		case c == 0:
			common++
			i++
			j++
		case c < 0:
			i++
		default:
			j++
		}
	}
	return float64(common) / float64(len(a)+len(b)-common)
}
