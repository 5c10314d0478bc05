package search

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	for in, want := range map[string]string{
		"Expired TLS certificate!":   "expired tls certificate",
		"Café résumé naïve Ångström": "cafe resume naive angstrom",
		"checkout-api 5xx; p99=1.2s": "checkout api 5xx p99 1 2s",
		"e\u0301lan":                 "elan", // combining accent
		"":                           "",
		"SEV1 — “quoted” ünïcödé words": "sev1 quoted unicode words",
	} {
		if got := strings.Join(Tokens(in), " "); got != want {
			t.Errorf("Tokens(%q) = %q, want %q", in, got, want)
		}
	}
}

var stemCases = map[string]string{
	"failures": "failure", "failure": "failure", "failed": "fail", "failing": "fail", "fails": "fail",
	"certificates": "certificate", "rotated": "rotate", "rotating": "rotate", "rotates": "rotate",
	"stopped": "stop", "replicas": "replica", "queries": "query", "classes": "class", "status": "status",
	"dns": "dns", "agreed": "agree", "red": "red", "running": "run", "filling": "fill", "analysis": "analysis",
}

func TestStem(t *testing.T) {
	for in, want := range stemCases {
		if got := Stem(in); got != want {
			t.Errorf("Stem(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStemMatchesJS runs the stemmer and tokenizer of search.js in Node and
// wants the same words as Go's.
func TestStemMatchesJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed: the JavaScript stemmer is not compared")
	}
	words := []string{"Café", "résumé"}
	for w := range stemCases {
		words = append(words, w)
	}
	r := rand.New(rand.NewPCG(1, 1))
	for range 300 {
		var b strings.Builder
		for range 4 + r.IntN(8) {
			b.WriteByte("abcdefgilnorstuyzes"[r.IntN(19)])
		}
		words = append(words, b.String())
	}
	slices.Sort(words)
	input, _ := json.Marshal(words)
	script := `
global.window = {}; global.document = { getElementById: () => null };
require(process.argv[1]);
const words = JSON.parse(process.argv[2]);
console.log(JSON.stringify(words.map(w => window.PostmortemSearch.tokens(w).map(window.PostmortemSearch.stem).join(" "))));`
	out, err := exec.Command(node, "-e", script, "../../themes/default/assets/search.js", string(input)).CombinedOutput()
	if err != nil {
		t.Fatalf("node: %v\n%s", err, out)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for i, w := range words {
		if want := strings.Join(Terms(w), " "); got[i] != want {
			t.Errorf("%q: JS gives %q, Go %q", w, got[i], want)
		}
	}
}

func docs() []Doc {
	day := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	return []Doc{
		{Hash: 1, Slug: "a", URL: "incidents/a.html", Title: "Checkout down after certificate expired", Date: day, Severity: "SEV1", SeverityRank: 1,
			Status: "final", RootCauses: []string{"expired-certificate"}, Services: []string{"checkout"}, DurationMinutes: 90,
			Text: "The TLS certificate of the payment callback expired at midnight."},
		{Hash: 2, Slug: "b", URL: "incidents/b.html", Title: "Slow search", Date: day.AddDate(0, -1, 0), Severity: "SEV3", SeverityRank: 3,
			Status: "review", RootCauses: []string{"capacity"}, ContributingFactors: []string{"alert-fatigue"}, Services: []string{"search"},
			Text: "Search was slow. A certificate was mentioned once in passing. Failures of the cache."},
		{Hash: 3, Slug: "c", URL: "incidents/c.html", Title: "DNS outage", Date: day.AddDate(-1, 0, 0), Severity: "SEV2", SeverityRank: 2,
			Status: "final", RootCauses: []string{"dns", "expired-certificate"}, Services: []string{"web", "checkout"}, DurationMinutes: 300,
			Text: "Resolvers failed. The failure spread to every service."},
	}
}

// index decodes the shard files of an index: term -> doc id -> weight.
func index(t *testing.T, files []File) (map[string]map[int]float64, Meta) {
	t.Helper()
	postings := map[string]map[int]float64{}
	var m Meta
	shardRE := regexp.MustCompile(`^PostmortemSearch\.shard\("([^"]+)",(\{.*\})\);\n$`)
	for _, f := range files {
		switch {
		case f.Path == "search/meta.js":
			data := strings.TrimSuffix(strings.TrimPrefix(string(f.Data), "PostmortemSearch.meta("), ");\n")
			if err := json.Unmarshal([]byte(data), &m); err != nil {
				t.Fatal(err)
			}
		case strings.HasPrefix(f.Path, "search/t/"):
			sm := shardRE.FindStringSubmatch(string(f.Data))
			if sm == nil {
				t.Fatalf("%s: not a shard: %.80s", f.Path, f.Data)
			}
			var terms map[string]string
			if err := json.Unmarshal([]byte(sm[2]), &terms); err != nil {
				t.Fatal(err)
			}
			for term, list := range terms {
				if !strings.HasPrefix(term, sm[1]) {
					t.Errorf("term %q in shard %q", term, sm[1])
				}
				postings[term] = map[int]float64{}
				id := 0
				for _, pair := range strings.Split(list, ",") {
					gap, w, _ := strings.Cut(pair, ":")
					g, _ := strconv.ParseInt(gap, 36, 64)
					wv, _ := strconv.ParseInt(w, 36, 64)
					id += int(g)
					postings[term][id] = float64(wv) / 10
				}
			}
		}
	}
	return postings, m
}

func TestIndexFormatAndRanking(t *testing.T) {
	files := NewIndexer().Build(docs())
	postings, m := index(t, files)
	// A word in the title and a root cause outranks the same word once in a body.
	cert := postings["certificate"]
	if len(cert) != 3 || !(cert[0] > cert[1]) || !(cert[2] > cert[1]) {
		t.Errorf("certificate postings %v: want all three, the body-only doc b lowest", cert)
	}
	// Stemming: "failures" and "failed" meet "failure" and "fail".
	if _, ok := postings["failure"][1]; !ok {
		t.Error(`"Failures" in doc b is not indexed as "failure"`)
	}
	if _, ok := postings["fail"][2]; !ok {
		t.Error(`"failed" in doc c is not indexed as "fail"`)
	}
	if m.N != 3 || !slices.Equal(m.Values["severity"], []string{"SEV1", "SEV2", "SEV3"}) || !slices.Equal(m.Values["root_cause"], []string{"capacity", "dns", "expired-certificate"}) {
		t.Errorf("meta values: %+v", m.Values)
	}
	// Column of root causes: doc a has expired-certificate (3), b capacity (1), c dns and expired-certificate (2, 3).
	if m.Cols["root_cause"] != "3.1.23" {
		t.Errorf("root cause column %q", m.Cols["root_cause"])
	}
	var frag string
	for _, f := range files {
		if f.Path == "search/f/0.js" {
			frag = string(f.Data)
		}
	}
	if !strings.Contains(frag, `"u":"incidents/a.html"`) || !strings.Contains(frag, `"t":"Checkout down after certificate expired"`) {
		t.Errorf("fragment 0: %s", frag)
	}
}

func TestDeterministicAndIncremental(t *testing.T) {
	ds := synthetic(300)
	fresh := NewIndexer().Build(ds)
	again := NewIndexer().Build(ds)
	if !equalFiles(fresh, again) {
		t.Fatal("two builds of the same docs differ")
	}
	ix := NewIndexer()
	ix.Build(ds)
	changed := slices.Clone(ds)
	changed[7].Title, changed[7].Hash = "A brand new title", 999999
	changed = append(changed[:20], changed[21:]...)
	if !equalFiles(ix.Build(changed), NewIndexer().Build(changed)) {
		t.Error("an incremental build differs from a fresh one")
	}
}

func equalFiles(a, b []File) bool {
	return slices.EqualFunc(a, b, func(x, y File) bool { return x.Path == y.Path && string(x.Data) == string(y.Data) })
}

func TestShardsSplitLargePrefixes(t *testing.T) {
	files := NewIndexer().Build(synthetic(3000))
	for _, f := range files {
		if strings.HasPrefix(f.Path, "search/t/") && len(f.Data) > 2*shardLimit && strings.Count(string(f.Data), `":"`) > 1 {
			t.Errorf("%s holds %d bytes over several terms", f.Path, len(f.Data))
		}
	}
}

func synthetic(n int) []Doc {
	r := rand.New(rand.NewPCG(7, 7))
	words := strings.Fields("latency error rate saturation backlog rollback canary failover runbook dashboard pager alert threshold quorum leader election heartbeat checksum migration snapshot index vacuum compaction eviction handshake resolver upstream downstream circuit breaker backoff jitter")
	causes := []string{"dns", "capacity", "misconfiguration", "bad-deploy", "expired-certificate"}
	out := make([]Doc, n)
	for i := range out {
		var text []string
		for range 400 {
			text = append(text, words[r.IntN(len(words))])
		}
		out[i] = Doc{Hash: uint64(i + 1), Slug: fmt.Sprint("p", i), URL: fmt.Sprintf("incidents/p%d.html", i),
			Title: words[r.IntN(len(words))] + " " + words[r.IntN(len(words))], Date: time.Date(2020, 1, 1+i%1500, 0, 0, 0, 0, time.UTC),
			Severity: fmt.Sprint("SEV", 1+r.IntN(4)), Status: "final", RootCauses: []string{causes[r.IntN(len(causes))]},
			Services: []string{fmt.Sprint("svc", r.IntN(60))}, DurationMinutes: r.IntN(600), Text: strings.Join(text, " ")}
		out[i].SeverityRank = int(out[i].Severity[3] - '0')
	}
	return out
}

func BenchmarkBuild10k(b *testing.B) {
	ds := synthetic(10000)
	for b.Loop() {
		NewIndexer().Build(ds)
	}
}

func BenchmarkRebuildOneChanged10k(b *testing.B) {
	ds := synthetic(10000)
	ix := NewIndexer()
	ix.Build(ds)
	for i := 0; b.Loop(); i++ {
		ds[5].Text += " more"
		ds[5].Hash = uint64(1e9 + i)
		ix.Build(ds)
	}
}
