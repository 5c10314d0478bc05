package search

import (
	"runtime"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/parallel"
)

// posting is one document a term is in, with its weighted frequency there
// and the document's length, see packTF.
type posting struct{ id, tf int32 }

// chunkBits is how many high bits of a document's id number its chunk of
// postings: a change of one document re-encodes one chunk of each of its
// terms, which holds about N/64 documents.
const chunkBits = 6

// chunkShift is the shift of an id of nbits bits that gives its chunk.
func chunkShift(nbits int) int { return max(0, nbits-chunkBits) }

// chunk is the encoded postings of a term among the ids of chunk number n.
type chunk struct {
	n, first, firstTF, last int
	count                   int    // of postings
	rest                    string // the postings after the first
}

// termData is what the index keeps of one term.
type termData struct {
	postings []posting // by id
	chunks   []chunk   // the postings encoded, by chunk number
	dense    *dense    // the entry of a dense term, see denseFrom
	size     int       // the length of the term's entry in its shard
}

// update brings the postings up to date after the documents of ids, sorted,
// changed: before and after hold their analyses of the last build and of
// this one (empty for a document that is new or gone). Only the terms whose
// postings of those documents changed are redone: an edit of a sentence
// leaves most terms of its document as they were, and redoing each of the
// dense ones took half of a rebuild's index at 100,000 documents.
func (ix *Indexer) update(ids []int32, before, after []analysis) {
	// The postings of the changed documents, by term, in the order of ids,
	// before and now; a term they had and no longer have is in now with
	// none.
	was, now := postingsOf(ids, before), postingsOf(ids, after)
	ix.allDirty = false
	ix.dirty = nil
	for t := range was {
		if _, ok := now[t]; !ok {
			now[t] = nil
		}
	}
	for t, ps := range now {
		if !slices.Equal(ps, was[t]) {
			ix.dirty = append(ix.dirty, t)
		}
	}
	slices.Sort(ix.dirty)
	shift := chunkShift(ix.bits)
	for _, t := range ix.dirty {
		at, known := slices.BinarySearch(ix.terms, t)
		var td termData
		if known {
			td = ix.data[at]
		}
		ps, news := td.postings, now[t]
		for _, i := range ids {
			k, found := slices.BinarySearchFunc(ps, i, byID)
			has := len(news) > 0 && news[0].id == i
			switch {
			case found && has:
				ps[k].tf = news[0].tf
			case found:
				ps = slices.Delete(ps, k, k+1)
			case has:
				ps = slices.Insert(ps, k, news[0])
			}
			if has {
				news = news[1:]
			}
		}
		if len(ps) == 0 {
			if known {
				ix.terms = slices.Delete(ix.terms, at, at+1)
				ix.data = slices.Delete(ix.data, at, at+1)
			}
			continue
		}
		td.postings = ps
		for k, i := range ids {
			n := int(i) >> shift
			if k > 0 && int(ids[k-1])>>shift == n {
				continue
			}
			lo, _ := slices.BinarySearchFunc(ps, int32(n<<shift), byID)
			hi, _ := slices.BinarySearchFunc(ps, int32((n+1)<<shift), byID)
			c, found := slices.BinarySearchFunc(td.chunks, n, func(c chunk, n int) int { return c.n - n })
			switch {
			case lo == hi && found:
				td.chunks = slices.Delete(td.chunks, c, c+1)
			case lo == hi:
			case found:
				td.chunks[c] = encodeChunk(ps[lo:hi], shift)
			default:
				td.chunks = slices.Insert(td.chunks, c, encodeChunk(ps[lo:hi], shift))
			}
		}
		td.setEntry(t)
		if known {
			ix.data[at] = td
		} else {
			ix.terms = slices.Insert(ix.terms, at, t)
			ix.data = slices.Insert(ix.data, at, td)
		}
	}
}

// postingsOf returns the postings of the documents of ids, analyzed as
// as says, by term, in the order of ids.
func postingsOf(ids []int32, as []analysis) map[string][]posting {
	out := map[string][]posting{}
	for k, i := range ids {
		a := &as[k]
		for j := range a.ids {
			t := a.term(j)
			out[t] = append(out[t], posting{i, packTF(a.tfs[j], a.length)})
		}
	}
	return out
}

// packTF joins the weighted frequency tf of a term in a document and the
// document's length (see packLength) into the one number of a posting:
// the page weighs a posting by BM25 without a table of every document's
// length, which at 100,000 documents would weigh more than a query's
// shards.
func packTF(tf int32, length int) int32 { return tf<<6 | int32(packLength(length)) }

func byID(p posting, id int32) int { return int(p.id - id) }

// rebuild makes every term's postings and entry anew from the analyses.
// Each worker takes the terms whose first byte falls to it, and encodes
// each term's postings as it goes, chunk by chunk: a build that runs once
// keeps no postings, only their encoding (at 100,000 documents, the
// postings held at once took 0.35 GB).
func (ix *Indexer) rebuild() {
	ids := ix.sortedIDs()
	type list struct {
		term     string
		postings []posting // none when building once
		enc      encoder
	}
	workers := runtime.GOMAXPROCS(0)
	lists := make([][]list, workers)
	parallel.For(workers, func(w int) {
		at := map[string]int32{} // term -> its index in lists[w]
		for _, id := range ids {
			a := &ix.docs[id].a
			for k := range a.ids {
				t := a.term(k)
				if int(t[0])%workers != w {
					continue
				}
				j, ok := at[t]
				if !ok {
					j = int32(len(lists[w]))
					at[t] = j
					lists[w] = append(lists[w], list{term: t, enc: encoder{shift: chunkShift(ix.bits)}})
				}
				l, p := &lists[w][j], posting{id, packTF(a.tfs[k], a.length)}
				if !ix.opts.Once {
					l.postings = append(l.postings, p)
				}
				l.enc.add(p)
			}
		}
	})
	all := slices.Concat(lists...)
	slices.SortFunc(all, func(a, b list) int { return strings.Compare(a.term, b.term) })
	ix.terms = make([]string, len(all))
	ix.data = make([]termData, len(all))
	parallel.For(len(all), func(j int) {
		ix.terms[j] = all[j].term
		ix.data[j] = termData{postings: all[j].postings, chunks: all[j].enc.done()}
		ix.data[j].setEntry(all[j].term)
		if ix.opts.Once && ix.data[j].dense != nil {
			ix.data[j].chunks = nil // not updated, and the entry holds what is written
		}
	})
	ix.dirty, ix.allDirty = nil, true
}

// encodeChunk encodes postings ps, all in one chunk (see encoder).
func encodeChunk(ps []posting, shift int) chunk {
	e := encoder{shift: shift}
	for _, p := range ps {
		e.add(p)
	}
	return e.done()[0]
}

// encoder encodes the postings of a term, given by id, into chunks. The
// entry of a term in its shard gives, for each document the term is in,
// its id (as the gap from the previous id) and the term's weighted
// frequency there, each as a number of digits (see appendNum); the page
// computes BM25 from them.
type encoder struct {
	shift  int // see chunkShift
	chunks []chunk
	cur    chunk  // the chunk being encoded, while open
	open   bool   // cur holds a posting
	prev   int32  // the id of the last posting
	rest   []byte // of cur
}

// add encodes p, whose id is greater than those before it.
func (e *encoder) add(p posting) {
	if n := int(p.id) >> e.shift; e.open && n != e.cur.n {
		e.close()
	}
	if !e.open {
		e.cur, e.open = chunk{n: int(p.id) >> e.shift, first: int(p.id), firstTF: int(p.tf)}, true
	} else {
		e.rest = appendNum(e.rest, int(p.id-e.prev))
		e.rest = appendTF(e.rest, int(p.tf))
	}
	e.prev, e.cur.last = p.id, int(p.id)
	e.cur.count++
}

func (e *encoder) close() {
	e.cur.rest = string(e.rest)
	e.chunks = append(e.chunks, e.cur)
	e.rest, e.open = e.rest[:0], false
}

// done returns the chunks of every posting added.
func (e *encoder) done() []chunk {
	if e.open {
		e.close()
	}
	e.rest = nil
	return e.chunks
}

// appendNum appends v to b in the digits of the index: five bits a digit,
// the high ones first; all but the last digit have 32 added. Most gaps and
// frequencies take one digit.
func appendNum(b []byte, v int) []byte {
	for k := numLen(v) - 1; k >= 0; k-- {
		d := (v >> (5 * k)) & 31
		if k > 0 {
			d += 32
		}
		b = append(b, digits[d])
	}
	return b
}

// lengthFrom is the least packed length (see packLength) a posting's
// second number holds: 28, about 165 words; 15 packed lengths from it, up
// to about 2,700 words, take no digit of their own.
const lengthFrom = 28

// appendTF appends v, a frequency and a length joined by packTF, to b as
// the page reads them: the frequency times 16 plus the packed length less
// lengthFrom, when that is below 15, else plus 15, and then the packed
// length as a number of its own. The frequency of a word once in the body
// of a document of usual length takes one digit.
func appendTF(b []byte, v int) []byte {
	tf, length := v>>6, v&63
	if r := length - lengthFrom; r >= 0 && r < 15 {
		return appendNum(b, tf<<4|r)
	}
	return appendNum(appendNum(b, tf<<4|15), length)
}

// tfLen is how many digits appendTF writes v in.
func tfLen(v int) int {
	tf, length := v>>6, v&63
	if r := length - lengthFrom; r >= 0 && r < 15 {
		return numLen(tf<<4 | r)
	}
	return numLen(tf<<4|15) + numLen(length)
}

// numLen is how many digits appendNum writes v in.
func numLen(v int) int {
	n := 1
	for x := v >> 5; x > 0; x >>= 5 {
		n++
	}
	return n
}

// appendEntry appends to b the entry of term t in its shard, from the
// chunks of its postings.
func appendEntry(b []byte, t string, chs []chunk) []byte {
	b = appendJSONString(b, t)
	b = append(b, `:"`...)
	prev := 0
	for _, ch := range chs {
		b = appendTF(appendNum(b, ch.first-prev), ch.firstTF)
		b = append(b, ch.rest...)
		prev = ch.last
	}
	return append(b, '"')
}

// entrySize is the length of the entry appendEntry writes.
func entrySize(t string, chs []chunk) int {
	size := len(appendJSONString(nil, t)) + 3
	prev := 0
	for _, ch := range chs {
		size += numLen(ch.first-prev) + tfLen(ch.firstTF) + len(ch.rest)
		prev = ch.last
	}
	return size
}
