package search

import (
	"runtime"
	"slices"
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
)

// Facets are the facet keys, in the order the search page shows them.
var Facets = []string{"severity", "root_cause", "contributing_factor", "service", "year", "status"}

// analysis is what one document contributes to the index: its terms,
// sorted, with their weighted frequencies.
type analysis struct {
	terms  []string
	tfs    []int32
	length int
}

func analyze(d *Doc) analysis {
	tf := make(map[string]int32, 64)
	length := 0
	add := func(text string, w int32) {
		scan(text, func(tok string) {
			tf[Stem(tok)] += w
			length += int(w)
		})
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
	a := analysis{terms: make([]string, 0, len(tf)), tfs: make([]int32, len(tf)), length: length}
	var size int
	for t := range tf {
		a.terms = append(a.terms, t)
		size += len(t)
	}
	slices.Sort(a.terms)
	// One copy of all the terms, so that the analysis, kept between
	// builds, holds on to no document's text.
	var all strings.Builder
	all.Grow(size)
	for _, t := range a.terms {
		all.WriteString(t)
	}
	joined, at := all.String(), 0
	for k, t := range a.terms {
		a.tfs[k] = tf[t]
		a.terms[k] = joined[at : at+len(t)]
		at += len(t)
	}
	return a
}

// posting is one document a term is in, with its weighted frequency there.
type posting struct{ id, tf int32 }

// Indexer builds the index and keeps, between builds, each document's
// analysis and fragment and each term's postings, so that a rebuild after a
// few documents changed encodes only their terms. It is not safe for
// concurrent use.
type Indexer struct {
	cache    map[uint64]analysis
	hashes   []uint64             // hash of each doc id of the last build
	postings map[string][]posting // term -> postings, by id
	chunks   map[string][]chunk   // term -> its encoded chunks, in order
	encoded  map[string]string    // term -> its entry in a shard
	frags    map[fragKey]File
}

// chunkSize is how many document ids one chunk of postings covers: a change
// of one document re-encodes one chunk of each of its terms.
const chunkSize = 256

// chunk is the encoded postings of a term among the ids of chunk number n.
type chunk struct {
	n, first, firstTF, last int
	rest                    string // the postings after the first
}

type fragKey struct {
	id   int
	hash uint64
}

// NewIndexer returns an empty Indexer.
func NewIndexer() *Indexer { return &Indexer{cache: map[uint64]analysis{}} }

// Build returns every file of the index of docs, given in the order their
// ids follow, sorted by path. The output depends only on docs, not on
// earlier builds.
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
	ix.cache = make(map[uint64]analysis, len(docs))
	for i := range docs {
		ix.cache[docs[i].Hash] = as[i]
	}
	ix.update(docs, as)
	shardFiles, keys := ix.shards()
	files := append(shardFiles, File{"search/meta.js", meta(docs, as, keys)})

	frags := make([]File, len(docs))
	prev := ix.frags
	ix.frags = make(map[fragKey]File, len(docs))
	var missing []int
	for i := range docs {
		if f, ok := prev[fragKey{i, docs[i].Hash}]; ok {
			frags[i] = f
		} else {
			missing = append(missing, i)
		}
	}
	parallel(len(missing), func(k int) { frags[missing[k]] = fragment(missing[k], &docs[missing[k]]) })
	for i := range docs {
		ix.frags[fragKey{i, docs[i].Hash}] = frags[i]
	}
	files = append(files, frags...)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files
}

// update brings the postings up to docs. When the documents kept their ids
// and few changed, only the terms of the changed ones are redone.
func (ix *Indexer) update(docs []Doc, as []analysis) {
	prevHashes := ix.hashes
	ix.hashes = make([]uint64, len(docs))
	for i := range docs {
		ix.hashes[i] = docs[i].Hash
	}
	full := ix.postings == nil || len(prevHashes) != len(docs)
	var changed []int
	for i := 0; !full && i < len(docs); i++ {
		if prevHashes[i] != docs[i].Hash {
			changed = append(changed, i)
			full = len(changed) > len(docs)/20+1
		}
	}
	if full {
		ix.rebuild(as)
		return
	}
	affected := map[string]bool{}
	for _, i := range changed {
		for t, ps := range ix.postings {
			_ = ps
			_ = t
			break
		}
		for _, t := range as[i].terms {
			affected[t] = true
		}
	}
	// The terms the changed ids had before: their postings name them.
	for t, ps := range ix.postings {
		if affected[t] {
			continue
		}
		for _, i := range changed {
			if _, found := slices.BinarySearchFunc(ps, int32(i), byID); found {
				affected[t] = true
				break
			}
		}
	}
	for t := range affected {
		ps := slices.DeleteFunc(ix.postings[t], func(p posting) bool { return slices.Contains(changed, int(p.id)) })
		for _, i := range changed {
			if k, ok := slices.BinarySearch(as[i].terms, t); ok {
				ps = append(ps, posting{int32(i), as[i].tfs[k]})
			}
		}
		slices.SortFunc(ps, func(a, b posting) int { return int(a.id - b.id) })
		if len(ps) == 0 {
			delete(ix.postings, t)
			delete(ix.encoded, t)
			delete(ix.chunks, t)
			continue
		}
		ix.postings[t] = ps
		chs := ix.chunks[t]
		for _, i := range changed {
			n := i / chunkSize
			lo, _ := slices.BinarySearchFunc(ps, int32(n*chunkSize), byID)
			hi, _ := slices.BinarySearchFunc(ps, int32((n+1)*chunkSize), byID)
			at, found := slices.BinarySearchFunc(chs, n, func(c chunk, n int) int { return c.n - n })
			switch {
			case lo == hi && found:
				chs = slices.Delete(chs, at, at+1)
			case lo == hi:
			case found:
				chs[at] = encodeChunk(n, ps[lo:hi])
			default:
				chs = slices.Insert(chs, at, encodeChunk(n, ps[lo:hi]))
			}
		}
		ix.chunks[t] = chs
		ix.encoded[t] = join(t, chs)
	}
}

func byID(p posting, id int32) int { return int(p.id - id) }

// rebuild makes every term's postings and entry anew. Each worker takes
// the terms whose first byte falls to it.
func (ix *Indexer) rebuild(as []analysis) {
	workers := runtime.GOMAXPROCS(0)
	parts := make([]map[string][]posting, workers)
	parallel(workers, func(w int) {
		m := map[string][]posting{}
		for i, a := range as {
			for k, t := range a.terms {
				if int(t[0])%workers == w {
					m[t] = append(m[t], posting{int32(i), a.tfs[k]})
				}
			}
		}
		parts[w] = m
	})
	ix.postings = make(map[string][]posting)
	for _, m := range parts {
		for t, ps := range m {
			ix.postings[t] = ps
		}
	}
	terms := sortedKeys(ix.postings)
	enc := make([]string, len(terms))
	chs := make([][]chunk, len(terms))
	parallel(len(terms), func(j int) {
		ps := ix.postings[terms[j]]
		for lo := 0; lo < len(ps); {
			n := int(ps[lo].id) / chunkSize
			hi := lo
			for hi < len(ps) && int(ps[hi].id)/chunkSize == n {
				hi++
			}
			chs[j] = append(chs[j], encodeChunk(n, ps[lo:hi]))
			lo = hi
		}
		enc[j] = join(terms[j], chs[j])
	})
	ix.encoded = make(map[string]string, len(terms))
	ix.chunks = make(map[string][]chunk, len(terms))
	for j, t := range terms {
		ix.encoded[t], ix.chunks[t] = enc[j], chs[j]
	}
}

// encodeChunk encodes postings ps, all in chunk n. The entry of a term in
// its shard gives, for each document the term is in, its id (as the gap
// from the previous id) and the term's weighted frequency there, each as a
// number of digits (see appendNum); the page computes BM25 from them.
func encodeChunk(n int, ps []posting) chunk {
	c := chunk{n: n, first: int(ps[0].id), firstTF: int(ps[0].tf), last: int(ps[len(ps)-1].id)}
	b := make([]byte, 0, 2*len(ps))
	for k := 1; k < len(ps); k++ {
		b = appendNum(b, int(ps[k].id-ps[k-1].id))
		b = appendNum(b, int(ps[k].tf))
	}
	c.rest = string(b)
	return c
}

// appendNum appends v to b in the digits of the index: five bits a digit,
// the high ones first; all but the last digit have 32 added. Most gaps and
// frequencies take one digit.
func appendNum(b []byte, v int) []byte {
	n := 1
	for x := v >> 5; x > 0; x >>= 5 {
		n++
	}
	for k := n - 1; k >= 0; k-- {
		d := (v >> (5 * k)) & 31
		if k > 0 {
			d += 32
		}
		b = append(b, digits[d])
	}
	return b
}

// join writes the entry of term t from its chunks.
func join(t string, chs []chunk) string {
	var sb strings.Builder
	writeJSONString(&sb, t)
	sb.WriteString(`:"`)
	prev := 0
	var b []byte
	for _, ch := range chs {
		b = appendNum(appendNum(b[:0], ch.first-prev), ch.firstTF)
		sb.Write(b)
		sb.WriteString(ch.rest)
		prev = ch.last
	}
	sb.WriteByte('"')
	return sb.String()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
