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
	const k1, b = 1.2, 0.75
	tf := float64(v >> 6)
	return tf * (k1 + 1) / (tf + k1*(1-b+b*math.Pow(lengthBase, float64(v&63-refLength))))
}

// denseEntry makes the entry of term t, of postings ps by id, and the file
// of its rest: the entry is an array of the best postings, encoded as
// appendEntry encodes them, the name of the file, the number of documents,
// and the frequency and packed length of the rest's posting of median
// weight.
func denseEntry(t string, ps []posting) *dense {
	byWeight := slices.Clone(ps)
	slices.SortFunc(byWeight, func(a, b posting) int {
		return cmp.Or(cmp.Compare(weight(b.tf), weight(a.tf)), cmp.Compare(a.id, b.id))
	})
	top, rest := byWeight[:topSize], byWeight[topSize:]
	median := rest[len(rest)/2].tf
	slices.SortFunc(top, func(a, b posting) int { return cmp.Compare(a.id, b.id) })
	slices.SortFunc(rest, func(a, b posting) int { return cmp.Compare(a.id, b.id) })

	data := append([]byte("PostmortemSearch.rest("), appendJSONString(nil, t)...)
	data = append(data, `,"`...)
	prev := int32(0)
	for _, p := range rest {
		data = appendNum(data, int(p.id-prev))
		prev = p.id
	}
	data = append(data, "\");\n"...)
	name := contentName(data, shardName)

	e := appendJSONString(nil, t)
	e = append(e, `:["`...)
	prev = 0
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
		nums := readNums(ch.rest)
		for k := 0; k < len(nums); {
			id := ps[len(ps)-1].id + int32(nums[k])
			v := nums[k+1]
			tf, length := v>>4, v&15+lengthFrom
			k += 2
			if v&15 == 15 {
				length = nums[k]
				k++
			}
			ps = append(ps, posting{id, int32(tf<<6 | length)})
		}
	}
	return ps
}

// readNums reads the numbers appendNum wrote in s.
func readNums(s string) []int {
	var out []int
	v := 0
	for i := range len(s) {
		d := int(digitOf[s[i]])
		v = v<<5 | d&31
		if d < 32 {
			out = append(out, v)
			v = 0
		}
	}
	return out
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
