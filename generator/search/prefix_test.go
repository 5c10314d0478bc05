package search_test

import (
	"encoding/json"
	"github.com/postmortem/postmortem/generator/browser"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/search"
)

// TestEveryPrefixFindsSomething types, as a reader does, every prefix of 3
// letters or more of every word of the example site's incidents (titles,
// root causes and summary, as the cards hold them, and every prefix of the
// terms of their texts; services and
// contributing factors, from index.json), and wants each to
// find at least one incident: a word typed in part never empties the page,
// even past its stem ("certificat" of "certificate", whose term is
// "certif").
func TestEveryPrefixFindsSomething(t *testing.T) {
	node := browser.Node(t)
	out := exampleSite(t)
	cards, err := filepath.Glob(filepath.Join(out, "search", "f", "*.js"))
	texts, err2 := filepath.Glob(filepath.Join(out, "search", "x", "*.js"))
	if err != nil || err2 != nil || len(cards) == 0 || len(texts) == 0 {
		t.Fatalf("no cards or texts in %s: %v %v", out, err, err2)
	}
	seen := map[string]bool{}
	addPrefixes := func(text string) {
		for _, w := range search.Tokens(text) {
			r := []rune(w)
			for n := 3; n <= len(r); n++ {
				seen[string(r[:n])] = true
			}
		}
	}
	// PostmortemSearch.cards(G,{"ID":[title,url,date,severity,[causes],snippet]}),
	// and PostmortemSearch.texts(G,[term,...],{"ID":"CODES"}): the terms of
	// the words of the text, stems, are typed too.
	docs := 0
	for _, p := range append(cards, texts...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		if strings.HasPrefix(s, "PostmortemSearch.texts(") {
			terms, _ := search.ReadTexts(t, p, data)
			if len(terms) == 0 {
				t.Fatalf("%s: no terms", p)
			}
			addPrefixes(strings.Join(terms, " "))
			continue
		}
		var group map[string][]json.RawMessage
		if err := json.Unmarshal([]byte(s[strings.Index(s, ",{")+1:strings.LastIndex(s, ")")]), &group); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for id, card := range group {
			var title, snippet string
			var causes []string
			if len(card) != 6 || json.Unmarshal(card[0], &title) != nil || json.Unmarshal(card[4], &causes) != nil || json.Unmarshal(card[5], &snippet) != nil {
				t.Fatalf("%s: card %s: %s", p, id, card)
			}
			addPrefixes(title + " " + strings.Join(causes, " ") + " " + snippet)
			docs++
		}
	}
	var export struct {
		Postmortems []struct {
			Services            []string `json:"services"`
			ContributingFactors []string `json:"contributing_factors"`
		} `json:"postmortems"`
	}
	data, err := os.ReadFile(filepath.Join(out, "index.json"))
	if err == nil {
		err = json.Unmarshal(data, &export)
	}
	if err != nil || len(export.Postmortems) == 0 {
		t.Fatalf("index.json: %v", err)
	}
	if docs != len(export.Postmortems) {
		t.Errorf("%d cards, %d postmortems in index.json", docs, len(export.Postmortems))
	}
	for _, p := range export.Postmortems {
		addPrefixes(strings.Join(p.Services, " ") + " " + strings.Join(p.ContributingFactors, " "))
	}
	prefixes := slices.Sorted(func(yield func(string) bool) {
		for p := range seen {
			if !yield(p) {
				return
			}
		}
	})
	input, _ := json.Marshal(prefixes)
	script := `
const dir = process.argv[2], prefixes = JSON.parse(require("fs").readFileSync(0, "utf8"));
global.window = {}; global.document = { getElementById: () => null };
window.PostmortemSearch = { loadScript: (src, onerror) => { try { require(dir + "/" + src); } catch (e) { onerror(e); } } };
global.PostmortemSearch = window.PostmortemSearch;
for (const f of ["stem", "search-index", "search-query", "search"]) require(process.argv[1] + "/" + f + ".js");
const PS = window.PostmortemSearch;
(async () => {
  await PS.ready();
  const none = [];
  for (const p of prefixes) if (!(await PS.search({ q: p })).ids.length) none.push(p);
  console.log(JSON.stringify(none));
})().catch(e => { console.error(e); process.exit(1); });`
	assets, _ := filepath.Abs("../../themes/default/assets")
	cmd := exec.Command(node, "-e", script, assets, out)
	cmd.Stdin = strings.NewReader(string(input))
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, got)
	}
	var none []string
	if err := json.Unmarshal(got, &none); err != nil {
		t.Fatalf("%v: %.300s", err, got)
	}
	if len(none) > 0 {
		t.Errorf("%d of %d typed prefixes find nothing: %.600v", len(none), len(prefixes), none)
	}
	t.Logf("%d prefixes typed", len(prefixes))
}
