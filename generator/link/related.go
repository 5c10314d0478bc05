package link

import (
	"cmp"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/postmortem/postmortem/generator/postmortem"
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
	// even when they share nothing.
	neighbours = 3
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
	to     int
	score  float64
	shared []*posting
}

// related scores, for every postmortem, the others that share root causes,
// contributing factors and services (a rare term counting more, as IDF
// weighs it), then by similar title words, then by nearness in time.
func related(s *Site) [][]Relation {
	n := len(s.Postmortems)
	out := make([][]Relation, n)
	if n < 2 {
		return out
	}
	// Postings of each postmortem, and the position of each member in a term's list.
	postings := make([][]*posting, n)
	pos := make([]map[*Term]int, n)
	for _, tax := range s.Taxonomies {
		w, ok := weights[tax.Key]
		if !ok {
			continue
		}
		for _, term := range tax.Terms {
			pt := &posting{tax: tax, term: term, weight: w, idf: math.Log(1 + float64(n)/float64(len(term.Members)))}
			for k, i := range term.Members {
				postings[i] = append(postings[i], pt)
				if pos[i] == nil {
					pos[i] = map[*Term]int{}
				}
				pos[i][term] = k
			}
		}
	}
	words := make([][]string, n)
	for i, p := range s.Postmortems {
		words[i] = titleWords(p.Title)
	}
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			score := make([]float64, n)
			shared := make([][]*posting, n)
			var touched []int
			for i := w; i < n; i += workers {
				touched = touched[:0]
				touch := func(j int) {
					if score[j] == 0 && shared[j] == nil {
						touched = append(touched, j)
					}
				}
				for _, pt := range postings[i] {
					members := pt.term.Members
					k := pos[i][pt.term]
					lo, hi := max(0, k-window/2), min(len(members), k+window/2+1)
					for _, j := range members[lo:hi] {
						if j == i {
							continue
						}
						touch(j)
						score[j] += pt.weight * pt.idf
						shared[j] = append(shared[j], pt)
					}
				}
				for d := 1; d <= neighbours; d++ {
					for _, j := range []int{i - d, i + d} {
						if j >= 0 && j < n {
							touch(j)
							score[j] += 1e-9 // marks it touched
						}
					}
				}
				cands := make([]candidate, len(touched))
				for k, j := range touched {
					cands[k] = candidate{to: j, score: score[j], shared: shared[j]}
					score[j], shared[j] = 0, nil
				}
				out[i] = rank(s, i, cands, words)
			}
		}()
	}
	wg.Wait()
	return out
}

// rank orders the candidates of postmortem i and keeps the best.
func rank(s *Site, i int, cands []candidate, words [][]string) []Relation {
	byScore := func(a, b candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.to, b.to))
	}
	slices.SortFunc(cands, byScore)
	if len(cands) > shortlist {
		cands = cands[:shortlist]
	}
	me := s.Postmortems[i]
	for k := range cands {
		c := &cands[k]
		other := s.Postmortems[c.to]
		c.score += jaccard(words[i], words[c.to])
		days := math.Abs(me.Date.Sub(other.Date).Hours() / 24)
		c.score += 0.5 / (1 + days/30)
	}
	slices.SortFunc(cands, byScore)
	if len(cands) > RelatedCount {
		cands = cands[:RelatedCount]
	}
	rels := make([]Relation, len(cands))
	for k, c := range cands {
		rels[k] = Relation{To: c.to, Score: math.Round(c.score*1000) / 1000, Reason: reason(me, s.Postmortems[c.to], c.shared, words[i], words[c.to])}
	}
	return rels
}

// reason says in words why two postmortems are related.
func reason(a, b *postmortem.Postmortem, shared []*posting, wa, wb []string) string {
	var parts []string
	for _, key := range []string{"root_cause", "contributing_factor", "service"} {
		var names []string
		var tax *Taxonomy
		for _, pt := range shared {
			if pt.tax.Key == key {
				names = append(names, pt.term.Name)
				tax = pt.tax
			}
		}
		if len(names) == 0 {
			continue
		}
		slices.Sort(names)
		label := tax.Singular
		if len(names) > 1 {
			label = strings.ToLower(tax.Title)
		}
		parts = append(parts, label+" "+strings.Join(names, ", "))
	}
	if len(parts) > 0 {
		return "shares " + joinAnd(parts)
	}
	if jaccard(wa, wb) > 0 {
		return "similar title"
	}
	days := int(math.Abs(a.Date.Sub(b.Date).Hours()/24) + 0.5)
	switch {
	case days == 0:
		return "same day"
	case days == 1:
		return "1 day apart"
	}
	return fmt.Sprintf("%d days apart", days)
}

func joinAnd(parts []string) string {
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
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
