package search

import (
	"encoding/json"
	"github.com/postmortem/postmortem/generator/browser"
	"os/exec"
	"reflect"
	"testing"
)

var testSynonyms = [][]string{
	{"cert", "certificate", "TLS certificate"},
	{"datacenter", "data center", "data hall"},
	{"toggle", "feature flag"},
	{"data", "information"}, // "data" alone, shorter than "data center"
	{"lonely"},              // one member: no group
	{"DB", "db", "database"},
}

func TestExpand(t *testing.T) {
	got := Expand(Tokens("power failure in the Data Hall, tls cert"), testSynonyms)
	want := []Group{
		{[]string{"power"}, [][]string{{"power"}}},
		{[]string{"failure"}, [][]string{{"failure"}}},
		{[]string{"in"}, [][]string{{"in"}}},
		{[]string{"the"}, [][]string{{"the"}}},
		{[]string{"data", "hall"}, [][]string{{"data", "hall"}, {"datacenter"}, {"data", "center"}}},
		{[]string{"tls"}, [][]string{{"tls"}}},
		{[]string{"cert"}, [][]string{{"cert"}, {"certificate"}, {"tls", "certificate"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Expand:\n got %v\nwant %v", got, want)
	}
	if got := Expand([]string{"lonely", "data"}, testSynonyms); len(got[0].Alts) != 1 || len(got[1].Alts) != 2 {
		t.Errorf("a group of one member expands, or a shorter member does not: %v", got)
	}
}

// TestExpandMatchesJS expands queries with Expand and with search-query.js
// in Node, from the synonyms as meta.js gives them, and wants the same
// groups.
func TestExpandMatchesJS(t *testing.T) {
	node := browser.Node(t)
	queries := []string{
		"", "cert", "tls certificate expiry", "TLS Certificate", "data", "data center", "data centre",
		"the data hall data center datacenter", "feature flag toggle", "feature", "flag feature flag",
		"database DB db", "lonely data", "power failure in the datacenter", "Dätä hall", "cert cert",
	}
	want := make([][]Group, len(queries))
	for i, q := range queries {
		want[i] = Expand(Tokens(q), testSynonyms)
		if want[i] == nil {
			want[i] = []Group{}
		}
	}
	input, _ := json.Marshal(map[string]any{"queries": queries, "syn": synonymTokens(testSynonyms)})
	script := `
const input = JSON.parse(process.argv[2]);
global.window = {}; global.document = { getElementById: () => null };
for (const f of ["stem", "search-index", "search-query"]) require(process.argv[1] + "/" + f + ".js");
const PS = window.PostmortemSearch;
console.log(JSON.stringify(input.queries.map(q => PS.expand(PS.tokens(q), input.syn))));`
	out, err := exec.Command(node, "-e", script, mustAbs(t, "../../themes/default/assets"), string(input)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got [][]Group
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for i, q := range queries {
		if i >= len(got) || !reflect.DeepEqual(got[i], want[i]) {
			var g any
			if i < len(got) {
				g = got[i]
			}
			t.Errorf("%q: search-query.js %v, Expand %v", q, g, want[i])
		}
	}
}
