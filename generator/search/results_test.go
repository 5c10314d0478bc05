package search

import "testing"

// TestURLAffixes wants the affixes every URL has, and no more: a prefix
// that ends at a slash and a suffix from a dot after the last slash, so
// that a new URL that shares less of its slug changes no card.
func TestURLAffixes(t *testing.T) {
	for _, tc := range []struct {
		urls     []string
		pre, suf string
	}{
		{[]string{"incidents/2024-01-02-a.html", "incidents/2024-01-03-b.html"}, "incidents/", ".html"},
		{[]string{"incidents/a.html"}, "incidents/", ".html"},
		{[]string{"a/b.c/d.html"}, "a/b.c/", ".html"},
		{[]string{"incidents/a.html", "other/a.html"}, "", ".html"},
		{[]string{"p/a-1.x.html", "p/b-1.x.html"}, "p/", ".x.html"},
		{[]string{"p/a", "p/b"}, "p/", ""},
		{nil, "", ""},
	} {
		var ds []Doc
		for _, u := range tc.urls {
			ds = append(ds, Doc{URL: u})
		}
		if got := urlAffixes(ds); got != [2]string{tc.pre, tc.suf} {
			t.Errorf("urlAffixes(%q) = %q, want %q, %q", tc.urls, got, tc.pre, tc.suf)
		}
	}
}

// TestFewFilesPerDocument builds indexes of 100 to 5,000 documents and
// wants a file of cards for every 32 to 64 of them and a file of texts for
// every 64 to 128, so that the index adds few files to the output of a
// static host: the number of files grows with the documents' count divided
// by 32 or more, plus the shards, the root causes and the meta table.
func TestFewFilesPerDocument(t *testing.T) {
	for _, n := range []int{100, 1000, 5000} {
		ds := synthetic(n)
		count := map[string]int{}
		for _, f := range NewIndexer().Build(ds, Options{}) {
			count[f.Path[:len("search/f")]]++
		}
		cards, texts := count["search/f"], count["search/x"]
		if cards > n/32+1 || cards < n/64-1 || texts > n/64+1 || texts < n/128-1 {
			t.Errorf("%d documents: %d files of cards, %d of texts", n, cards, texts)
		}
		t.Logf("%d documents: %v", n, count)
	}
}
