package search

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os/exec"
	"regexp"
	"slices"
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
	node := nodeJS(t)
	words := []string{"Café", "résumé", "ÉCHEC", "İstanbul", "straße", "naïve", "e\u0301lan", "日本語", "x²y", "ⅫⅡ", "がぎ", "한국어", "हिन्दी", "ΟΔΟΣ", "Ωmega", "x—y", "a\u2028b"}
	// Every Latin, Greek and Cyrillic letter, in lower and upper case: Go folds them
	// with a table, the page with Unicode's decompositions.
	for _, r := range [][2]rune{{0xc0, 0x24f}, {0x370, 0x4ff}, {0x1e00, 0x1fff}} {
		for c := r[0]; c <= r[1]; c++ {
			words = append(words, "ab"+string(c)+"cd")
		}
	}
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

// decodeNums reads the numbers of a term's entry (see appendNum).
func decodeNums(t *testing.T, s string) []int {
	t.Helper()
	var out []int
	v := 0
	for i := 0; i < len(s); i++ {
		d := strings.IndexByte(digits, s[i])
		if d < 0 {
			t.Fatalf("%q: not a digit at %d", s, i)
		}
		v = v*32 + d&31
		if d < 32 {
			out = append(out, v)
			v = 0
		}
	}
	return out
}

// index decodes the files of an index: term -> doc id -> weighted
// frequency, and the meta table.
func index(t *testing.T, files []File) (map[string]map[int]int, Meta) {
	t.Helper()
	postings := map[string]map[int]int{}
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
				if _, dup := postings[term]; dup {
					t.Errorf("term %q in two shards", term)
				}
				nums := decodeNums(t, list)
				if len(nums)%2 != 0 {
					t.Fatalf("term %q: odd count of numbers %v", term, nums)
				}
				postings[term] = map[int]int{}
				id := 0
				for k := 0; k < len(nums); k += 2 {
					id += nums[k]
					postings[term][id] = nums[k+1]
				}
			}
		}
	}
	return postings, m
}

func TestIndexFormat(t *testing.T) {
	files := NewIndexer().Build(docs())
	postings, m := index(t, files)
	// certificate: doc a title (3) + root cause (3) + body (1); b body (1); c root cause (3).
	if got, want := postings["certificate"], map[int]int{0: 7, 1: 1, 2: 3}; !maps.Equal(got, want) {
		t.Errorf("certificate postings %v, want %v", got, want)
	}
	// Stemming: "Failures" and "failed" are indexed as "failure" and "fail".
	if _, ok := postings["failure"][1]; !ok {
		t.Error(`"Failures" in doc b is not indexed as "failure"`)
	}
	if _, ok := postings["fail"][2]; !ok {
		t.Error(`"failed" in doc c is not indexed as "fail"`)
	}
	if m.N != 3 || !slices.Equal(m.Values["severity"], []string{"SEV1", "SEV2", "SEV3"}) ||
		!slices.Equal(m.Values["root_cause"], []string{"capacity", "dns", "expired-certificate"}) ||
		!slices.Equal(m.Values["year"], []string{"2023", "2024"}) {
		t.Errorf("meta values: %+v", m.Values)
	}
	// Root causes: a has expired-certificate (3), b capacity (1), c dns and expired-certificate (2, 3).
	if m.Cols["root_cause"] != "3.1.23" {
		t.Errorf("root cause column %q", m.Cols["root_cause"])
	}
	// Days from the first, c's: a is 366 days later, b 337.
	if m.Day0 != epochDay(docs()[2].Date) || m.Width["day"] != 2 || m.Cols["day"] != string(appendCode(appendCode(nil, 366, 2), 337, 2))+"00" {
		t.Errorf("day column %q from %d", m.Cols["day"], m.Day0)
	}
	if m.Cols["duration"] != string(appendCode(appendCode(appendCode(nil, 90, 2), 0, 2), 300, 2)) {
		t.Errorf("duration column %q", m.Cols["duration"])
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

func TestPackedNumbers(t *testing.T) {
	for _, v := range []int{0, 1, 31, 32, 1000, 1 << 20} {
		if got := decodeNums(t, string(appendNum(nil, v))); !slices.Equal(got, []int{v}) {
			t.Errorf("appendNum(%d) reads back as %v", v, got)
		}
	}
	for _, tc := range []struct{ minutes, atLeast, atMost int }{{0, 0, 0}, {125, 125, 125}, {2047, 2047, 2047}, {3000, 2970, 3000}, {1 << 30, 60000, 1 << 30}} {
		if got := unpackDuration(packDuration(tc.minutes)); got < tc.atLeast || got > tc.atMost {
			t.Errorf("duration %d min reads back as %d", tc.minutes, got)
		}
	}
}

func TestDeterministicAndIncremental(t *testing.T) {
	ds := synthetic(300)
	fresh := NewIndexer().Build(ds)
	again := NewIndexer().Build(ds)
	if !equalFiles(fresh, again) {
		t.Fatal("two builds of the same docs differ")
	}
	// One indexer through a series of edits, each build compared with a
	// fresh indexer's.
	ix := NewIndexer()
	ix.Build(ds)
	edits := []struct {
		name string
		edit func([]Doc) []Doc
	}{
		{"a title", func(d []Doc) []Doc { d[7].Title = "A brand new title"; return d }},
		{"new words only", func(d []Doc) []Doc { d[300-1].Text = "zyzzyva quokka"; d[300-1].Title = "Zyzzyva"; return d }},
		{"those words gone again", func(d []Doc) []Doc { d[300-1].Text = "latency"; d[300-1].Title = "Latency"; return d }},
		{"facets", func(d []Doc) []Doc { d[3].RootCauses = []string{"dns", "new-cause"}; d[3].Severity = ""; return d }},
		{"a date", func(d []Doc) []Doc { d[7].Date = d[7].Date.AddDate(-9, 0, 0); return d }},
		{"a duration", func(d []Doc) []Doc { d[3].DurationMinutes = 5000; return d }},
		{"a severity's rank", func(d []Doc) []Doc { d[300-1].SeverityRank = 9; return d }},
		{"a body grown", func(d []Doc) []Doc { d[3].Text = strings.Repeat(d[3].Text, 3); return d }},
		{"words swapped", func(d []Doc) []Doc { d[7].Text = strings.Replace(d[7].Text, " ", " quokka ", 1); return d }},
		{"a doc removed", func(d []Doc) []Doc { return append(d[:20:20], d[21:]...) }},
		{"after the removal", func(d []Doc) []Doc { d[7].Services = []string{"svc-new"}; return d }},
		{"a doc added", func(d []Doc) []Doc { return append(d, Doc{Title: "Added", Text: "quokka again", Date: d[0].Date}) }},
		{"unchanged", func(d []Doc) []Doc { return d }},
	}
	for k, e := range edits {
		ds = e.edit(slices.Clone(ds))
		for i := range ds {
			if i == 7 || i == 3 || i >= len(ds)-1 {
				ds[i].Hash = uint64(1e6 + 1000*k + i) // changed docs get new hashes
			}
		}
		inc, fresh := ix.Build(ds), NewIndexer().Build(ds)
		if !equalFiles(inc, fresh) {
			t.Errorf("after %s: an incremental build differs from a fresh one", e.name)
		}
		if !slices.IsSortedFunc(fresh, func(a, b File) int { return strings.Compare(a.Path, b.Path) }) {
			t.Errorf("after %s: the files are not sorted by path", e.name)
		}
	}
}

func TestEntrySize(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, term := range []string{"a", "latency", "straße", "日本語", `q"<&>`} {
		var ps []posting
		for id := r.IntN(50); id < 5000; id += 1 + r.IntN(400) {
			ps = append(ps, posting{int32(id), int32(1 + r.IntN(3000))})
		}
		var chs []chunk
		for lo := 0; lo < len(ps); {
			hi := lo + 1
			for hi < len(ps) && ps[hi].id/chunkSize == ps[lo].id/chunkSize {
				hi++
			}
			chs = append(chs, encodeChunk(int(ps[lo].id)/chunkSize, ps[lo:hi]))
			lo = hi
		}
		if got, want := entrySize(term, chs), len(appendEntry(nil, term, chs)); got != want {
			t.Errorf("entrySize(%q) = %d, the entry has %d bytes", term, got, want)
		}
	}
}

func TestDecimalOrder(t *testing.T) {
	for _, n := range []int{0, 1, 9, 10, 11, 99, 100, 101, 1234} {
		want := make([]string, n)
		for i := range want {
			want[i] = fmt.Sprint(i, ".js")
		}
		slices.Sort(want)
		var got []string
		for _, i := range decimalOrder(n) {
			got = append(got, fmt.Sprint(i, ".js"))
		}
		if !slices.Equal(got, want) {
			t.Errorf("decimalOrder(%d) = %v, want %v", n, got, want)
		}
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

// synthetic makes n postmortems of about 2.7 KB of text each, their words
// drawn from a vocabulary of 20,000 made-up words by Zipf's law, as in
// English.
func synthetic(n int) []Doc {
	r := rand.New(rand.NewPCG(7, 7))
	syll := strings.Fields("ba ce di fo gu la me ni po ru sa te vi zo ka re lin tor mer sen dal ver con pro ex qui")
	vocab := strings.Fields("the a of to and in was at for latency error rate saturation backlog rollback canary failover runbook dashboard pager alert threshold quorum leader election heartbeat checksum migration snapshot index")
	for len(vocab) < 20000 {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syll[r.IntN(len(syll))])
		}
		vocab = append(vocab, b.String())
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	word := func() string { return vocab[zipf.Uint64()] }
	causes := []string{"dns", "capacity", "misconfiguration", "bad-deploy", "expired-certificate"}
	out := make([]Doc, n)
	for i := range out {
		var text strings.Builder
		for text.Len() < 2700 {
			w := word()
			text.WriteString(strings.ToUpper(w[:1]) + w[1:])
			for range 6 + r.IntN(12) {
				text.WriteString(" " + word())
			}
			text.WriteString(". ")
		}
		out[i] = Doc{Hash: uint64(i + 1), Slug: fmt.Sprint("p", i), URL: fmt.Sprintf("incidents/p%d.html", i),
			Title: word() + " " + word() + " " + word(), Date: time.Date(2020, 1, 1+i%1500, 0, 0, 0, 0, time.UTC),
			Severity: fmt.Sprint("SEV", 1+r.IntN(4)), Status: "final", RootCauses: []string{causes[r.IntN(len(causes))]},
			Services: []string{fmt.Sprint("svc", r.IntN(60))}, DurationMinutes: r.IntN(600), Text: text.String()}
		out[i].SeverityRank = int(out[i].Severity[3] - '0')
	}
	return out
}

// BenchmarkBuild10k builds the index of 10,000 postmortems and reports its
// size: all files, meta.js, the largest shard, and the most a one-word
// query loads (meta.js, the shard of the word, ten fragments).
func BenchmarkBuild10k(b *testing.B) {
	ds := synthetic(10000)
	var files []File
	for b.Loop() {
		files = NewIndexer().Build(ds)
	}
	var total, metaSize, shard, frag int
	for _, f := range files {
		total += len(f.Data)
		switch {
		case f.Path == "search/meta.js":
			metaSize = len(f.Data)
		case strings.HasPrefix(f.Path, "search/t/"):
			shard = max(shard, len(f.Data))
		case strings.HasPrefix(f.Path, "search/f/"):
			frag = max(frag, len(f.Data))
		}
	}
	b.ReportMetric(float64(total), "index-B")
	b.ReportMetric(float64(metaSize), "meta-B")
	b.ReportMetric(float64(shard), "max-shard-B")
	b.ReportMetric(float64(metaSize+shard+10*frag), "max-query-B")
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

func TestJSONStrings(t *testing.T) {
	for _, s := range []string{"", "plain", `"quoted" \ back`, "<script>alert(1)</script> & co", "tab\tnew\nline\x01", "line\u2028para\u2029", "é日本", "bad\xffutf8"} {
		got := appendJSONString(nil, s)
		want, _ := json.Marshal(s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != strings.ToValidUTF8(s, "\uFFFD") {
			t.Errorf("%q written as %s reads back as %q (%v)", s, got, back, err)
		}
		if strings.ContainsAny(string(got), "<>&\u2028\u2029") {
			t.Errorf("%q written as %s, json.Marshal writes %s", s, got, want)
		}
	}
}
