package search

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// rankingDocs are incidents for the ranking rules: x shares a service
// name with a DNS query and has "failure" in its title; y has the root
// cause dns.
func rankingDocs() []Doc {
	day := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	return []Doc{
		{Hash: 11, Slug: "x", URL: "incidents/x.html", Title: "Failure of the dns-resolver fleet", Date: day,
			RootCauses: []string{"capacity"}, Services: []string{"dns-resolver"},
			Text: textOf("The fleet ran out of memory. A failure of every node followed.")},
		{Hash: 12, Slug: "y", URL: "incidents/y.html", Title: "Checkout errors", Date: day.AddDate(0, 0, -1),
			RootCauses: []string{"dns"}, Services: []string{"checkout"},
			Text: textOf("A stale record made lookups fail. The failure lasted an hour. Keys were rotated.")},
		{Hash: 13, Slug: "z", URL: "incidents/z.html", Title: "Slow search after rotating the lookuptable", Date: day.AddDate(0, 0, -2),
			RootCauses: []string{"expired-certificate"}, Services: []string{"search"},
			Text: textOf("The certificate rotation was late. Latency rose in the data hall. The lookuptable grew.")},
	}
}

func TestRankingRules(t *testing.T) {
	x, y, z := "incidents/x.html", "incidents/y.html", "incidents/z.html"
	tests := []struct {
		name    string
		q       string
		want    []string
		partial bool
		ignored []string
	}{
		// Every word found: only the incidents with all of them.
		{"all words keep the all-words results alone", "failure memory", []string{x}, false, nil},
		// None has every word: those with the most first, and said so.
		{"the most words first", "memory fleet certificate", []string{x, z}, true, nil},
		// A word the corpus lacks is left out and named.
		{"an unknown word is ignored", "certificate zyzzyva", []string{z}, false, []string{"zyzzyva"}},
		{"only unknown words find nothing", "zyzzyva", nil, false, []string{"zyzzyva"}},
		// Prefixes on every word, not only the last.
		{"a prefix mid-query", "certif rotation ", []string{z}, false, nil},
		{"a prefix past the stem", "certificat", []string{z}, false, nil},
		{"too much past any stem", "certificatexyzzy", nil, false, []string{"certificatexyzzy"}},
		// Past the stem, not being typed: a word close to a term (see
		// TestCloseWords).
		{"past the stem, but not being typed", "certificat ", []string{z}, false, nil},
		// The word's stem before the terms it is a prefix of: y has
		// "lookups" once, z "lookuptable" in its title and body.
		{"stems above prefixes", "lookup ", []string{y, z}, false, nil},
		{"a prefix alone", "lookupt", []string{z}, false, nil},
		// Within a page, the word as typed before other words of its stem:
		// z has "rotating" in its title, y "rotated" once in its body.
		{"exact above stems", "rotated ", []string{y, z}, false, nil},
		{"the stronger first when both are exact", "rotating ", []string{z, y}, false, nil},
		// A word naming a root cause lifts the incidents of that cause.
		{"a root cause above a service", "dns failure", []string{y, x}, false, nil},
		{"no cause named, no lift", "failure", []string{x, y}, false, nil},
	}
	qs := make([]query, len(tests))
	for i, tc := range tests {
		qs[i] = query{Q: tc.q}
	}
	got := runQueries(t, rankingDocs(), qs)
	for i, tc := range tests {
		if !slices.Equal(got[i].Slugs, tc.want) || got[i].Partial != tc.partial || !slices.Equal(got[i].Ignored, tc.ignored) {
			t.Errorf("%s: %q gives %v (partial %v, ignored %v), want %v (partial %v, ignored %v)",
				tc.name, tc.q, got[i].Slugs, got[i].Partial, got[i].Ignored, tc.want, tc.partial, tc.ignored)
		}
	}
}

func TestSynonymsFindEachOther(t *testing.T) {
	z := "incidents/z.html"
	docs := rankingDocs()
	opts := Options{Synonyms: [][]string{{"x509", "certificate"}, {"power loss", "data hall"}}}
	tests := []struct {
		q             string
		without, with []string
	}{
		{"x509 ", nil, []string{z}},
		{"power loss ", nil, []string{z}},
		{"power ", nil, nil}, // a word of a member, not a member
		{"hall ", []string{z}, []string{z}},
	}
	qs := make([]query, len(tests))
	for i, tc := range tests {
		qs[i] = query{Q: tc.q}
	}
	without := runQueries(t, docs, qs)
	with := runQueriesOn(t, NewIndexer().Build(docs, opts), docs, qs)
	for i, tc := range tests {
		if !slices.Equal(without[i].Slugs, tc.without) || !slices.Equal(with[i].Slugs, tc.with) {
			t.Errorf("%q: %v without synonyms, %v with them; want %v and %v", tc.q, without[i].Slugs, with[i].Slugs, tc.without, tc.with)
		}
	}
}

// TestWeightsTunable: the weights of postmortem.yaml change the ranking. x
// has "dns" in its title and service, y as its root cause.
func TestWeightsTunable(t *testing.T) {
	x, y := "incidents/x.html", "incidents/y.html"
	docs := rankingDocs()
	qs := []query{{Q: "dns"}}
	byDefault := runQueries(t, docs, qs)[0].Slugs
	titles := runQueriesOn(t, NewIndexer().Build(docs, Options{Weights: Weights{Title: 20, Services: 20, RootCauses: 1}}), docs, qs)[0].Slugs
	if !slices.Equal(byDefault, []string{y, x}) || !slices.Equal(titles, []string{x, y}) {
		t.Errorf("dns: %v by default, want [y x]; %v with titles and services weighing most, want [x y]", byDefault, titles)
	}
}

// TestCompoundWordsRankFirst: a word joined by a hyphen, dot, underscore
// or slash ranks first the incidents that have it joined. p is the
// payments-gateway service's incident; q names payments and a gateway
// more often, apart; r has version v2.1.3, s v2.1.4 and the numbers 1 and
// 3 elsewhere, more often.
func TestCompoundWordsRankFirst(t *testing.T) {
	day := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	docs := []Doc{
		{Hash: 1, Slug: "p", URL: "incidents/p.html", Title: "Timeouts at checkout", Date: day,
			Services: []string{"payments-gateway"}, Text: textOf("Requests queued for an hour.")},
		{Hash: 2, Slug: "q", URL: "incidents/q.html", Title: "Payments gateway and payments queue", Date: day.AddDate(0, 0, -1),
			Services: []string{"payments"}, Text: textOf("The payments queue stalled behind the gateway. Payments waited at the gateway.")},
		{Hash: 3, Slug: "r", URL: "incidents/r.html", Title: "Agent rollout", Date: day.AddDate(0, 0, -2),
			Text: textOf("Version v2.1.3 of the agent leaked memory.")},
		{Hash: 4, Slug: "s", URL: "incidents/s.html", Title: "Agent v2 rollout, 3 regions, 1 hour", Date: day.AddDate(0, 0, -3),
			Text: textOf("Version v2.1.4 of the agent ran in 3 regions for 1 hour; 1 region of 3 failed.")},
	}
	p, q, r, s := "incidents/p.html", "incidents/q.html", "incidents/r.html", "incidents/s.html"
	tests := []slugCase{
		{"payments-gateway", []string{p, q}},
		{"payments_gateway", []string{p, q}},
		{"payment-gateways", []string{p, q}},   // stems joined, as words are stemmed
		{"payments gateway", []string{q, p}},   // apart, as before
		{`"payments-gateway"`, []string{p, q}}, // quoted, joined first too
		{"v2.1.3", []string{r, s}},
		{"v2.1.4", []string{s}}, // r has no 4
	}
	wantSlugs(t, docs, tests)
}

// TestCloseWords: a word no incident has, a letter or two away from one
// that some have past its first letters, finds those, says so, and not in
// a quoted phrase; a word far from every term is still left out.
func TestCloseWords(t *testing.T) {
	x, y, z := "incidents/x.html", "incidents/y.html", "incidents/z.html"
	tests := []struct {
		q       string
		want    []string
		ignored []string
		close   bool
	}{
		{"certficate", []string{z}, nil, true},                        // a letter dropped
		{"latncy ", []string{z}, nil, true},                           // a letter dropped, and the stem shorter
		{"rotaiton keys", []string{y}, nil, true},                     // two letters swapped
		{"failure lookpus", []string{y}, nil, true},                   // beside a word that matches
		{"zyzzyva", nil, []string{"zyzzyva"}, false},                  // far from every term
		{"dns", []string{y, x}, nil, false},                           // a word that matches is not replaced
		{"dns e", []string{y, x}, nil, false},                         // a last letter being typed waits for the next
		{`"dns r`, []string{y, x}, nil, false},                        // so does the last word of a phrase being typed
		{`"certficate rotation"`, nil, []string{"certficate"}, false}, // not in a quoted phrase
	}
	qs := make([]query, len(tests))
	for i, tc := range tests {
		qs[i] = query{Q: tc.q}
	}
	got := runQueries(t, rankingDocs(), qs)
	for i, tc := range tests {
		close := strings.Contains(got[i].Status, "close to it")
		if !slices.Equal(got[i].Slugs, tc.want) || !slices.Equal(got[i].Ignored, tc.ignored) || close != tc.close {
			t.Errorf("%q gives %v (ignored %v, status %q), want %v (ignored %v, close %v)", tc.q, got[i].Slugs, got[i].Ignored, got[i].Status, tc.want, tc.ignored, tc.close)
		}
	}
}

// TestNoCloseWordForASynonymOrAFewFirstLetters: a word of a synonym group
// ("certificate", whose group has "cert") stands for no term close to one
// of its members ("cern"), as the site's synonyms are not typos; and a long
// word is not taken for a short term its first letters nearly make
// ("throttling" for "three").
func TestNoCloseWordForASynonymOrAFewFirstLetters(t *testing.T) {
	day := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	docs := []Doc{
		{Hash: 21, Slug: "cern", URL: "incidents/cern.html", Title: "Slow mirror", Date: day, Text: textOf("The mirror at CERN was slow.")},
		{Hash: 22, Slug: "tls", URL: "incidents/tls.html", Title: "Expired certificate", Date: day, Text: textOf("The certificate expired at night.")},
		{Hash: 23, Slug: "three", URL: "incidents/three.html", Title: "Three nodes down", Date: day, Text: textOf("Three nodes failed together.")},
	}
	files := NewIndexer().Build(docs, Options{Synonyms: [][]string{{"cert", "certificate", "tls certificate", "x509"}}})
	tests := []struct {
		q    string
		want []string
	}{
		{"certificate", []string{"incidents/tls.html"}},
		{"x509", []string{"incidents/tls.html"}},
		{"throttling", nil},
		{"certficate", []string{"incidents/tls.html"}}, // a typo, not a word being typed that "cern" starts
	}
	qs := make([]query, len(tests))
	for i, tc := range tests {
		qs[i] = query{Q: tc.q}
	}
	got := runQueriesOn(t, files, docs, qs)
	for i, tc := range tests {
		if !slices.Equal(got[i].Slugs, tc.want) {
			t.Errorf("%q gives %v (status %q), want %v", tc.q, got[i].Slugs, got[i].Status, tc.want)
		}
	}
}
