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
