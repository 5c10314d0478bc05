package search

import (
	"maps"
	"slices"
	"strings"
	"testing"
)

// withDense lowers the count from which a term is dense, and its best
// postings, for the rest of the test.
func withDense(t *testing.T, from, top int) {
	t.Helper()
	oldFrom, oldTop := denseFrom, topSize
	denseFrom, topSize = from, top
	t.Cleanup(func() { denseFrom, topSize = oldFrom, oldTop })
}

// TestDenseTerms wants a term in more than denseFrom documents to list
// every one of them, its best postings with their frequencies in its
// shard and the others in a file of their own, as gaps or as a bitmap.
// (Incremental builds with dense terms: TestDeterministicAndIncremental.)
func TestDenseTerms(t *testing.T) {
	ds := synthetic(600)
	full, _, _ := index(t, NewIndexer().Build(ds, Options{}))
	withDense(t, 100, 40)
	files := NewIndexer().Build(ds, Options{})
	split, _, _ := index(t, files)
	rests, bitmaps := 0, 0
	for _, f := range files {
		if strings.HasPrefix(f.Path, "search/r/") {
			rests++
		}
		if strings.HasPrefix(string(f.Data), "PostmortemSearch.restBits(") {
			bitmaps++
		}
	}
	if bitmaps == 0 || bitmaps == rests {
		t.Errorf("%d of %d rests as bitmaps: the test wants both kinds", bitmaps, rests)
	}
	ndense := 0
	for term, want := range full {
		got := split[term]
		if !slices.Equal(slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want))) {
			t.Errorf("term %q: in %d documents, want %d", term, len(got), len(want))
			continue
		}
		if len(want) <= denseFrom {
			if !maps.Equal(got, want) {
				t.Errorf("term %q, in %d documents, lost frequencies", term, len(want))
			}
			continue
		}
		ndense++
	}
	if ndense < 10 || rests != ndense {
		t.Errorf("%d dense terms and %d files of rests; want 10 or more, and one each", ndense, rests)
	}
}

// TestDenseTermsQueried runs queries of dense words on an index that
// lists them in full and on one that splits them: the same counts, and
// the same first page for one word, whose best postings rank it.
func TestDenseTermsQueried(t *testing.T) {
	ds := synthetic(600)
	qs := []query{{Q: "latency "}, {Q: "the latency "}, {Q: "rollback"}, {Q: "the", Pages: 3}, {Q: "latency", F: map[string][]string{"severity": {"SEV2"}}}}
	full := runQueries(t, ds, qs)
	withDense(t, 100, 40)
	split := runQueries(t, ds, qs)
	for k, q := range qs {
		if full[k].Total < 100 {
			t.Errorf("%q: %d results, not a dense word", q.Q, full[k].Total)
		}
		if split[k].Total != full[k].Total || !maps.EqualFunc(split[k].Counts, full[k].Counts, maps.Equal) {
			t.Errorf("%q: %d results and counts %v, want %d and %v", q.Q, split[k].Total, split[k].Counts, full[k].Total, full[k].Counts)
		}
		if len(split[k].Slugs) != min(10*max(1, q.Pages), full[k].Total) {
			t.Errorf("%q: %d results shown", q.Q, len(split[k].Slugs))
		}
	}
	for _, k := range []int{0, 2, 4} {
		if !slices.Equal(split[k].Slugs, full[k].Slugs) {
			t.Errorf("%q: first page %v, want %v", qs[k].Q, split[k].Slugs, full[k].Slugs)
		}
	}
}
