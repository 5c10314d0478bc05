package search

import (
	"encoding/json"
	"fmt"
	"github.com/postmortem/postmortem/generator/browser"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// query is a search as the page runs it: PS.search's state.
type query struct {
	Q      string              `json:"q"`
	Sort   string              `json:"sort,omitempty"`
	From   string              `json:"from,omitempty"`
	To     string              `json:"to,omitempty"`
	Longer string              `json:"longer,omitempty"`
	F      map[string][]string `json:"f,omitempty"`
	Pages  int                 `json:"pages,omitempty"` // of 10 results, 1 when 0
}

// answer is what the page shows for a query: the slugs of the results in
// order (the first page's fragments, read as the page reads them) and the
// counts of each facet's values.
type answer struct {
	Slugs  []string                  `json:"slugs"`
	Total  int                       `json:"total"`
	Counts map[string]map[string]int `json:"counts"`
	// Partial is whether no result has every word; Ignored are the words
	// that match nothing.
	Partial bool     `json:"partial"`
	Ignored []string `json:"ignored"`
	// TextFiles is how many files of texts (x/) the query loaded.
	TextFiles int `json:"textFiles"`
	// Status is the line above the results, in the page's own words.
	Status string `json:"status"`
}

// runQueries writes the index of docs to a folder and runs the queries
// with search.js in Node, the files loaded as the page loads them.
func runQueries(t *testing.T, docs []Doc, qs []query) []answer {
	t.Helper()
	return runQueriesOn(t, NewIndexer().Build(docs, Options{}), docs, qs)
}

// runQueriesOn runs the queries on the index files, made from docs.
func runQueriesOn(t *testing.T, files []File, docs []Doc, qs []query) []answer {
	t.Helper()
	return runQueriesWith(t, files, qs, -1)
}

// runQueriesWith runs the queries on the index files, the meta table loaded
// with meta.js when it is at most eager bytes (-1: the page's own limit).
func runQueriesWith(t *testing.T, files []File, qs []query, eager int) []answer {
	t.Helper()
	node := browser.Node(t)
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	input, _ := json.Marshal(map[string]any{"queries": qs, "dir": dir + "/", "eager": eager})
	script := `
const input = JSON.parse(process.argv[2]);
global.window = {}; global.document = { getElementById: () => null };
let textFiles = 0;
window.PostmortemSearch = { loadScript: (src, onerror) => { if (src.startsWith("search/x/")) textFiles++; try { require(input.dir + src); } catch (e) { onerror(e); } } };
if (input.eager >= 0) window.PostmortemSearch.eagerTable = input.eager;
global.PostmortemSearch = window.PostmortemSearch;
require(process.argv[1] + "/stem.js");
require(process.argv[1] + "/search-index.js");
require(process.argv[1] + "/search-query.js");
require(process.argv[1] + "/search.js");
const PS = window.PostmortemSearch;
(async () => {
  const meta = await PS.ready();
  const out = [];
  for (const q of input.queries) {
    textFiles = 0;
    const res = await PS.search(q);
    const page = await PS.page(res, 10);
    let counts = null;
    if (res.counts) {
      counts = {};
      for (const f of meta.facets) {
        counts[f] = {};
        res.counts[f].forEach((n, i) => { if (n) counts[f][meta.values[f][i]] = n; });
      }
    }
    // q.pages asks for more pages, as the button under the results does.
    for (let p = 1; p < (q.pages || 1); p++) page.push(...await PS.page(res, 10));
    const total = res.preview ? res.total : res.ids.length;
    const status = PS.status(res, page.length, (name, fallback) => fallback);
    out.push({ slugs: page.map(r => r.frag.u), total, counts, partial: !!res.partial, ignored: res.ignored || [], textFiles, status });
  }
  console.log(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });`
	out, err := exec.Command(node, "-e", script, mustAbs(t, "../../themes/default/assets"), string(input)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []answer
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return got
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

func TestQueries(t *testing.T) {
	a, b, c := "incidents/a.html", "incidents/b.html", "incidents/c.html"
	tests := []struct {
		name string
		q    query
		want []string
	}{
		// Doc a has the word in its title and root cause, c in a root
		// cause, b once in its body.
		{"ranking", query{Q: "certificate "}, []string{a, c, b}},
		{"case and accents folded", query{Q: "CERTÍFICATE "}, []string{a, c, b}},
		// c has "failure" and "failed", b "Failures": the word as typed first.
		{"stemming", query{Q: "failures "}, []string{b, c}},
		{"prefix of the last word", query{Q: "cert"}, []string{a, c, b}},
		{"a prefix on every word of 3 letters", query{Q: "cert cach "}, []string{b}},
		{"no prefix of 2 letters once a space follows", query{Q: "ce "}, nil},
		{"every word", query{Q: "certificate cache "}, []string{b}},
		{"phrase", query{Q: `"certificate expired"`}, []string{a}},
		{"phrase in other words", query{Q: `"expired certificates"`}, []string{a, c}},
		{"phrase not there", query{Q: `"midnight certificate"`}, nil},
		{"facet", query{Q: "certificate ", F: map[string][]string{"root_cause": {"expired-certificate"}}}, []string{a, c}},
		{"two values of a facet", query{F: map[string][]string{"severity": {"SEV3", "SEV2"}}}, []string{b, c}},
		{"year", query{F: map[string][]string{"year": {"2023"}}}, []string{c}},
		{"browse newest first", query{}, []string{a, b, c}},
		{"oldest", query{Sort: "oldest"}, []string{c, b, a}},
		{"severity", query{Q: "certificate", Sort: "severity"}, []string{a, c, b}},
		{"duration", query{Sort: "duration"}, []string{c, a, b}},
		{"longer than 2 h", query{Longer: "120"}, []string{c}},
		{"longer than 2 h, written 2h", query{Longer: "2h"}, []string{c}},
		{"longer than 1h59m", query{Longer: "1h59m"}, []string{c}},
		{"a length that cannot be read filters nothing", query{Longer: "long"}, []string{a, b, c}},
		{"date range", query{From: "2024-01-01", To: "2024-02-15"}, []string{b}},
	}
	qs := make([]query, len(tests))
	for i, tc := range tests {
		qs[i] = tc.q
	}
	got := runQueries(t, docs(), qs)
	for i, tc := range tests {
		if !slices.Equal(got[i].Slugs, tc.want) {
			t.Errorf("%s: %+v gives %v, want %v", tc.name, tc.q, got[i].Slugs, tc.want)
		}
	}
}

// TestStatusOfWordsNoIncidentHas: a word no incident has is left out of
// the search, and the line above the results says so; when it was the
// only word, that line says only that no incident has it.
func TestStatusOfWordsNoIncidentHas(t *testing.T) {
	got := runQueries(t, docs(), []query{{Q: "zzzz "}, {Q: "certificate zzzz "}})
	if want := "No incident has “zzzz”."; got[0].Status != want {
		t.Errorf("zzzz: status %q, want %q", got[0].Status, want)
	}
	if want := "No incident has “zzzz”: searched without it. 3 incidents"; got[1].Status != want || len(got[1].Slugs) != 3 {
		t.Errorf("certificate zzzz: %v, status %q, want 3 results and %q", got[1].Slugs, got[1].Status, want)
	}
}

func TestFacetCounts(t *testing.T) {
	got := runQueries(t, docs(), []query{
		{Q: "certificate "},
		{Q: "certificate ", F: map[string][]string{"severity": {"SEV1"}}},
		{Q: `"certificate expired"`},
	})
	// A phrase: only the documents that hold it are counted.
	if want := map[string]int{"SEV1": 1}; !equalCounts(got[2].Counts["severity"], want) || got[2].Total != 1 {
		t.Errorf("severities of a phrase: %v (%d results), want %v", got[2].Counts["severity"], got[2].Total, want)
	}
	if want := map[string]int{"expired-certificate": 2, "capacity": 1, "dns": 1}; !equalCounts(got[0].Counts["root_cause"], want) {
		t.Errorf("root causes of certificate: %v, want %v", got[0].Counts["root_cause"], want)
	}
	// A severity chosen: other facets count within it, severity itself not.
	if want := map[string]int{"expired-certificate": 1}; !equalCounts(got[1].Counts["root_cause"], want) {
		t.Errorf("root causes of certificate in SEV1: %v, want %v", got[1].Counts["root_cause"], want)
	}
	if want := map[string]int{"SEV1": 1, "SEV2": 1, "SEV3": 1}; !equalCounts(got[1].Counts["severity"], want) {
		t.Errorf("severities with SEV1 chosen: %v, want %v", got[1].Counts["severity"], want)
	}
	if got[1].Total != 1 || got[1].Slugs[0] != "incidents/a.html" {
		t.Errorf("certificate in SEV1: %+v", got[1])
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestPhraseAmongMany has more candidates for a phrase than the page
// checks at once: the results shown still all hold the phrase.
func TestPhraseAmongMany(t *testing.T) {
	var ds []Doc
	for i := range 90 {
		text := "beta gamma alpha"
		if i%3 == 0 {
			text = "alpha beta gamma"
		}
		ds = append(ds, Doc{Hash: uint64(i + 1), URL: fmt.Sprintf("incidents/%d.html", i), Title: "Incident", Text: textOf(text),
			Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	got := runQueries(t, ds, []query{{Q: `"alpha beta"`}, {Q: `"gamma alpha"`, F: map[string][]string{"year": {"2024"}}}})
	for k, want := range []int{0, 1} {
		if len(got[k].Slugs) != 10 {
			t.Errorf("query %d: %d results on the first page, want 10", k, len(got[k].Slugs))
		}
		for _, u := range got[k].Slugs {
			var i int
			fmt.Sscanf(u, "incidents/%d.html", &i)
			if (i%3 == 0) != (want == 0) {
				t.Errorf("query %d: %s does not hold the phrase", k, u)
			}
		}
	}
}

// TestPhraseInFewGroups wants a phrase whose words are in every document
// but which few hold to load at most PHRASE_TEXTS groups of texts for a
// page of results, each of which holds it, and every one of them to come
// as the pages follow.
func TestPhraseInFewGroups(t *testing.T) {
	var ds []Doc
	want := map[string]bool{}
	for i := range 2000 {
		// Past the start of the text, which the card shows; those without
		// the phrase rank first, having its words twice.
		text := strings.Repeat("epsilon ", 20) + "beta gamma alpha delta alpha gamma beta"
		if i%7 == 0 {
			text = strings.Repeat("epsilon ", 20) + "gamma alpha beta delta"
		}
		u := fmt.Sprintf("incidents/%d.html", i)
		want[u] = i%7 == 0
		ds = append(ds, Doc{Hash: uint64(i + 1), Slug: fmt.Sprint(i), URL: u, Title: "Incident", Text: textOf(text),
			Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	got := runQueries(t, ds, []query{{Q: `"alpha beta"`}, {Q: `"alpha beta"`, Pages: 40}})
	first, all := got[0], got[1]
	if len(first.Slugs) != 10 || first.TextFiles > 3 {
		t.Errorf("first page: %d results from %d files of texts, want 10 from 3 at most", len(first.Slugs), first.TextFiles)
	}
	seen := map[string]bool{}
	for _, u := range all.Slugs {
		if !want[u] || seen[u] {
			t.Errorf("%s shown, twice or without the phrase", u)
		}
		seen[u] = true
	}
	if n := 2000/7 + 1; len(seen) != n || all.Total != n {
		t.Errorf("%d results shown in all, total %d; want %d", len(seen), all.Total, n)
	}
}

// TestPhraseNotInTheFirstGroups wants a phrase that only the last
// candidate's group holds to show no result on the first page, at most
// PHRASE_TEXTS groups of texts loaded, and a status that says so; and the
// pages that follow to find it.
func TestPhraseNotInTheFirstGroups(t *testing.T) {
	var ds []Doc
	for i := range 2000 {
		ds = append(ds, Doc{Hash: uint64(i + 1), Slug: fmt.Sprint(i), URL: fmt.Sprintf("incidents/%d.html", i), Title: "Incident",
			Text: textOf(strings.Repeat("epsilon ", 20) + "beta gamma alpha delta"), Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	// The phrase in the incident of the greatest id: candidates of equal
	// score come by id, and its group is checked last.
	ids, _ := assignIDs(ds)
	last := 0
	for i, id := range ids {
		if id > ids[last] {
			last = i
		}
	}
	ds[last].Text = textOf(strings.Repeat("epsilon ", 20) + "gamma alpha beta delta")
	got := runQueries(t, ds, []query{{Q: `"alpha beta"`}, {Q: `"alpha beta"`, Pages: 40}})
	first, all := got[0], got[1]
	if len(first.Slugs) != 0 || first.TextFiles > 3 || !strings.HasPrefix(first.Status, "None of the incidents checked so far has the phrase; ") {
		t.Errorf("first page: %v from %d files of texts, status %q; want none from 3 at most, and a status saying so", first.Slugs, first.TextFiles, first.Status)
	}
	if !slices.Equal(all.Slugs, []string{ds[last].URL}) || all.Total != 1 || all.Status != "1 incident" {
		t.Errorf("all pages: %v, total %d, status %q; want %s alone", all.Slugs, all.Total, all.Status, ds[last].URL)
	}
}

// TestFacetLayoutFromMeta changes the facet layout in meta.js and wants
// the page to follow it: search.js keeps no list of facets of its own.
func TestFacetLayoutFromMeta(t *testing.T) {
	files := NewIndexer().Build(docs(), Options{})
	layout := []Facet{{Key: "service", Multi: true}, {Key: "severity"}, {Key: "year", Day: true}, {Key: "root_cause", Multi: true}}
	for i, f := range files {
		if f.Path != "search/meta.js" {
			continue
		}
		var m Meta
		data := strings.TrimSuffix(strings.TrimPrefix(string(f.Data), "PostmortemSearch.meta("), ");\n")
		if err := json.Unmarshal([]byte(data), &m); err != nil {
			t.Fatal(err)
		}
		m.Facets = layout
		out, _ := json.Marshal(m)
		files[i].Data = []byte("PostmortemSearch.meta(" + string(out) + ");\n")
	}
	got := runQueriesOn(t, files, docs(), []query{{F: map[string][]string{"service": {"checkout"}}}, {F: map[string][]string{"status": {"review"}}}})
	if want := []string{"incidents/a.html", "incidents/c.html"}; !slices.Equal(got[0].Slugs, want) {
		t.Errorf("service=checkout gives %v, want %v", got[0].Slugs, want)
	}
	var keys []string
	for k := range got[0].Counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if want := []string{"root_cause", "service", "severity", "year"}; !slices.Equal(keys, want) {
		t.Errorf("facets counted: %v, want those of meta.js, %v", keys, want)
	}
	// A facet meta.js does not list does not filter.
	if got[1].Total != 3 {
		t.Errorf("status=review, not a facet of meta.js, gives %d results, want all 3", got[1].Total)
	}
}

// TestQueriesWithoutTable runs queries as the page does on a large site,
// where meta.js comes without the meta table: by relevance, the results and
// totals are those of a small site, without facet counts; with nothing
// typed, the newest first (meta.js's), their second page too (the
// table's); a filter or a sort by
// date loads the table, and the counts come with it.
func TestQueriesWithoutTable(t *testing.T) {
	ds := synthetic(300)
	for i := range ds { // 15 a day: the newest are in the order of their ids
		ds[i].Date = ds[i%20].Date
	}
	qs := []query{{Q: "latency"}, {Q: "rollback canary"}, {Q: `"leader election"`}, {Q: "", Pages: 2},
		{Q: "quorum", F: map[string][]string{"severity": {"SEV2"}}}, {Q: "latency", Sort: "oldest"}, {Q: "latency"}}
	files := NewIndexer().Build(ds, Options{})
	small := runQueriesWith(t, files, qs, -1)
	large := runQueriesWith(t, files, qs, 0)
	for k, q := range qs {
		s, l := small[k], large[k]
		if !slices.Equal(s.Slugs, l.Slugs) || s.Total != l.Total || len(s.Slugs) == 0 {
			t.Errorf("%+v: without the table %v of %d, with it %v of %d", q, l.Slugs, l.Total, s.Slugs, s.Total)
		}
		if tabled := k >= 4; (l.Counts != nil) != tabled || tabled && !reflect.DeepEqual(l.Counts, s.Counts) {
			t.Errorf("%+v: counts without the table first %v, with it %v", q, l.Counts, s.Counts)
		}
	}
	if small[3].Total != len(ds) || len(small[3].Slugs) != 20 {
		t.Errorf("nothing typed: %d results of %d, want 20 of %d", len(small[3].Slugs), small[3].Total, len(ds))
	}
}

// TestPhraseInTheText finds a phrase that only the text holds, past the
// snippet of the card, and not one whose words are apart.
func TestPhraseInTheText(t *testing.T) {
	filler := strings.Repeat("the pager went off and nobody answered it for a while. ", 10)
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ds := []Doc{
		{Hash: 1, Slug: "a", URL: "incidents/a.html", Title: "Slow pages", Summary: "Pages were slow.", Date: day,
			Text: textOf(filler + "In the end the disk was full on every node.")},
		{Hash: 2, Slug: "b", URL: "incidents/b.html", Title: "Full queue", Summary: "A queue filled up.", Date: day,
			Text: textOf(filler + "The queue was full; the disk was fine.")},
		{Hash: 3, Slug: "c", URL: "incidents/c.html", Title: "Disk full on the build host", Summary: "Builds failed.", Date: day,
			Text: textOf(filler)},
	}
	got := runQueries(t, ds, []query{{Q: `"disk was full"`}, {Q: `"disk full"`}, {Q: `"queue was full"`}})
	for k, want := range [][]string{{"incidents/a.html"}, {"incidents/c.html"}, {"incidents/b.html"}} {
		if !slices.Equal(got[k].Slugs, want) || got[k].Total != len(want) {
			t.Errorf("query %d: %v of %d, want %v", k, got[k].Slugs, got[k].Total, want)
		}
	}
}

// TestPhraseOfRareWords finds a phrase of words whose terms are among
// the least frequent of a group of texts, written with two and three digits
// (see appendTextNum), and not where those words are apart.
func TestPhraseOfRareWords(t *testing.T) {
	const letters = "bcfghjkmnpqrtvwxz" // no vowel: the stem is the word
	word := func(k int) string {
		return "z" + string(letters[k/len(letters)/len(letters)%len(letters)]) + string(letters[k/len(letters)%len(letters)]) + string(letters[k%len(letters)])
	}
	var text []string
	for k := range 1200 {
		text = append(text, word(k))
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ds := []Doc{
		{Hash: 1, Slug: "a", URL: "incidents/a.html", Title: "Slow pages", Date: day, Text: textOf(strings.Join(text, " "))},
		{Hash: 2, Slug: "b", URL: "incidents/b.html", Title: "Full queue", Date: day,
			Text: textOf(strings.Join([]string{word(1100), word(500), word(1150), word(79), word(1101), word(80)}, " "))},
	}
	got := runQueries(t, ds, []query{
		{Q: `"` + word(1100) + " " + word(1101) + `"`}, // three digits each in a's group
		{Q: `"` + word(500) + " " + word(501) + `"`},   // two
		{Q: `"` + word(79) + " " + word(80) + `"`},     // one, then two
		{Q: `"` + word(1101) + " " + word(1100) + `"`}, // in neither
	})
	for k, want := range [][]string{{"incidents/a.html"}, {"incidents/a.html"}, {"incidents/a.html"}, nil} {
		if !slices.Equal(got[k].Slugs, want) || got[k].Total != len(want) {
			t.Errorf("query %d: %v of %d, want %v", k, got[k].Slugs, got[k].Total, want)
		}
	}
}

// TestTagsAndOtherFieldsFound: a word found only in a tag, the trigger, the
// detection, an author or an action item finds its incident, as the words
// a reader sees on its page; a tag outranks the body, as services do (b
// has a summary without the word, which would put it first on the page).
func TestTagsAndOtherFieldsFound(t *testing.T) {
	day := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	docs := []Doc{
		{Hash: 1, Slug: "a", URL: "incidents/a.html", Title: "Checkout down", Date: day, Tags: []string{"kubernetes"},
			Other: []string{"A deploy of the gateway", "Synthetic probe alerted", "Ada Lovelace", "Add a canary stage", "platform-team"},
			Text:  textOf("The pods restarted.")},
		{Hash: 2, Slug: "b", URL: "incidents/b.html", Title: "Search slow", Date: day.AddDate(0, -1, 0), Summary: "Nodes ran out of memory.",
			Text: textOf("The kubernetes nodes ran out of memory.")},
		{Hash: 3, Slug: "c", URL: "incidents/c.html", Title: "DNS down", Date: day.AddDate(0, -2, 0), Text: textOf("Resolvers failed.")},
	}
	a, b := "incidents/a.html", "incidents/b.html"
	tests := []slugCase{
		{"kubernetes ", []string{a, b}},
		{"gateway ", []string{a}},
		{"synthetic ", []string{a}},
		{"lovelace ", []string{a}},
		{"canary ", []string{a}},
		{"platform ", []string{a}},
	}
	wantSlugs(t, docs, tests)
}

// TestFilterByBroaderCause: a root cause's filter finds the incidents of
// the causes below it, as its page lists them, and counts them so; a value
// the site does not have (a stale link) matches nothing rather than being
// dropped.
func TestFilterByBroaderCause(t *testing.T) {
	day := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	docs := []Doc{
		{Hash: 1, Slug: "a", URL: "incidents/a.html", Title: "Gateway down", Date: day, RootCauses: []string{"configuration/api-integration"},
			CauseTerms: []string{"configuration", "configuration/api-integration"}, Text: textOf("Lorem.")},
		{Hash: 2, Slug: "b", URL: "incidents/b.html", Title: "Flag flipped", Date: day.AddDate(0, -1, 0), RootCauses: []string{"configuration"},
			CauseTerms: []string{"configuration"}, Text: textOf("Ipsum.")},
		{Hash: 3, Slug: "c", URL: "incidents/c.html", Title: "DNS down", Date: day.AddDate(0, -2, 0), RootCauses: []string{"dns"}, Text: textOf("Lorem.")},
	}
	a, b := "incidents/a.html", "incidents/b.html"
	got := runQueries(t, docs, []query{
		{F: map[string][]string{"root_cause": {"configuration"}}},
		{Q: "lorem ", F: map[string][]string{"root_cause": {"configuration"}}},
		{F: map[string][]string{"root_cause": {"no-such-cause"}}},
		{F: map[string][]string{"severity": {"SEV9"}}},
	})
	if !slices.Equal(got[0].Slugs, []string{a, b}) {
		t.Errorf("root_cause=configuration gives %v, want [a b]", got[0].Slugs)
	}
	if n := got[0].Counts["root_cause"]; n["configuration"] != 2 || n["configuration/api-integration"] != 1 || n["dns"] != 1 {
		t.Errorf("root cause counts %v, want configuration 2, configuration/api-integration 1, dns 1", n)
	}
	if !slices.Equal(got[1].Slugs, []string{a}) {
		t.Errorf("lorem with root_cause=configuration gives %v, want [a]", got[1].Slugs)
	}
	for _, k := range []int{2, 3} {
		if len(got[k].Slugs) != 0 || got[k].Total != 0 {
			t.Errorf("a value the site does not have gives %v (%d), want nothing", got[k].Slugs, got[k].Total)
		}
	}
}

// slugCase is a query and the slugs of its results, in order.
type slugCase struct {
	q    string
	want []string
}

// wantSlugs runs each query on docs and wants its results in order.
func wantSlugs(t *testing.T, docs []Doc, cases []slugCase) {
	t.Helper()
	qs := make([]query, len(cases))
	for i, c := range cases {
		qs[i] = query{Q: c.q}
	}
	got := runQueries(t, docs, qs)
	for i, c := range cases {
		if !slices.Equal(got[i].Slugs, c.want) {
			t.Errorf("%q gives %v, want %v", c.q, got[i].Slugs, c.want)
		}
	}
}
