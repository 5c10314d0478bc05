package search

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strconv"
)

// A dense term, one in more than denseFrom documents, has an entry in its
// shard of two parts: its topSize best postings, with their frequencies,
// and a file of its own (search/r/) with the ids of every other document
// it is in, without them. A query of a word in half of 100,000 incidents
// then loads about a digit a document instead of three, and the page
// weighs the documents of the rest alike, by the posting of median weight
// among them: only the best postings of a word in so many documents
// decide which come first, and the word's idf is low. Tests lower both.
var (
	denseFrom = 2048
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

// setEntry makes the entry of term t from td's chunks, and its size.
func (td *termData) setEntry(t string) {
	td.dense = nil
	if count(td.chunks) > denseFrom {
		td.dense = denseEntry(t, decode(td.chunks))
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
	counts := map[int32]int{} // packed frequency and length -> postings
	for _, p := range ps {
		counts[p.tf]++
	}
	vs := slices.Collect(maps.Keys(counts))
	slices.SortFunc(vs, func(a, b int32) int { return cmp.Or(cmp.Compare(weight(b), weight(a)), cmp.Compare(a, b)) })
	// vs[cut] is the last pair among the best, and atCut how many of its
	// postings are, the first by id.
	cut, atCut := 0, topSize
	for atCut > counts[vs[cut]] {
		atCut -= counts[vs[cut]]
		cut++
	}
	cutW, cutV := weight(vs[cut]), vs[cut]
	top, rest := make([]posting, 0, topSize), make([]posting, 0, len(ps)-topSize)
	taken := 0
	for _, p := range ps {
		w := weight(p.tf)
		if w > cutW || w == cutW && p.tf < cutV || p.tf == cutV && taken < atCut {
			top = append(top, p)
			if p.tf == cutV {
				taken++
			}
			continue
		}
		rest = append(rest, p)
	}
	// The pair of the rest's median posting, in the same order.
	counts[cutV] -= atCut
	median, m := cutV, len(rest)/2
	for _, v := range vs[cut:] {
		if m < counts[v] {
			median = v
			break
		}
		m -= counts[v]
	}

	data := appendRest(t, rest)
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

// appendRest returns the file of the rest of term t, postings ps by id:
// their ids as gaps (PostmortemSearch.rest), or as a bitmap where that is
// shorter (PostmortemSearch.restBits), six ids a digit, the lowest id of
// each the lowest bit.
func appendRest(t string, ps []posting) []byte {
	gaps := make([]byte, 0, len(ps))
	prev := int32(0)
	for _, p := range ps {
		gaps = appendNum(gaps, int(p.id-prev))
		prev = p.id
	}
	fn := "rest"
	if n := int(prev)/6 + 1; n < len(gaps) {
		bitmap := make([]byte, n)
		for _, p := range ps {
			bitmap[p.id/6] |= 1 << (p.id % 6)
		}
		for i, b := range bitmap {
			bitmap[i] = digits[b]
		}
		fn, gaps = "restBits", bitmap
	}
	data := append([]byte("PostmortemSearch."+fn+"("), appendJSONString(nil, t)...)
	data = append(data, `,"`...)
	data = append(data, gaps...)
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
