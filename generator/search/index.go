package search

import (
	"encoding/json"
	"fmt"
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
)

// Facets are the facet keys, in the order the search page shows them.
var Facets = []string{"severity", "root_cause", "contributing_factor", "service", "year", "status"}

// analysis is what one document contributes to the index.
type analysis struct {
	tf     map[string]int // weighted term frequencies
	length int
}

func analyze(d *Doc) analysis {
	a := analysis{tf: map[string]int{}}
	add := func(text string, w int) {
		scan(text, func(tok string) {
			t := Stem(tok)
			if n, ok := a.tf[t]; ok {
				a.tf[t] = n + w
			} else {
				a.tf[strings.Clone(t)] = w // not a piece of the text, kept between builds
			}
			a.length += w
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
	return a
}

// Indexer builds the index and keeps, between builds, each document's
// analysis and fragment and each term's postings, so that a rebuild after a
// few documents changed encodes only their terms. It is not safe for
// concurrent use.
type Indexer struct {
	cache    map[uint64]analysis
	hashes   []uint64                 // hash of each doc id of the last build
	postings map[string][]int         // term -> ids, ascending
	chunks   map[string]map[int]chunk // term -> chunk number -> its postings there
	encoded  map[string]string        // term -> its entry in a shard
	frags    map[fragKey]File
}

// chunkSize is how many document ids one chunk of postings covers: a change
// of one document re-encodes one chunk of each of its terms.
const chunkSize = 256

// chunk is the encoded postings of a term among chunkSize document ids.
type chunk struct {
	first, firstTF, last int
	rest                 string // the pairs after the first, each after a comma
}

type fragKey struct {
	id   int
	hash uint64
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
	old := ix.cache
	ix.cache = make(map[uint64]analysis, len(docs))
	for i := range docs {
		ix.cache[docs[i].Hash] = as[i]
	}
	ix.update(docs, as, old)
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
		ix.postings = map[string][]int{}
		for i, a := range as {
			for t := range a.tf {
				ix.postings[t] = append(ix.postings[t], i)
			}
		}
		ix.encoded = make(map[string]string, len(ix.postings))
		ix.chunks = make(map[string]map[int]chunk, len(ix.postings))
		terms := sortedKeys(ix.postings)
		enc := make([]string, len(terms))
		chs := make([]map[int]chunk, len(terms))
		parallel(len(terms), func(j int) {
			chs[j] = map[int]chunk{}
			ids := ix.postings[terms[j]]
			for lo := 0; lo < len(ids); {
				c := ids[lo] / chunkSize
				hi := lo
				for hi < len(ids) && ids[hi]/chunkSize == c {
					hi++
				}
				chs[j][c] = encodeChunk(terms[j], ids[lo:hi], as)
				lo = hi
			}
			enc[j] = join(terms[j], chs[j])
		})
		for j, t := range terms {
			ix.encoded[t], ix.chunks[t] = enc[j], chs[j]
		}
		return
	}
	affected := map[string]bool{}
	for _, i := range changed {
		// The analysis the id had before, found by the hash it had.
		if a, ok := old[prevHashes[i]]; ok {
			for t := range a.tf {
				affected[t] = true
			}
		}
		for t := range as[i].tf {
			affected[t] = true
		}
	}
	for t := range affected {
		ids := slices.DeleteFunc(ix.postings[t], func(id int) bool { return slices.Contains(changed, id) })
		for _, i := range changed {
			if _, ok := as[i].tf[t]; ok {
				ids = append(ids, i)
			}
		}
		slices.Sort(ids)
		if len(ids) == 0 {
			delete(ix.postings, t)
			delete(ix.encoded, t)
			delete(ix.chunks, t)
			continue
		}
		ix.postings[t] = ids
		chs := ix.chunks[t]
		if chs == nil {
			chs = map[int]chunk{}
			ix.chunks[t] = chs
		}
		for _, i := range changed {
			c := i / chunkSize
			lo, _ := slices.BinarySearch(ids, c*chunkSize)
			hi, _ := slices.BinarySearch(ids, (c+1)*chunkSize)
			if lo == hi {
				delete(chs, c)
			} else {
				chs[c] = encodeChunk(t, ids[lo:hi], as)
			}
		}
		ix.encoded[t] = join(t, chs)
	}
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

// shardLimit is about the most bytes one shard of postings holds: a shard
// over it is split by the next letter of its terms.
const shardLimit = 48 << 10

// encodeChunk encodes the postings of term t in ids, all in one chunk.
// The entry of a term in its shard gives, for each document the term is
// in, its id (as the gap from the previous id) and the term's weighted
// frequency there, each as a number of digits (see appendNum); the page
// computes BM25 from them.
func encodeChunk(t string, ids []int, as []analysis) chunk {
	c := chunk{first: ids[0], firstTF: as[ids[0]].tf[t], last: ids[len(ids)-1]}
	var b []byte
	for k := 1; k < len(ids); k++ {
		b = appendNum(b, ids[k]-ids[k-1])
		b = appendNum(b, as[ids[k]].tf[t])
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

// join writes the entry of a term from its chunks.
func join(t string, chs map[int]chunk) string {
	nums := make([]int, 0, len(chs))
	for c := range chs {
		nums = append(nums, c)
	}
	slices.Sort(nums)
	var sb strings.Builder
	writeJSONString(&sb, t)
	sb.WriteString(`:"`)
	prev := 0
	var b []byte
	for _, c := range nums {
		ch := chs[c]
		b = appendNum(appendNum(b[:0], ch.first-prev), ch.firstTF)
		sb.Write(b)
		sb.WriteString(ch.rest)
		prev = ch.last
	}
	sb.WriteByte('"')
	return sb.String()
}

// shards groups the encoded terms into shard files by prefix, at least two
// letters long, longer where a prefix holds too much; a term never spans
// shards. It returns the files and their prefixes, sorted.
func (ix *Indexer) shards() ([]File, []string) {
	terms := sortedKeys(ix.encoded)
	var files []File
	var keys []string
	emit := func(key string, lo, hi int) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "PostmortemSearch.shard(%q,{", key)
		for j := lo; j < hi; j++ {
			if j > lo {
				sb.WriteByte(',')
			}
			sb.WriteString(ix.encoded[terms[j]])
		}
		sb.WriteString("});\n")
		keys = append(keys, key)
		files = append(files, File{"search/t/" + fileKey(key) + ".js", []byte(sb.String())})
	}
	var group func(lo, hi, depth int)
	group = func(lo, hi, depth int) {
		for lo < hi {
			key := prefix(terms[lo], depth)
			end, size := lo, 0
			for end < hi && prefix(terms[end], depth) == key {
				size += len(ix.encoded[terms[end]])
				end++
			}
			// The term equal to the key, if any, sorts first.
			exact := lo
			if terms[lo] == key {
				exact++
			}
			if size > shardLimit && end-lo > 1 {
				// The term equal to the key stays here; the rest split further.
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
