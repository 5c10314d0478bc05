package search

import (
	"encoding/binary"
	"encoding/json"
	"hash/maphash"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// digits are the 64 digits of the packed columns of meta.js and of the
// postings of the shards.
const digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"

// appendCode appends v to b as width digits.
func appendCode(b []byte, v, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		b = append(b, digits[v>>(6*i)%64])
	}
	return b
}

// Meta is the table every query needs, in meta.js: the values of each facet
// and, column by column, each document's facets, day, duration and length.
// A column gives each document Width[column] digits, except the
// multi-valued facets, whose documents are separated by dots. The year
// facet has no column: it is the year of the day.
type Meta struct {
	N      int                 `json:"n"`
	Facets []string            `json:"facets"`
	Values map[string][]string `json:"values"`
	Width  map[string]int      `json:"width"`
	Cols   map[string]string   `json:"cols"`
	Shards []string            `json:"shards"`
	// Day0 is the first day of the day column, in days since 1970-01-01.
	Day0 int `json:"day0"`
}

// Durations are packed in two digits: minutes up to durationExact, then
// half hours.
const durationExact = 2048

func packDuration(m int) int {
	if m < durationExact {
		return m
	}
	return min(64*64-1, durationExact+(m-durationExact)/30)
}

// unpackDuration is the least number of minutes a packed duration stands for.
func unpackDuration(v int) int {
	if v < durationExact {
		return v
	}
	return durationExact + (v-durationExact)*30
}

// lengthBase is the ratio between two steps of the one-digit document
// lengths: BM25 needs them only roughly.
const lengthBase = 1.2

func packLength(n int) int {
	if n <= 1 {
		return 0
	}
	return min(63, int(math.Round(math.Log(float64(n))/math.Log(lengthBase))))
}

// facetOf gives the values of each facet of a document.
var facetOf = map[string]func(*Doc) []string{
	"severity":            func(d *Doc) []string { return nonEmpty(d.Severity) },
	"root_cause":          func(d *Doc) []string { return d.RootCauses },
	"contributing_factor": func(d *Doc) []string { return d.ContributingFactors },
	"service":             func(d *Doc) []string { return d.Services },
	"year":                func(d *Doc) []string { return []string{strconv.Itoa(d.Date.Year())} },
	"status":              func(d *Doc) []string { return nonEmpty(d.Status) },
}

var multi = map[string]bool{"root_cause": true, "contributing_factor": true, "service": true}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func epochDay(t time.Time) int {
	y, mo, d := t.Date()
	return int(time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// width is how many digits numbers below n take.
func width(n int) int {
	w := 1
	for c := 64; c < n; c *= 64 {
		w++
	}
	return w
}

// rowSeed seeds the hashes of metaRow.
var rowSeed = maphash.MakeSeed()

// metaRow hashes what document d, whose analysis has the given length,
// puts in meta.js. meta.js is made of the rows, in the order of the ids,
// and the shard keys: while neither changed, it stays as it was.
func metaRow(d *Doc, length int) uint64 {
	var h maphash.Hash
	h.SetSeed(rowSeed)
	var b []byte
	num := func(v int) { b = binary.LittleEndian.AppendUint64(b, uint64(v)) }
	str := func(v string) {
		num(len(v))
		b = append(b, v...)
	}
	list := func(vs []string) {
		num(len(vs))
		for _, v := range vs {
			str(v)
		}
	}
	str(d.Severity)
	str(d.Status)
	list(d.RootCauses)
	list(d.ContributingFactors)
	list(d.Services)
	num(d.SeverityRank)
	num(d.Date.Year())
	num(epochDay(d.Date))
	num(packDuration(d.DurationMinutes))
	num(packLength(length))
	h.Write(b)
	return h.Sum64()
}

// updateMeta brings meta.js up to docs, of which the ids changed have new
// hashes, and the shard keys. It makes meta.js anew only when the number of
// documents, the keys or the row of a changed document differ from the
// last build's.
func (ix *Indexer) updateMeta(docs []Doc, changed []int, keys []string) {
	remake := ix.metaFile == nil || len(ix.rows) != len(docs) || !slices.Equal(ix.shardKeys, keys)
	ix.rows = resize(ix.rows, len(docs))
	for _, i := range changed {
		r := metaRow(&docs[i], ix.as[i].length)
		remake = remake || ix.rows[i] != r
		ix.rows[i] = r
	}
	ix.shardKeys = keys
	if remake {
		ix.metaFile = meta(docs, ix.as, keys)
	}
}

func meta(docs []Doc, as []analysis, shardKeys []string) []byte {
	m := Meta{N: len(docs), Facets: Facets, Values: map[string][]string{}, Width: map[string]int{}, Cols: map[string]string{}, Shards: shardKeys}
	// Value tables: severities worst first, the rest by name.
	rank := map[string]int{}
	for i := range docs {
		rank[docs[i].Severity] = docs[i].SeverityRank
	}
	for _, f := range Facets {
		seen, of := map[string]bool{}, facetOf[f]
		for i := range docs {
			for _, v := range of(&docs[i]) {
				seen[v] = true
			}
		}
		vals := sortedKeys(seen)
		if f == "severity" {
			slices.SortStableFunc(vals, func(a, b string) int { return rank[a] - rank[b] })
		}
		m.Values[f] = vals
	}
	for _, f := range Facets {
		if f == "year" {
			continue
		}
		pos := make(map[string]int, len(m.Values[f]))
		for i, v := range m.Values[f] {
			pos[v] = i + 1 // 0 is "none"
		}
		w := width(len(m.Values[f]) + 1)
		m.Width[f] = w
		col := make([]byte, 0, (w+1)*len(docs))
		of, many := facetOf[f], multi[f]
		for i := range docs {
			vs := of(&docs[i])
			if many {
				if i > 0 {
					col = append(col, '.')
				}
				for _, v := range vs {
					col = appendCode(col, pos[v], w)
				}
			} else if len(vs) == 0 {
				col = appendCode(col, 0, w)
			} else {
				col = appendCode(col, pos[vs[0]], w)
			}
		}
		m.Cols[f] = string(col)
	}
	days := make([]int, len(docs))
	for i := range docs {
		days[i] = epochDay(docs[i].Date)
	}
	if len(days) > 0 {
		m.Day0 = slices.Min(days)
	}
	dw := width(slices.Max(append(days, m.Day0)) - m.Day0 + 1)
	day, dur, length := make([]byte, 0, dw*len(docs)), make([]byte, 0, 2*len(docs)), make([]byte, 0, len(docs))
	for i := range docs {
		day = appendCode(day, days[i]-m.Day0, dw)
		dur = appendCode(dur, packDuration(docs[i].DurationMinutes), 2)
		length = appendCode(length, packLength(as[i].length), 1)
	}
	m.Width["day"], m.Width["duration"], m.Width["length"] = dw, 2, 1
	m.Cols["day"], m.Cols["duration"], m.Cols["length"] = string(day), string(dur), string(length)
	data, _ := json.Marshal(m)
	return []byte("PostmortemSearch.meta(" + string(data) + ");\n")
}

// fragment writes what a result shows of one document: title (t), URL (u),
// date (d), severity (s), root causes (c) and the text (x) its snippet and
// phrases are found in.
func fragment(i int, d *Doc) File {
	text := d.Text
	if !strings.Contains(text, d.Summary) {
		text = d.Summary + "\n" + text
	}
	id := strconv.Itoa(i)
	b := make([]byte, 0, len(text)+len(d.Title)+len(d.URL)+100)
	b = append(b, "PostmortemSearch.frag("...)
	b = append(b, id...)
	b = append(b, `,{"t":`...)
	b = appendJSONString(b, d.Title)
	b = append(b, `,"u":`...)
	b = appendJSONString(b, d.URL)
	b = append(b, `,"d":`...)
	b = appendJSONString(b, d.Date.Format(time.DateOnly))
	b = append(b, `,"s":`...)
	b = appendJSONString(b, d.Severity)
	b = append(b, `,"c":[`...)
	for k, c := range d.RootCauses {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c)
	}
	b = append(b, `],"x":`...)
	b = appendJSONString(b, text)
	b = append(b, "});\n"...)
	return File{"search/f/" + id + ".js", b}
}

// decimalOrder returns the numbers from 0 to n-1 in the order of the paths
// of their fragments: as strings, a number before the longer ones it
// begins ("1.js" < "10.js", as '.' sorts before the digits).
func decimalOrder(n int) []int32 {
	order := make([]int32, 0, n)
	var visit func(v int)
	visit = func(v int) {
		order = append(order, int32(v))
		for d := v * 10; d < v*10+10 && d < n; d++ {
			visit(d)
		}
	}
	if n > 0 {
		order = append(order, 0)
	}
	for v := 1; v < min(n, 10); v++ {
		visit(v)
	}
	return order
}
