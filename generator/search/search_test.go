package search

import (
	"encoding/json"
	"fmt"
	"github.com/postmortem/postmortem/generator/browser"
	"maps"
	"math/bits"
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

// TestStemMatchesJS runs the stemmer and tokenizer of search.js in Node and
// wants the same terms as Go's, the compound terms too.
func TestStemMatchesJS(t *testing.T) {
	node := browser.Node(t)
	words := []string{"Café", "résumé", "ÉCHEC", "İstanbul", "straße", "naïve", "e\u0301lan", "日本語", "x²y", "ⅫⅡ", "がぎ", "한국어", "हिन्दी", "ΟΔΟΣ", "Ωmega", "x—y", "a\u2028b",
		"payments-gateway", "v2.1.3.", "Auth_DB/Café-Größe", "a--b", "-x-", "e.g. x", "a. b", "日本-語", "x—y-z"}
	// Every Latin, Greek and Cyrillic letter, in lower and upper case: Go folds them
	// with a table, the page with Unicode's decompositions.
	for _, r := range [][2]rune{{0xc0, 0x24f}, {0x370, 0x4ff}, {0x1e00, 0x1fff}} {
		for c := r[0]; c <= r[1]; c++ {
			words = append(words, "ab"+string(c)+"cd")
		}
	}
	for w := range porter2Cases {
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
require(process.argv[1] + "/stem.js");
require(process.argv[1] + "/search-index.js");
require(process.argv[1] + "/search-query.js");
require(process.argv[1] + "/search.js");
const words = JSON.parse(process.argv[2]);
const PS = window.PostmortemSearch;
console.log(JSON.stringify(words.map(w => PS.tokens(w).map(PS.stem).concat(...PS.internal.compounds(w)).join(" "))));`
	out, err := exec.Command(node, "-e", script, mustAbs(t, "../../themes/default/assets"), string(input)).CombinedOutput()
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
			Text: textOf("The TLS certificate of the payment callback expired at midnight.")},
		{Hash: 2, Slug: "b", URL: "incidents/b.html", Title: "Slow search", Date: day.AddDate(0, -1, 0), Severity: "SEV3", SeverityRank: 3,
			Status: "review", RootCauses: []string{"capacity"}, ContributingFactors: []string{"alert-fatigue"}, Services: []string{"search"},
			Text: textOf("Search was slow. A certificate was mentioned once in passing. Failures of the cache.")},
		{Hash: 3, Slug: "c", URL: "incidents/c.html", Title: "DNS outage", Date: day.AddDate(-1, 0, 0), Severity: "SEV2", SeverityRank: 2,
			Status: "final", RootCauses: []string{"dns", "expired-certificate"}, Services: []string{"web", "checkout"}, DurationMinutes: 300,
			Text: textOf("Resolvers failed. The failure spread to every service.")},
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

// row is what the index says of one document: the meta table, its facets,
// day and duration; the postings, its packed length; meta.js, the file of
// its card.
type row struct {
	values               map[string][]string // by facet
	day, duration, lengh int
	file                 string // the path of its group's cards
}

// index decodes the files of an index: term -> doc id -> weighted
// frequency, the table of contents, and the meta table by doc id.
func index(t *testing.T, files []File) (map[string]map[int]int, Meta, map[int]row) {
	t.Helper()
	postings := map[string]map[int]int{}
	var m Meta
	rows := map[int]row{}
	shardRE := regexp.MustCompile(`^PostmortemSearch\.shard\("([^"]+)",(\{.*\})\);\n$`)
	read := func(f File, fn string, v any) {
		data := strings.TrimSuffix(strings.TrimPrefix(string(f.Data), "PostmortemSearch."+fn+"("), ");\n")
		if err := json.Unmarshal([]byte(data), v); err != nil {
			t.Fatalf("%s: %v", f.Path, err)
		}
	}
	num := func(s string, k, w int) int {
		v := 0
		for _, c := range s[k*w : (k+1)*w] {
			v = v*64 + strings.IndexRune(digits, c)
		}
		return v
	}
	for _, f := range files {
		if f.Path == "search/meta.js" {
			read(f, "meta", &m)
		}
	}
	lengths := map[int]int{}
	dense := map[string]denseRef{}
	for _, f := range files {
		if f.Path != "search/meta.js" {
			// Every other file is named by its content; the files of the
			// groups, as meta.js lists them.
			name := strings.TrimSuffix(f.Path[strings.LastIndex(f.Path, "/")+1:], ".js")
			name = name[strings.Index(name, ".")+1:] // after the group or part, if any
			if dir, rest, _ := strings.Cut(strings.TrimPrefix(f.Path, "search/"), "/"); dir == "f" || dir == "x" {
				g, _ := strconv.ParseInt(rest[:strings.Index(rest, ".")], 36, 64)
				gs := m.Cards
				if dir == "x" {
					gs = m.Texts
				}
				w := gs.Width
				if name != contentName(f.Data, len(name)) || int(g+1)*w > len(gs.Names) || gs.Names[int(g)*w:int(g+1)*w] != name {
					t.Errorf("%s: not the name meta.js gives its group", f.Path)
				}
			} else if name != contentName(f.Data, len(name)) {
				t.Errorf("%s: the name is not of the content", f.Path)
			}
		}
		switch {
		case strings.HasPrefix(f.Path, "search/m/"):
			var r Rows
			read(f, "rows", &r)
			id := 0
			for k, gap := range decodeNums(t, r.IDs) {
				id += gap
				g, w := id>>m.Cards.Shift, m.Cards.Width
				rw := row{values: map[string][]string{}, day: r.Day0 + num(r.Cols["day"], k, r.Width["day"]),
					duration: unpackDuration(num(r.Cols["duration"], k, 2)),
					file:     "search/f/" + strconv.FormatInt(int64(g), 36) + "." + m.Cards.Names[g*w:(g+1)*w] + ".js"}
				for _, fc := range facets {
					if fc.Day {
						continue
					}
					codes := r.Cols[fc.Key]
					w := r.Width[fc.Key]
					if fc.Multi {
						codes = strings.Split(codes, ".")[k]
					} else {
						codes = codes[k*w : (k+1)*w]
					}
					for j := 0; j < len(codes); j += w {
						if c := num(codes[j:j+w], 0, w); c > 0 {
							rw.values[fc.Key] = append(rw.values[fc.Key], r.Values[fc.Key][c-1])
						}
					}
				}
				rows[id] = rw
			}
		case strings.HasPrefix(f.Path, "search/t/"):
			sm := shardRE.FindStringSubmatch(string(f.Data))
			if sm == nil {
				t.Fatalf("%s: not a shard: %.80s", f.Path, f.Data)
			}
			var entries map[string]json.RawMessage
			if err := json.Unmarshal([]byte(sm[2]), &entries); err != nil {
				t.Fatal(err)
			}
			terms := map[string]string{}
			for term, e := range entries {
				var list string
				if json.Unmarshal(e, &list) == nil {
					terms[term] = list
					continue
				}
				// A dense term: its best postings, the file of the rest, its
				// count, and the frequency and length of the rest.
				var d []any
				if err := json.Unmarshal(e, &d); err != nil || len(d) != 5 {
					t.Fatalf("%s: entry of %q: %s", f.Path, term, e)
				}
				terms[term] = d[0].(string)
				dense[term] = denseRef{"search/r/" + d[1].(string) + ".js", int(d[2].(float64)), int(d[3].(float64))}
			}
			at := slices.Index(strings.Fields(m.Shards.Keys), sm[1])
			if at < 0 || m.Shards.Names[at*shardName:(at+1)*shardName] != strings.TrimSuffix(strings.TrimPrefix(f.Path, "search/t/"), ".js") {
				t.Errorf("%s is not in meta.js", f.Path)
			}
			for term, list := range terms {
				if !strings.HasPrefix(term, sm[1]) {
					t.Errorf("term %q in shard %q", term, sm[1])
				}
				if _, dup := postings[term]; dup {
					t.Errorf("term %q in two shards", term)
				}
				// Each posting: the gap, the frequency times 16 plus the
				// length less LengthFrom, or plus 15 and then the length.
				nums := decodeNums(t, list)
				postings[term] = map[int]int{}
				id := 0
				for k := 0; k < len(nums); {
					if k+1 >= len(nums) || nums[k+1]&15 == 15 && k+2 >= len(nums) {
						t.Fatalf("term %q: a posting cut short: %v", term, nums[k:])
					}
					id += nums[k]
					tf, length := nums[k+1]>>4, nums[k+1]&15+m.LengthFrom
					k += 2
					if length == 15+m.LengthFrom {
						length = nums[k]
						k++
					}
					postings[term][id] = tf
					if l, ok := lengths[id]; ok && l != length {
						t.Errorf("doc %d: length %d in the postings of %q, %d in others", id, length, term, l)
					}
					lengths[id] = length
				}
			}
		}
	}
	for id, r := range rows {
		r.lengh = lengths[id]
		rows[id] = r
	}
	// The rest of each dense term, its frequency the one of its entry.
	restRE := regexp.MustCompile(`^PostmortemSearch\.(rest|restBits)\(("[^"]+"),"([^"]*)"\);\n$`)
	for term, d := range dense {
		var rest *File
		for k := range files {
			if files[k].Path == d.file {
				rest = &files[k]
			}
		}
		if rest == nil {
			t.Fatalf("term %q: no file %s", term, d.file)
		}
		sm := restRE.FindStringSubmatch(string(rest.Data))
		if sm == nil || sm[2] != strconv.Quote(term) {
			t.Fatalf("%s: not the rest of %q: %.80s", d.file, term, rest.Data)
		}
		var ids []int
		if sm[1] == "rest" {
			id := 0
			for _, gap := range decodeNums(t, sm[3]) {
				id += gap
				ids = append(ids, id)
			}
		} else {
			for i, c := range sm[3] {
				for b := range 6 {
					if strings.IndexRune(digits, c)>>b&1 == 1 {
						ids = append(ids, 6*i+b)
					}
				}
			}
		}
		for _, id := range ids {
			if _, dup := postings[term][id]; dup {
				t.Errorf("term %q: doc %d in its best postings and its rest", term, id)
			}
			postings[term][id] = d.tf
		}
		if len(postings[term]) != d.count {
			t.Errorf("term %q: %d postings, its entry says %d", term, len(postings[term]), d.count)
		}
	}
	return postings, m, rows
}

// denseRef is what the entry of a dense term says of the rest.
type denseRef struct {
	file      string
	count, tf int
}

func TestIndexFormat(t *testing.T) {
	ds := docs()
	files := NewIndexer().Build(ds, Options{})
	postings, m, rows := index(t, files)
	ids, _ := assignIDs(ds)
	a, b, c := int(ids[0]), int(ids[1]), int(ids[2])
	// certificate: doc a title (3) + root cause (3) + body (1); b body (1); c root cause (3).
	if got, want := postings["certif"], map[int]int{a: 7, b: 1, c: 3}; !maps.Equal(got, want) {
		t.Errorf("certificate postings %v, want %v", got, want)
	}
	// Stemming: "Failures" and "failed" are indexed as "failur" and "fail".
	if _, ok := postings["failur"][b]; !ok {
		t.Error(`"Failures" in doc b is not indexed as "failur"`)
	}
	if _, ok := postings["fail"][c]; !ok {
		t.Error(`"failed" in doc c is not indexed as "fail"`)
	}
	if m.N != 3 || !slices.Equal(m.Values["severity"], []string{"SEV1", "SEV2", "SEV3"}) ||
		!slices.Equal(m.Values["root_cause"], []string{"capacity", "dns", "expired-certificate"}) ||
		!slices.Equal(m.Values["year"], []string{"2023", "2024"}) {
		t.Errorf("meta values: %+v", m.Values)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows in the meta table, want 3", len(rows))
	}
	for k, id := range []int{a, b, c} {
		d, r := ds[k], rows[id]
		if !slices.Equal(r.values["root_cause"], d.RootCauses) || !slices.Equal(r.values["service"], d.Services) ||
			!slices.Equal(r.values["severity"], nonEmpty(d.Severity)) || !slices.Equal(r.values["status"], nonEmpty(d.Status)) ||
			!slices.Equal(r.values["contributing_factor"], d.ContributingFactors) {
			t.Errorf("doc %s: facets %v", d.Slug, r.values)
		}
		if r.day != epochDay(d.Date) || r.duration != d.DurationMinutes {
			t.Errorf("doc %s: day %d, duration %d", d.Slug, r.day, r.duration)
		}
		var cards string
		for _, f := range files {
			if f.Path == r.file {
				cards = string(f.Data)
			}
		}
		if !strings.HasPrefix(cards, "PostmortemSearch.cards(") || !strings.Contains(cards, `"`+strconv.Itoa(id)+`":[`+strconv.Quote(d.Title)+`,"`+strings.TrimSuffix(strings.TrimPrefix(d.URL, m.URL[0]), m.URL[1])+`"`) {
			t.Errorf("card of %s at %s: %s", d.Slug, r.file, cards)
		}
		if want := packLength(len(Tokens(d.Title + " " + strings.Join(d.RootCauses, " ") + " " + strings.Join(d.ContributingFactors, " ") + " " +
			strings.Join(d.Services, " ") + " " + d.Severity + " " + d.Text()))); r.lengh != want {
			t.Errorf("doc %s: packed length %d in the postings, want %d", d.Slug, r.lengh, want)
		}
	}
	if fs := m.Facets; len(fs) != 6 || fs[1] != (Facet{Key: "root_cause", Multi: true}) || fs[4] != (Facet{Key: "year", Day: true}) {
		t.Errorf("facets in meta.js: %+v", fs)
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

// TestBuiltOnce wants an index built once (Options.Once) to have the files
// of one that may be built again, and the indexer that built it to build
// the next in full, the same as a fresh one.
// TestTextsOneDigitAWord: in a file of texts, a word whose term is among
// the 80 most frequent of its group takes one digit, so that a query of a
// phrase loads less; the rarer take more, and each reads back as itself.
func TestTextsOneDigitAWord(t *testing.T) {
	var words []string
	for k := range 80 {
		words = append(words, "w"+strconv.Itoa(k)+"x")
	}
	day := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	text := strings.Join(words, " ")
	ds := []Doc{{Hash: 1, Slug: "a", URL: "incidents/a.html", Title: words[0], Date: day, Text: textOf(text + " " + text)}}
	var codes map[string]string
	for _, f := range NewIndexer().Build(ds, Options{}) {
		if strings.HasPrefix(f.Path, "search/x/") {
			_, codes = readTexts(t, f.Path, f.Data)
		}
	}
	// The title's word, then the text's 160, all of 80 terms.
	if len(codes) != 1 {
		t.Fatalf("texts of %d documents, want 1", len(codes))
	}
	for _, c := range codes {
		if len(c) != 161 {
			t.Errorf("161 words of 80 terms written in %d digits, want 161: %q", len(c), c)
		}
	}
	var all []byte
	for v := range 13000 {
		b := appendTextNum(nil, v)
		if want := 1 + min(1, v/80) + min(1, v/1040) + min(1, v/12560); len(b) != want {
			t.Errorf("appendTextNum(%d) = %q, %d digits, want %d", v, b, len(b), want)
		}
		all = append(all, b...)
	}
	if strings.ContainsAny(string(all), `"\`) {
		t.Error("the texts' digits need escaping in a JSON string")
	}
}

// readTexts reads a file of texts, PostmortemSearch.texts(G,[term,...],{"ID":"CODES",...}).
func readTexts(t *testing.T, name string, data []byte) (terms []string, codes map[string]string) {
	t.Helper()
	s, ok := strings.CutPrefix(string(data), "PostmortemSearch.texts(")
	s, ok2 := strings.CutSuffix(s, ");\n")
	var g int
	if !ok || !ok2 || json.Unmarshal([]byte("["+s+"]"), &[]any{&g, &terms, &codes}) != nil {
		t.Fatalf("%s: not a file of texts: %.80s", name, data)
	}
	return terms, codes
}

func TestBuiltOnce(t *testing.T) {
	withDense(t, 60, 20) // a build that runs once keeps no chunks of these
	ds := synthetic(300)
	ix := NewIndexer()
	if once, want := ix.Build(ds, Options{Once: true}), NewIndexer().Build(ds, Options{}); !equalFiles(once, want) {
		t.Fatal("an index built once differs")
	}
	ds = slices.Clone(ds)
	ds[7].Text, ds[7].Hash = textOf("quokka "+ds[7].Text()), 99
	if got, want := ix.Build(ds, Options{}), NewIndexer().Build(ds, Options{}); !equalFiles(got, want) {
		t.Error("the build after one built once differs from a fresh one")
	}
}

func TestDeterministicAndIncremental(t *testing.T) {
	withDense(t, 60, 20) // words in most documents split, see denseFrom
	ds := synthetic(300)
	fresh := NewIndexer().Build(ds, Options{})
	again := NewIndexer().Build(ds, Options{})
	if !equalFiles(fresh, again) {
		t.Fatal("two builds of the same docs differ")
	}
	// One indexer through a series of edits, each build compared with a
	// fresh indexer's.
	ix := NewIndexer()
	ix.Build(ds, Options{})
	edits := []struct {
		name string
		edit func([]Doc) []Doc
	}{
		{"a title", func(d []Doc) []Doc { d[7].Title = "A brand new title"; return d }},
		{"new words only", func(d []Doc) []Doc { d[300-1].Text = textOf("zyzzyva quokka"); d[300-1].Title = "Zyzzyva"; return d }},
		{"those words gone again", func(d []Doc) []Doc { d[300-1].Text = textOf("latency"); d[300-1].Title = "Latency"; return d }},
		{"facets", func(d []Doc) []Doc { d[3].RootCauses = []string{"dns", "new-cause"}; d[3].Severity = ""; return d }},
		{"a date", func(d []Doc) []Doc { d[7].Date = d[7].Date.AddDate(-9, 0, 0); return d }},
		{"a duration", func(d []Doc) []Doc { d[3].DurationMinutes = 5000; return d }},
		{"a severity's rank", func(d []Doc) []Doc { d[300-1].SeverityRank = 9; return d }},
		{"a body grown", func(d []Doc) []Doc { d[3].Text = textOf(strings.Repeat(d[3].Text(), 3)); return d }},
		{"words swapped", func(d []Doc) []Doc { d[7].Text = textOf(strings.Replace(d[7].Text(), " ", " quokka ", 1)); return d }},
		{"a doc removed", func(d []Doc) []Doc { return append(d[:20:20], d[21:]...) }},
		{"after the removal", func(d []Doc) []Doc { d[7].Services = []string{"svc-new"}; return d }},
		{"a doc added", func(d []Doc) []Doc {
			return append(d, Doc{Title: "Added", Text: textOf("quokka again"), Date: d[0].Date})
		}},
		{"unchanged", func(d []Doc) []Doc { return d }},
	}
	for k, e := range edits {
		ds = e.edit(slices.Clone(ds))
		for i := range ds {
			if i == 7 || i == 3 || i >= len(ds)-1 {
				ds[i].Hash = uint64(1e6 + 1000*k + i) // changed docs get new hashes
			}
		}
		inc, fresh := ix.Build(ds, Options{}), NewIndexer().Build(ds, Options{})
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
			shift := chunkShift(13)
			for hi < len(ps) && ps[hi].id>>shift == ps[lo].id>>shift {
				hi++
			}
			chs = append(chs, encodeChunk(ps[lo:hi], shift))
			lo = hi
		}
		if got, want := entrySize(term, chs), len(appendEntry(nil, term, chs)); got != want {
			t.Errorf("entrySize(%q) = %d, the entry has %d bytes", term, got, want)
		}
	}
}

func equalFiles(a, b []File) bool {
	return slices.EqualFunc(a, b, func(x, y File) bool { return x.Path == y.Path && string(x.Data) == string(y.Data) })
}

func TestShardsSplitLargePrefixes(t *testing.T) {
	files := NewIndexer().Build(synthetic(3000), Options{})
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
			Services: []string{fmt.Sprint("svc", r.IntN(60))}, DurationMinutes: r.IntN(600), Text: textOf(text.String())}
		out[i].SeverityRank = int(out[i].Severity[3] - '0')
	}
	return out
}

// BenchmarkBuild10k builds the index of 10,000 postmortems and reports its
// size: all files, meta.js, the meta table (its parts), the largest shard,
// and the most a one-word query loads (meta.js, the shard of the word, ten
// files of cards).
func BenchmarkBuild10k(b *testing.B) {
	ds := synthetic(10000)
	var files []File
	for b.Loop() {
		files = NewIndexer().Build(ds, Options{})
	}
	var total, metaSize, table, shard, cards int
	for _, f := range files {
		total += len(f.Data)
		switch {
		case f.Path == "search/meta.js":
			metaSize = len(f.Data)
		case strings.HasPrefix(f.Path, "search/m/"):
			table += len(f.Data)
		case strings.HasPrefix(f.Path, "search/t/"):
			shard = max(shard, len(f.Data))
		case strings.HasPrefix(f.Path, "search/f/"):
			cards = max(cards, len(f.Data))
		}
	}
	b.ReportMetric(float64(total), "index-B")
	b.ReportMetric(float64(metaSize), "meta-B")
	b.ReportMetric(float64(table), "table-B")
	b.ReportMetric(float64(shard), "max-shard-B")
	b.ReportMetric(float64(metaSize+shard+10*cards), "max-query-B")
}

func BenchmarkRebuildOneChanged10k(b *testing.B) {
	ds := synthetic(10000)
	ix := NewIndexer()
	ix.Build(ds, Options{})
	for i := 0; b.Loop(); i++ {
		ds[5].Text = textOf(ds[5].Text() + " more")
		ds[5].Hash = uint64(1e9 + i)
		ix.Build(ds, Options{})
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

// textOf returns a Doc's Text that gives s.
func textOf(s string) func() string { return func() string { return s } }

// TestBodyEditKeepsMetaPart wants the part of the meta table that holds a
// document kept, not made again, when only its text changed, and made
// again when one of its facets did.
func TestBodyEditKeepsMetaPart(t *testing.T) {
	ds := synthetic(300)
	ix := NewIndexer()
	ix.Build(ds, Options{})
	ids, _ := assignIDs(ds)
	part := int(ids[5]) >> (ix.bits - bits.Len(metaParts-1))
	made := &ix.metas[part].file.Data[0]
	ds[5].Text, ds[5].Hash = textOf(ds[5].Text()+" quokka"), 1e9
	ix.Build(ds, Options{})
	if &ix.metas[part].file.Data[0] != made {
		t.Error("a body edit made the part of the meta table again")
	}
	ds[5].Services, ds[5].Hash = []string{"svc-moved"}, 1e9+1
	ix.Build(ds, Options{})
	if &ix.metas[part].file.Data[0] == made || !strings.Contains(string(ix.metas[part].file.Data), "svc-moved") {
		t.Error("an edit of a facet left the part of the meta table as it was")
	}
}
