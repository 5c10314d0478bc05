package search

import (
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
// term it meets and remembers the term of every token, so that counting a
// word costs one map look-up, and no stemming nor insertion, once the word
// is known; one counter serves one goroutine.
type counter struct {
	ids     map[string]int32 // token -> the number of its term
	terms   map[string]int32 // term -> its number
	names   []string
	counts  []int32
	touched []int32
}

// newCounter returns a counter sized for about docs documents.
func newCounter(docs int) *counter {
	n := min(1<<14, 512*docs)
	return &counter{ids: make(map[string]int32, n), terms: make(map[string]int32, n)}
}

// add counts the token tok, of weight w, as its term.
func (c *counter) add(tok string, w int32) {
	id, ok := c.ids[tok]
	if !ok {
		id = c.number(Stem(tok))
		c.ids[strings.Clone(tok)] = id // not a piece of the document's text, kept between builds
	}
	if c.counts[id] == 0 {
		c.touched = append(c.touched, id)
	}
	c.counts[id] += w
}

// number returns the number of term t, numbering it if it is new.
func (c *counter) number(t string) int32 {
	id, ok := c.terms[t]
	if !ok {
		id = int32(len(c.names))
		t = strings.Clone(t)
		c.terms[t] = id
		c.names = append(c.names, t)
		c.counts = append(c.counts, 0)
	}
	return id
}

func (c *counter) analyze(d *Doc) analysis {
	length := 0
	add := func(text string, w int32) {
		scan(text, func(tok string) {
			c.add(tok, w)
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

// Indexer builds the index and keeps, between builds, each document's
// analysis, meta row and fragment and each term's postings, so that a
// rebuild after a few documents changed costs about what their terms do.
// It is not safe for concurrent use.
type Indexer struct {
	// By doc id, as of the last build.
	hashes []uint64
	as     []analysis
	rows   []uint64 // see metaRow
	frags  []File
	order  []int32 // the ids in the order of their fragments' paths

	// By term.
	terms    []string   // every term, sorted
	data     []termData // of each term, in the order of terms
	dirty    []string   // the terms whose entries changed in this build, sorted
	allDirty bool       // every term's entry changed

	shardFiles map[string]shardFile // shard prefix -> the file last written
	shardKeys  []string             // the prefixes meta.js lists
	metaFile   []byte
}

// NewIndexer returns an empty Indexer.
func NewIndexer() *Indexer { return &Indexer{} }

// Build returns every file of the index of docs, given in the order their
// ids follow, sorted by path. The output depends only on docs, not on
// earlier builds.
func (ix *Indexer) Build(docs []Doc) []File {
	var changed []int // the ids whose hash is not the last build's
	for i := range docs {
		if i >= len(ix.hashes) || ix.hashes[i] != docs[i].Hash {
			changed = append(changed, i)
		}
	}
	// Few changed among the same ids: only their terms are redone.
	if ix.metaFile != nil && len(ix.hashes) == len(docs) && len(changed) <= len(docs)/20+1 {
		before := make([]analysis, len(changed))
		for k, i := range changed {
			before[k] = ix.as[i]
		}
		ix.analyze(docs, changed)
		ix.update(changed, before)
	} else {
		ix.reanalyze(docs)
		ix.rebuild()
	}
	ix.hashes = resize(ix.hashes, len(docs))
	for _, i := range changed {
		ix.hashes[i] = docs[i].Hash
	}
	shardFiles, keys := ix.shards()
	slices.SortFunc(shardFiles, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	ix.updateMeta(docs, changed, keys)

	ix.frags = resize(ix.frags, len(docs))
	parallel.For(len(changed), func(k int) { ix.frags[changed[k]] = fragment(changed[k], &docs[changed[k]]) })
	if len(ix.order) != len(docs) {
		ix.order = decimalOrder(len(docs))
	}
	// Fragments, meta.js then shards: "search/f/" < "search/meta.js" < "search/t/".
	files := make([]File, 0, len(docs)+1+len(shardFiles))
	for _, i := range ix.order {
		files = append(files, ix.frags[i])
	}
	files = append(files, File{"search/meta.js", ix.metaFile})
	return append(files, shardFiles...)
}

// analyze analyzes the documents of ids anew.
func (ix *Indexer) analyze(docs []Doc, ids []int) {
	parallel.Workers(len(ids), func() func(int) {
		c := newCounter(len(ids))
		return func(k int) { ix.as[ids[k]] = c.analyze(&docs[ids[k]]) }
	})
}

// reanalyze brings the analyses up to docs, whatever their ids were,
// analyzing only the documents whose hash the last build did not have. It
// runs before the hashes are brought up to docs.
func (ix *Indexer) reanalyze(docs []Doc) {
	old := make(map[uint64]analysis, len(ix.as))
	for i, a := range ix.as {
		old[ix.hashes[i]] = a
	}
	ix.as = make([]analysis, len(docs))
	var todo []int
	for i := range docs {
		if a, ok := old[docs[i].Hash]; ok {
			ix.as[i] = a
		} else {
			todo = append(todo, i)
		}
	}
	ix.analyze(docs, todo)
}

// resize returns s with length n, keeping its first elements.
func resize[T any](s []T, n int) []T {
	if n <= cap(s) {
		return s[:n]
	}
	return append(s[:cap(s)], make([]T, n-cap(s))...)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
