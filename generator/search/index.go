package search

import (
	"encoding/json"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Doc is one postmortem as the search index sees it.
type Doc struct {
	Hash                                      uint64 // changes whenever a field below changes
	Slug, URL, Title                          string // URL relative to the site root
	Date                                      time.Time
	Severity                                  string
	SeverityRank                              int // 1 is the worst; 0 when unknown
	Status                                    string
	RootCauses, ContributingFactors, Services []string
	DurationMinutes                           int
	Summary                                   string
	Text                                      string // plain text of the body
}

// File is one file of the index, its Path relative to the site root.
type File struct {
	Path string
	Data []byte
}

// Field weights: a word in the title or a root cause counts more than one
// in the body.
const (
	titleWeight   = 3
	causeWeight   = 3
	factorWeight  = 2
	serviceWeight = 2
	summaryWeight = 1
	bodyWeight    = 1
	k1, b         = 1.2, 0.75
)

// Facets are the facet keys, in the order the search page shows them.
var Facets = []string{"severity", "root_cause", "contributing_factor", "service", "year", "status"}

// analysis is what one document contributes to the index.
type analysis struct {
	tf     map[string]float64 // weighted term frequencies
	length float64
}

func analyze(d *Doc) analysis {
	a := analysis{tf: map[string]float64{}}
	add := func(text string, w float64) {
		for _, t := range Terms(text) {
			a.tf[t] += w
			a.length += w
		}
	}
	add(d.Title, titleWeight)
	for _, c := range d.RootCauses {
		add(c, causeWeight)
	}
	for _, c := range d.ContributingFactors {
		add(c, factorWeight)
	}
	for _, s := range d.Services {
		add(s, serviceWeight)
	}
	add(d.Severity, 1)
	if !strings.Contains(d.Text, d.Summary) {
		add(d.Summary, summaryWeight)
	}
	add(d.Text, bodyWeight)
	return a
}

// Indexer builds the index and keeps each document's analysis and fragment
// between builds. It is not safe for concurrent use.
type Indexer struct {
	cache map[uint64]analysis
}

// NewIndexer returns an empty Indexer.
func NewIndexer() *Indexer { return &Indexer{cache: map[uint64]analysis{}} }

// Build returns every file of the index of docs, given in the order their
// ids follow, sorted by path. The output depends only on docs.
func (ix *Indexer) Build(docs []Doc) []File {
	as := make([]analysis, len(docs))
	var todo []int
	for i := range docs {
		if a, ok := ix.cache[docs[i].Hash]; ok {
			as[i] = a
		} else {
			todo = append(todo, i)
		}
	}
	parallel(len(todo), func(k int) { as[todo[k]] = analyze(&docs[todo[k]]) })
	fresh := make(map[uint64]analysis, len(docs))
	for i := range docs {
		fresh[docs[i].Hash] = as[i]
	}
	ix.cache = fresh

	shardFiles, keys := shards(as)
	files := append(shardFiles, File{"search/meta.js", meta(docs, keys)})
	frags := make([]File, len(docs))
	parallel(len(docs), func(i int) { frags[i] = fragment(i, &docs[i]) })
	files = append(files, frags...)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files
}

func parallel(n int, f func(int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				f(i)
			}
		}()
	}
	wg.Wait()
}

// shardLimit is about the most bytes one shard of postings holds: a shard
// over it is split by the next letter of its terms.
const shardLimit = 48 << 10

// shards writes the postings of every term: for each document the term is
// in, its id (as the gap from the previous id) and its BM25 weight times
// ten, in base 36. Terms are grouped into shards by prefix, at least two
// letters long, longer where a prefix holds too much; a term never spans
// shards. It returns the shard files and their prefixes, sorted.
func shards(as []analysis) ([]File, []string) {
	n := float64(len(as))
	var total float64
	postings := map[string][]int{}
	for i, a := range as {
		total += a.length
		for t := range a.tf {
			postings[t] = append(postings[t], i)
		}
	}
	avg := math.Max(total/math.Max(n, 1), 1)
	terms := make([]string, 0, len(postings))
	for t := range postings {
		terms = append(terms, t)
	}
	slices.Sort(terms)
	encoded := make([]string, len(terms))
	parallel(len(terms), func(j int) {
		t := terms[j]
		ids := postings[t]
		df := float64(len(ids))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		var sb strings.Builder
		writeJSONString(&sb, t)
		sb.WriteString(`:"`)
		prev := 0
		for x, id := range ids {
			a := as[id]
			tf := a.tf[t]
			w := idf * tf * (k1 + 1) / (tf + k1*(1-b+b*a.length/avg))
			if x > 0 {
				sb.WriteByte(',')
			}
			sb.WriteString(strconv.FormatInt(int64(id-prev), 36))
			sb.WriteByte(':')
			sb.WriteString(strconv.FormatInt(max(1, int64(math.Round(w*10))), 36))
			prev = id
		}
		sb.WriteByte('"')
		encoded[j] = sb.String()
	})
	// Group sorted terms by prefix, splitting groups that are too big.
	var files []File
	var keys []string
	var group func(lo, hi, depth int)
	emit := func(key string, lo, hi int) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "PostmortemSearch.shard(%q,{", key)
		for j := lo; j < hi; j++ {
			if j > lo {
				sb.WriteByte(',')
			}
			sb.WriteString(encoded[j])
		}
		sb.WriteString("});\n")
		keys = append(keys, key)
		files = append(files, File{"search/t/" + fileKey(key) + ".js", []byte(sb.String())})
	}
	group = func(lo, hi, depth int) {
		for lo < hi {
			key := prefix(terms[lo], depth)
			end, size := lo, 0
			for end < hi && prefix(terms[end], depth) == key {
				size += len(encoded[end])
				end++
			}
			if size > shardLimit && end-lo > 1 && len([]rune(terms[lo])) > depth {
				// Terms exactly as long as the key stay here; the rest split further.
				exact := lo
				for exact < end && terms[exact] == key {
					exact++
				}
				if exact > lo {
					emit(key, lo, exact)
				}
				group(exact, end, depth+1)
			} else {
				emit(key, lo, end)
			}
			lo = end
		}
	}
	group(0, len(terms), 2)
	return files, keys
}

// prefix is the first n letters of term.
func prefix(term string, n int) string {
	r := []rune(term)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// fileKey turns a shard prefix into a file name: letters and digits as they
// are, anything else as its code in base 36.
func fileKey(key string) string {
	var b strings.Builder
	for _, c := range key {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b.WriteRune(c)
		} else {
			fmt.Fprintf(&b, "~%s", strconv.FormatInt(int64(c), 36))
		}
	}
	return b.String()
}

func writeJSONString(sb *strings.Builder, s string) {
	data, _ := json.Marshal(s)
	sb.Write(data)
}

// digits are the 64 digits of the packed columns of meta.js.
const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

// code writes v as width digits.
func code(v, width int) string {
	out := make([]byte, width)
	for i := width - 1; i >= 0; i-- {
		out[i] = digits[v%64]
		v /= 64
	}
	return string(out)
}

// Meta is the table every query needs, in meta.js: the values of each facet
// and, column by column, each document's facets, day and duration. A column
// gives each document Width[column] digits of the 64 digits, except the
// multi-valued facets, whose documents are separated by dots.
type Meta struct {
	N      int                 `json:"n"`
	Facets []string            `json:"facets"`
	Values map[string][]string `json:"values"`
	Width  map[string]int      `json:"width"`
	Cols   map[string]string   `json:"cols"`
	Shards []string            `json:"shards"`
}

var multi = map[string]func(*Doc) []string{
	"root_cause":          func(d *Doc) []string { return d.RootCauses },
	"contributing_factor": func(d *Doc) []string { return d.ContributingFactors },
	"service":             func(d *Doc) []string { return d.Services },
}

func meta(docs []Doc, shardKeys []string) []byte {
	m := Meta{N: len(docs), Facets: Facets, Values: map[string][]string{}, Width: map[string]int{}, Cols: map[string]string{}, Shards: shardKeys}
	single := map[string]func(*Doc) string{
		"severity": func(d *Doc) string { return d.Severity },
		"status":   func(d *Doc) string { return d.Status },
		"year":     func(d *Doc) string { return strconv.Itoa(d.Date.Year()) },
	}
	// Value tables: severities worst first, the rest by name.
	rank := map[string]int{}
	for i := range docs {
		rank[docs[i].Severity] = docs[i].SeverityRank
	}
	for _, f := range Facets {
		seen := map[string]bool{}
		for i := range docs {
			var vs []string
			if get, ok := multi[f]; ok {
				vs = get(&docs[i])
			} else if v := single[f](&docs[i]); v != "" {
				vs = []string{v}
			}
			for _, v := range vs {
				seen[v] = true
			}
		}
		vals := make([]string, 0, len(seen))
		for v := range seen {
			vals = append(vals, v)
		}
		slices.Sort(vals)
		if f == "severity" {
			slices.SortStableFunc(vals, func(a, b string) int { return rank[a] - rank[b] })
		}
		m.Values[f] = vals
	}
	index := func(f, v string) int {
		i, _ := slices.BinarySearch(m.Values[f], v)
		if f == "severity" {
			i = slices.Index(m.Values[f], v)
		}
		return i + 1 // 0 is "none"
	}
	width := func(n int) int {
		w := 1
		for c := 64; c <= n; c *= 64 {
			w++
		}
		return w
	}
	for _, f := range Facets {
		w := width(len(m.Values[f]) + 1)
		m.Width[f] = w
		var col strings.Builder
		for i := range docs {
			if get, ok := multi[f]; ok {
				if i > 0 {
					col.WriteByte('.')
				}
				for _, v := range get(&docs[i]) {
					col.WriteString(code(index(f, v), w))
				}
				continue
			}
			v := single[f](&docs[i])
			k := 0
			if v != "" {
				k = index(f, v)
			}
			col.WriteString(code(k, w))
		}
		m.Cols[f] = col.String()
	}
	var day, dur strings.Builder
	for i := range docs {
		y, mo, d := docs[i].Date.Date()
		day.WriteString(code(int(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix()/86400), 3))
		dur.WriteString(code(min(docs[i].DurationMinutes, 64*64*64-1), 3))
	}
	m.Width["day"], m.Width["duration"] = 3, 3
	m.Cols["day"], m.Cols["duration"] = day.String(), dur.String()
	data, _ := json.Marshal(m)
	return []byte("PostmortemSearch.meta(" + string(data) + ");\n")
}

// fragment writes what a result shows of one document.
func fragment(i int, d *Doc) File {
	text := d.Text
	if !strings.Contains(text, d.Summary) {
		text = d.Summary + "\n" + text
	}
	data, _ := json.Marshal(struct {
		Title    string   `json:"t"`
		URL      string   `json:"u"`
		Date     string   `json:"d"`
		Severity string   `json:"s"`
		Causes   []string `json:"c"`
		Text     string   `json:"x"`
	}{d.Title, d.URL, d.Date.Format(time.DateOnly), d.Severity, nonNil(d.RootCauses), text})
	return File{fmt.Sprintf("search/f/%d.js", i), []byte(fmt.Sprintf("PostmortemSearch.frag(%d,%s);\n", i, data))}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
