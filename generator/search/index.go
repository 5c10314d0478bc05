package search

import (
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/parallel"
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

// analysis is what one document contributes to the index: its terms with
// their weighted frequencies.
type analysis struct {
	terms  []string
	tfs    []int32
	length int
}

// counter counts the terms of one document at a time. It numbers every
// term it meets, so that counting a word costs one map look-up and no
// insertion once the word is known; one counter serves one goroutine.
type counter struct {
	ids     map[string]int32
	names   []string
	counts  []int32
	touched []int32
}

func newCounter() *counter { return &counter{ids: make(map[string]int32, 1<<14)} }

func (c *counter) add(t string, w int32) {
	id, ok := c.ids[t]
	if !ok {
		id = int32(len(c.names))
		t = strings.Clone(t) // not a piece of the document's text, kept between builds
		c.ids[t] = id
		c.names = append(c.names, t)
		c.counts = append(c.counts, 0)
	}
	if c.counts[id] == 0 {
		c.touched = append(c.touched, id)
	}
	c.counts[id] += w
}

func (c *counter) analyze(d *Doc) analysis {
	length := 0
	add := func(text string, w int32) {
		scan(text, func(tok string) {
			c.add(Stem(tok), w)
			length += int(w)
		})
	}
	add(d.Title, titleWeight)
	for _, s := range d.RootCauses {
		add(s, causeWeight)
	}
	for _, s := range d.ContributingFactors {
		add(s, factorWeight)
	}
	for _, s := range d.Services {
		add(s, serviceWeight)
	}
	add(d.Severity, 1)
	if !strings.Contains(d.Text, d.Summary) {
		add(d.Summary, summaryWeight)
	}
	add(d.Text, bodyWeight)
	// The terms in the order met: postings are made in the order of the
	// documents, whatever the order of each one's terms.
	a := analysis{terms: make([]string, len(c.touched)), tfs: make([]int32, len(c.touched)), length: length}
	for k, id := range c.touched {
		a.terms[k], a.tfs[k] = c.names[id], c.counts[id]
		c.counts[id] = 0
	}
	c.touched = c.touched[:0]
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
	terms    []string             // every term, sorted
	dirty    []string             // the terms whose entries changed in this build, sorted
	allDirty bool                 // every term's entry changed
	frags    map[fragKey]File

	shardFiles map[string]shardFile // shard prefix -> the file last written

	metaKey  uint64 // metaInput of the last meta.js
	metaFile []byte
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
	parallel.Workers(len(todo), func() func(int) {
		c := newCounter()
		return func(k int) { as[todo[k]] = c.analyze(&docs[todo[k]]) }
	})
	old := ix.cache
	ix.cache = make(map[uint64]analysis, len(docs))
	for i := range docs {
		ix.cache[docs[i].Hash] = as[i]
	}
	ix.update(docs, as, old)
	shardFiles, keys := ix.shards()
	if k := metaInput(docs, as, keys); ix.metaFile == nil || k != ix.metaKey {
		ix.metaKey, ix.metaFile = k, meta(docs, as, keys)
	}
	files := append(shardFiles, File{"search/meta.js", ix.metaFile})

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
	parallel.For(len(missing), func(k int) { frags[missing[k]] = fragment(missing[k], &docs[missing[k]]) })
	for i := range docs {
		ix.frags[fragKey{i, docs[i].Hash}] = frags[i]
	}
	files = append(files, frags...)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files
}

// update brings the postings up to docs. When the documents kept their ids
// and few changed, only the terms of the changed ones are redone.
func (ix *Indexer) update(docs []Doc, as []analysis, old map[uint64]analysis) {
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
		// The terms the id had before, found by the hash it had.
		for _, t := range old[prevHashes[i]].terms {
			affected[t] = true
		}
		for _, t := range as[i].terms {
			affected[t] = true
		}
	}
	ix.allDirty = false
	ix.dirty = sortedKeys(affected)
	for _, t := range ix.dirty {
		ps := slices.DeleteFunc(ix.postings[t], func(p posting) bool { return slices.Contains(changed, int(p.id)) })
		for _, i := range changed {
			if k := slices.Index(as[i].terms, t); k >= 0 {
				ps = append(ps, posting{int32(i), as[i].tfs[k]})
			}
		}
		slices.SortFunc(ps, func(a, b posting) int { return int(a.id - b.id) })
		at, known := slices.BinarySearch(ix.terms, t)
		if len(ps) == 0 {
			if known {
				ix.terms = slices.Delete(ix.terms, at, at+1)
			}
			delete(ix.postings, t)
			delete(ix.encoded, t)
			delete(ix.chunks, t)
			continue
		}
		if !known {
			ix.terms = slices.Insert(ix.terms, at, t)
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
	names := make([][]string, workers)
	lists := make([][][]posting, workers)
	parallel.For(workers, func(w int) {
		at := map[string]int32{} // term -> its index in names and lists
		for i, a := range as {
			for k, t := range a.terms {
				if int(t[0])%workers != w {
					continue
				}
				j, ok := at[t]
				if !ok {
					j = int32(len(names[w]))
					at[t] = j
					names[w] = append(names[w], t)
					lists[w] = append(lists[w], nil)
				}
				lists[w][j] = append(lists[w][j], posting{int32(i), a.tfs[k]})
			}
		}
	})
	n := 0
	for w := range names {
		n += len(names[w])
	}
	ix.postings = make(map[string][]posting, n)
	terms := make([]string, 0, n)
	for w := range names {
		for j, t := range names[w] {
			ix.postings[t] = lists[w][j]
		}
		terms = append(terms, names[w]...)
	}
	slices.Sort(terms)
	enc := make([]string, len(terms))
	chs := make([][]chunk, len(terms))
	parallel.For(len(terms), func(j int) {
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
	ix.terms, ix.dirty, ix.allDirty = terms, nil, true
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
