package search

import (
	"cmp"
	"math"
	"slices"
	"strconv"
)

// A dense term, one in more than denseFrom documents, has an entry in its
// shard of two parts: its topSize best postings, with their frequencies,
// and a file of its own (search/r/) with the ids of every other document
// it is in, without them. A query of a word in half of 100,000 incidents
// then loads a digit for each of them, or for six ids (see appendRest),
// instead of three, and the page weighs the documents of the rest alike,
// by the posting of median weight among them: only the best postings of a
// word in so many documents decide which come first, and the word's idf
// is low. From 8,192 rather than 2,048, adding a postmortem to 10,000
// writes 201 files of the index anew rather than 279 (the rests of the
// dense terms it is in), and a query at 100,000 loads as little. topSize
// is below denseFrom; tests lower both.
var (
	denseFrom = 8192
	topSize   = 1024
)

// refLength is the packed length of a document of the usual length (about
// 590 words) against which the postings of a dense term are ranked: the
// page weighs them with the site's mean length, which changes with every
// document, and the choice of the best may not.
const refLength = lengthFrom + 7

// dense is the entry of a dense term and its file of the rest.
type dense struct {
	entry []byte
	rest  File
}

// count returns the number of postings in chs.
func count(chs []chunk) int {
	n := 0
	for _, ch := range chs {
		n += ch.count
	}
	return n
}

// setEntry makes the entry of term t, and its size, from td's postings,
// or from its chunks when it holds none.
func (td *termData) setEntry(t string) {
	td.dense = nil
	if count(td.chunks) > denseFrom {
		ps := td.postings
		if ps == nil { // a build that runs once keeps only the chunks
			ps = decode(td.chunks)
		}
		td.dense = denseEntry(t, ps)
		td.size = len(td.dense.entry)
		return
	}
	td.size = entrySize(t, td.chunks)
}

// appendTo appends the entry of term t to b.
func (td *termData) appendTo(b []byte, t string) []byte {
	if td.dense != nil {
		return append(b, td.dense.entry...)
	}
	return appendEntry(b, t, td.chunks)
}

// weight is what a posting of packed frequency and length v (see packTF)
// weighs by BM25, but for the term's idf, in a document against one of
// refLength.
func weight(v int32) float64 {
	const k1 = 1.2
	tf := float64(v >> 6)
	return tf * (k1 + 1) / (tf + k1*lengthNorm[v&63])
}

// lengthNorm is BM25's norm of each packed length against refLength.
var lengthNorm = func() (n [64]float64) {
	const b = 0.75
	for l := range n {
		n[l] = 1 - b + b*math.Pow(lengthBase, float64(l-refLength))
	}
	return n
}()

// denseEntry makes the entry of term t, of postings ps by id, and the file
// of its rest: the entry is an array of the best postings, encoded as
// appendEntry encodes them, the name of the file, the number of documents,
// and the frequency and packed length of the rest's posting of median
// weight.
//
// The best are the first topSize by weight, then by frequency and length
// packed (see packTF), then by id. Postings of the same frequency and
// length weigh alike, and there are few such pairs: they are counted
// rather than the postings sorted, which at 10,000 documents made a
// rebuild after one edit six times slower.
func denseEntry(t string, ps []posting) *dense {
	counts := new(pairCounts)
	for _, p := range ps {
		counts.add(p.tf, 1)
	}
	vs := counts.pairs
	slices.SortFunc(vs, func(a, b int32) int { return cmp.Or(cmp.Compare(weight(b), weight(a)), cmp.Compare(a, b)) })
	// vs[cut] is the last pair among the best, and atCut how many of its
	// postings are, the first by id.
	cut, atCut := 0, topSize
	for atCut > counts.of(vs[cut]) {
		atCut -= counts.of(vs[cut])
		cut++
	}
	cutW, cutV := weight(vs[cut]), vs[cut]
	top := make([]posting, 0, topSize)
	taken := 0
	for _, p := range ps {
		w := weight(p.tf)
		if w > cutW || w == cutW && p.tf < cutV || p.tf == cutV && taken < atCut {
			top = append(top, p)
			if p.tf == cutV {
				taken++
			}
		}
	}
	// The pair of the rest's median posting, in the same order.
	counts.add(cutV, -atCut)
	median, m := cutV, (len(ps)-topSize)/2
	for _, v := range vs[cut:] {
		if m < counts.of(v) {
			median = v
			break
		}
		m -= counts.of(v)
	}

	data := appendRest(t, ps, top)
	name := contentName(data, shardName)

	e := appendJSONString(nil, t)
	e = append(e, `:["`...)
	prev := int32(0)
	for _, p := range top {
		e = appendTF(appendNum(e, int(p.id-prev)), int(p.tf))
		prev = p.id
	}
	e = append(e, `","`+name+`",`...)
	e = strconv.AppendInt(e, int64(len(ps)), 10)
	e = append(e, ',')
	e = strconv.AppendInt(e, int64(median>>6), 10)
	e = append(e, ',')
	e = strconv.AppendInt(e, int64(median&63), 10)
	return &dense{append(e, ']'), File{"search/r/" + name + ".js", data}}
}

// pairCounts counts postings by their pair of frequency and length, packed
// as packTF packs them: most pairs are below 2^12 (a frequency below 64),
// and are counted in an array rather than a map.
type pairCounts struct {
	small [1 << 12]int
	big   map[int32]int
	pairs []int32 // every pair counted, in the order first met
}

func (c *pairCounts) add(v int32, n int) {
	if c.of(v) == 0 {
		c.pairs = append(c.pairs, v)
	}
	if v < int32(len(c.small)) {
		c.small[v] += n
		return
	}
	if c.big == nil {
		c.big = map[int32]int{}
	}
	c.big[v] += n
}

func (c *pairCounts) of(v int32) int {
	if v < int32(len(c.small)) {
		return c.small[v]
	}
	return c.big[v]
}

// appendRest returns the file of the rest of term t, the postings of ps
// not in top, both by id: their ids as gaps (PostmortemSearch.rest), or as
// a bitmap where that is shorter (PostmortemSearch.restBits), six ids a
// digit, the lowest id of each the lowest bit. The rest is not made a
// list of its own: at 100,000 documents, the pages of memory of one such
// list for each term an edit touched took most of a rebuild's split.
func appendRest(t string, ps, top []posting) []byte {
	// each calls fn with the ids of the rest.
	each := func(fn func(id int32)) {
		j := 0
		for _, p := range ps {
			if j < len(top) && top[j].id == p.id {
				j++
				continue
			}
			fn(p.id)
		}
	}
	size, prev := 0, int32(0)
	each(func(id int32) { size, prev = size+numLen(int(id-prev)), id })
	bitmap := int(prev)/6 + 1
	fn := "rest"
	if bitmap < size {
		fn, size = "restBits", bitmap
	}
	data := append(make([]byte, 0, size+len(t)+40), "PostmortemSearch."+fn+"("...)
	data = appendJSONString(data, t)
	data = append(data, `,"`...)
	if fn == "rest" {
		prev = 0
		each(func(id int32) { data, prev = appendNum(data, int(id-prev)), id })
	} else {
		at := len(data)
		data = append(data, make([]byte, bitmap)...)
		each(func(id int32) { data[at+int(id)/6] |= 1 << (id % 6) })
		for i := at; i < at+bitmap; i++ {
			data[i] = digits[data[i]]
		}
	}
	return append(data, "\");\n"...)
}

// digitOf gives the value of each digit of the index, -1 for other bytes.
var digitOf = func() (d [256]int8) {
	for i := range d {
		d[i] = -1
	}
	for i := range len(digits) {
		d[digits[i]] = int8(i)
	}
	return d
}()

// decode returns the postings chs encode.
func decode(chs []chunk) []posting {
	ps := make([]posting, 0, count(chs))
	for _, ch := range chs {
		ps = append(ps, posting{int32(ch.first), int32(ch.firstTF)})
		// After the first: the gap, then the frequency and length as
		// appendTF writes them, one number or two.
		var nums [3]int
		k, v := 0, 0
		for i := range len(ch.rest) {
			d := int(digitOf[ch.rest[i]])
			v = v<<5 | d&31
			if d >= 32 {
				continue
			}
			nums[k], v = v, 0
			if k++; k == 2 && nums[1]&15 != 15 || k == 3 {
				length := nums[1]&15 + lengthFrom
				if k == 3 {
					length = nums[2]
				}
				ps = append(ps, posting{ps[len(ps)-1].id + int32(nums[0]), int32(nums[1]>>4<<6 | length)})
				k = 0
			}
		}
	}
	return ps
}

// restFiles returns the files of the rest of the dense terms among
// terms[lo:hi].
func (ix *Indexer) restFiles(lo, hi int) []File {
	var out []File
	for j := lo; j < hi; j++ {
		if d := ix.data[j].dense; d != nil {
			out = append(out, d.rest)
		}
	}
	return out
}
