package search

import (
	"encoding/json"
	"maps"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/datakey"
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

// Meta is the table of contents of the index, in meta.js, the one file of
// the index whose name stays the same; every other file is named by its
// content, and found from here. It gives the layout of the facets, so that
// the page knows it from the index, their values, the files of the meta
// table and the shards.
type Meta struct {
	N      int    `json:"n"`
	Digits string `json:"digits"` // of the packed numbers, 0 first
	// TextDigits are the digits of the files of texts, 0 first, of which
	// the first TextEnds end a number (see appendTextNum).
	TextDigits string              `json:"textDigits"`
	TextEnds   int                 `json:"textEnds"`
	Facets     []Facet             `json:"facets"` // in the order the page shows them
	Values     map[string][]string `json:"values"` // of each facet; severities worst first, the rest by name
	// Duration says how durations are packed: minutes up to Exact, then
	// steps of Step minutes.
	Duration struct {
		Exact int `json:"exact"`
		Step  int `json:"step"`
	} `json:"duration"`
	// LengthBase is the ratio between two steps of the packed lengths;
	// LengthFrom, the least one postings give without a number of its own
	// (see appendTF).
	LengthBase float64 `json:"lengthBase"`
	LengthFrom int     `json:"lengthFrom"`
	// Parts are the files of the meta table, relative to search/: the
	// page loads them only when a query needs them (facet counts and
	// filters, sorts other than by relevance); Table is their size in all.
	Parts []Part `json:"parts"`
	Table int    `json:"table"`
	// Avglen is the mean length of the documents, each as its packed
	// length reads (LengthBase to the power of it), for BM25.
	Avglen float64 `json:"avglen"`
	// Cards and Texts name the files of the results, f/G.NAME.js and
	// x/G.NAME.js (see groupBits).
	Cards Groups `json:"cards"`
	Texts Groups `json:"texts"`
	// Causes are the files of the documents of each root cause, in the
	// order of Values["root_cause"], relative to search/.
	Causes []string `json:"causes"`
	// URL are what every document's URL starts and ends with, which the
	// cards leave out.
	URL [2]string `json:"url"`
	// Latest are the newest documents, newest first, as [id,card]: the
	// first page shown when nothing is typed nor filtered.
	Latest []json.RawMessage `json:"latest"`
	// Shards are the shards of postings: Keys, their prefixes, sorted,
	// separated by spaces, and Names, the shardName letters of each one's
	// file, t/NAME.js, in the same order.
	Shards struct {
		Keys  string `json:"keys"`
		Names string `json:"names"`
	} `json:"shards"`
	// Synonyms are the groups of Options.Synonyms, each member as tokens.
	Synonyms [][][]string `json:"syn"`
	// Lift is the weight of a root cause named by a query word: an
	// incident with that cause scores as if the word were there again
	// with this weight.
	Lift int `json:"lift"`
}

// Groups names the files of one kind of group: the group of id is id >>
// Shift, its file DIR/G.NAME.js, with G in base 36 and NAME the group's
// Width letters of Names ("-" for a group without documents).
type Groups struct {
	Shift int    `json:"shift"`
	Width int    `json:"width"`
	Names string `json:"names"`
}

// Part names a part of the meta table and its file.
type Part struct {
	N    int    `json:"n"`
	File string `json:"file"` // relative to search/
}

// Facet is one facet of the search page.
type Facet struct {
	Key string `json:"key"`
	// Multi is set when a document may have several values.
	Multi bool `json:"multi,omitempty"`
	// Day is set when the value is the year of the document's day, which
	// has no column of its own.
	Day bool `json:"day,omitempty"`
}

// Rows is one part of the meta table, PostmortemSearch.rows({...}) in a
// file of search/m/: the documents whose ids fall in the part, in the order
// of the ids, column by column: their facets, day and duration. A column gives each document Width[column]
// digits, except the multi-valued facets, whose documents are separated by
// dots; the values of a facet column are 1 + the index in the part's
// Values (0 is none), so that a value new to the site changes no other part.
type Rows struct {
	Part   int                 `json:"part"`
	IDs    string              `json:"ids"` // as gaps from the previous id (the first from 0), see appendNum
	Values map[string][]string `json:"values"`
	Width  map[string]int      `json:"width"`
	Cols   map[string]string   `json:"cols"`
	// Day0 is the first day of the day column, in days since 1970-01-01.
	Day0 int `json:"day0"`
}

// metaParts is how many parts the meta table is split into, by the high
// bits of the ids: a change of one document rewrites one.
const metaParts = 4

// Durations are packed in two digits: minutes up to durationExact, then
// half hours.
const (
	durationExact = 2048
	durationStep  = 30
)

func packDuration(m int) int {
	if m < durationExact {
		return m
	}
	return min(64*64-1, durationExact+(m-durationExact)/durationStep)
}

// unpackDuration is the least number of minutes a packed duration stands for.
func unpackDuration(v int) int {
	if v < durationExact {
		return v
	}
	return durationExact + (v-durationExact)*durationStep
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

// facets are the facets of the search page, in its order.
var facets = []Facet{{Key: "severity"}, {Key: "root_cause", Multi: true}, {Key: "contributing_factor", Multi: true},
	{Key: "service", Multi: true}, {Key: "year", Day: true}, {Key: "status"}}

// Filters reports whether the search page has a filter of the facet key
// (root_cause, service, ...), whose values are the names of the terms of
// the taxonomy of that key.
func Filters(key string) bool {
	return slices.ContainsFunc(facets, func(f Facet) bool { return f.Key == key })
}

// facetOf gives the values of each facet of a document.
var facetOf = map[string]func(*Doc) []string{
	"severity":            func(d *Doc) []string { return nonEmpty(d.Severity) },
	"root_cause":          func(d *Doc) []string { return d.causeTerms() },
	"contributing_factor": func(d *Doc) []string { return d.ContributingFactors },
	"service":             func(d *Doc) []string { return d.Services },
	"year":                func(d *Doc) []string { return []string{strconv.Itoa(d.Date.Year())} },
	"status":              func(d *Doc) []string { return nonEmpty(d.Status) },
}

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

// metaPart is one part of the meta table as the last build made it.
type metaPart struct {
	n      int
	file   File
	values map[string][]string // of each facet, the year's too, sorted
	rank   map[string]int      // of each severity
}

// metaRow is all that the meta table holds of a document.
type metaRow struct {
	Severity     string
	SeverityRank int
	Values       [][]string // of each facet, in the order of facets
	Day          int        // epochDay of its date
	Duration     int        // minutes
}

// metaOf returns the row of d in the meta table.
func metaOf(d *Doc) metaRow {
	r := metaRow{Severity: d.Severity, SeverityRank: d.SeverityRank, Values: make([][]string, len(facets)),
		Day: epochDay(d.Date), Duration: d.DurationMinutes}
	for k, f := range facets {
		r.Values[k] = facetOf[f.Key](d)
	}
	return r
}

// updateMeta returns the parts of the meta table, remaking those where a
// document of changed came, went or has another row (a body edit changes
// none), and keeping the others.
func (ix *Indexer) updateMeta(docs []Doc, at map[int32]int, changed []int32) []metaPart {
	shift := ix.bits - bits.Len(metaParts-1)
	remake := map[int]bool{}
	if ix.rowKeys == nil {
		ix.rowKeys = map[int32]uint64{}
	}
	for _, id := range changed {
		if i, ok := at[id]; !ok {
			delete(ix.rowKeys, id)
		} else if !ix.opts.Once {
			old, had := ix.rowKeys[id]
			key := datakey.Of(metaOf(&docs[i]))
			if had && key == old {
				continue
			}
			ix.rowKeys[id] = key
		}
		remake[int(id)>>shift] = true
	}
	ids := ix.sortedIDs()
	old := ix.metas
	ix.metas = make(map[int]metaPart, metaParts)
	var parts []metaPart
	for lo := 0; lo < len(ids); {
		part := int(ids[lo]) >> shift
		hi := lo
		for hi < len(ids) && int(ids[hi])>>shift == part {
			hi++
		}
		p, ok := old[part]
		if !ok || remake[part] {
			p = ix.rows(part, docs, at, ids[lo:hi])
		}
		ix.metas[part] = p
		parts = append(parts, p)
		lo = hi
	}
	return parts
}

// rows makes one part of the meta table, of the documents of ids.
func (ix *Indexer) rows(part int, docs []Doc, at map[int32]int, ids []int32) metaPart {
	r := Rows{Part: part, Values: map[string][]string{}, Width: map[string]int{}, Cols: map[string]string{}}
	mp := metaPart{n: part, values: map[string][]string{}, rank: map[string]int{}}
	ds := make([]metaRow, len(ids))
	for k, id := range ids {
		ds[k] = metaOf(&docs[at[id]])
		mp.rank[ds[k].Severity] = ds[k].SeverityRank
		if ix.opts.Once {
			continue
		}
		if _, ok := ix.rowKeys[id]; !ok {
			ix.rowKeys[id] = datakey.Of(ds[k])
		}
	}
	idCol := make([]byte, 0, 2*len(ids))
	prev := 0
	for _, id := range ids {
		idCol = appendNum(idCol, int(id)-prev)
		prev = int(id)
	}
	r.IDs = string(idCol)
	for fk, f := range facets {
		seen := map[string]int{} // value -> 1 + its index among the sorted values
		for _, d := range ds {
			for _, v := range d.Values[fk] {
				seen[v] = 0
			}
		}
		vals := sortedKeys(seen)
		mp.values[f.Key] = vals
		if f.Day {
			continue
		}
		for i, v := range vals {
			seen[v] = i + 1 // 0 is "none"
		}
		w := width(len(vals) + 1)
		col := make([]byte, 0, (w+1)*len(ids))
		for k, d := range ds {
			switch vs := d.Values[fk]; {
			case f.Multi:
				if k > 0 {
					col = append(col, '.')
				}
				for _, v := range vs {
					col = appendCode(col, seen[v], w)
				}
			case len(vs) == 0:
				col = appendCode(col, 0, w)
			default:
				col = appendCode(col, seen[vs[0]], w)
			}
		}
		r.Values[f.Key], r.Width[f.Key], r.Cols[f.Key] = vals, w, string(col)
	}
	days := make([]int, len(ids))
	for k, d := range ds {
		days[k] = d.Day
	}
	r.Day0 = slices.Min(days)
	dw := width(slices.Max(days) - r.Day0 + 1)
	day, dur := make([]byte, 0, dw*len(ids)), make([]byte, 0, 2*len(ids))
	for k := range ids {
		day = appendCode(day, days[k]-r.Day0, dw)
		dur = appendCode(dur, packDuration(ds[k].Duration), 2)
	}
	r.Width["day"], r.Width["duration"] = dw, 2
	r.Cols["day"], r.Cols["duration"] = string(day), string(dur)
	data, _ := json.Marshal(r)
	b := []byte("PostmortemSearch.rows(" + string(data) + ");\n")
	mp.file = File{"search/m/" + strconv.Itoa(part) + "." + contentName(b, 12) + ".js", b}
	return mp
}

// newMeta returns the table of contents, meta.js, given the parts of the
// meta table and the shards with their prefixes; the files of the results
// and of the root causes, the latest documents and the mean length are
// for the caller to fill in.
func newMeta(n int, parts []metaPart, shards []File, keys []string, opts Options) Meta {
	m := Meta{N: n, Digits: digits, TextDigits: textDigits, TextEnds: textEnds, Facets: facets, Values: map[string][]string{}, LengthBase: lengthBase, LengthFrom: lengthFrom,
		Synonyms: synonymTokens(opts.Synonyms), Lift: opts.Weights.RootCauses}
	m.Duration.Exact, m.Duration.Step = durationExact, durationStep
	rank := map[string]int{}
	for _, p := range parts {
		maps.Copy(rank, p.rank)
		m.Parts = append(m.Parts, Part{p.n, strings.TrimPrefix(p.file.Path, "search/")})
		m.Table += len(p.file.Data)
	}
	// Severities worst first, the rest by name.
	for _, f := range facets {
		vals := []string{}
		for _, p := range parts {
			vals = append(vals, p.values[f.Key]...)
		}
		slices.Sort(vals)
		vals = slices.Compact(vals)
		if f.Key == "severity" {
			slices.SortStableFunc(vals, func(a, b string) int { return rank[a] - rank[b] })
		}
		m.Values[f.Key] = vals
	}
	m.Shards.Keys = strings.Join(keys, " ")
	names := make([]byte, 0, shardName*len(shards))
	for _, f := range shards {
		names = append(names, strings.TrimSuffix(strings.TrimPrefix(f.Path, "search/t/"), ".js")...)
	}
	m.Shards.Names = string(names)
	return m
}

// file returns meta.js.
func (m *Meta) file() File {
	data, _ := json.Marshal(m)
	return File{"search/meta.js", []byte("PostmortemSearch.meta(" + string(data) + ");\n")}
}
