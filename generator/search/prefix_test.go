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
// root causes and text, as their fragments hold them; services and
// contributing factors, from index.json), and wants each to
// find at least one incident: a word typed in part never empties the page,
// even past its stem ("certificat" of "certificate", whose term is
// "certif").
func TestEveryPrefixFindsSomething(t *testing.T) {
	node := browser.Node(t)
	out := exampleSite(t)
	frags, err := filepath.Glob(filepath.Join(out, "search", "f", "*.js"))
	if err != nil || len(frags) == 0 {
		t.Fatalf("no fragments in %s: %v", out, err)
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
	for _, p := range frags {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		s := string(data)
		var f struct {
			T string   `json:"t"`
			C []string `json:"c"`
			X string   `json:"x"`
		}
		if err := json.Unmarshal([]byte(s[strings.Index(s, ",{")+1:strings.LastIndex(s, ")")]), &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		addPrefixes(f.T + " " + strings.Join(f.C, " ") + " " + f.X)
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
