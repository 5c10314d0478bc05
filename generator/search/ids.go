package search

import (
	"cmp"
	"hash/fnv"
	"math/bits"
	"slices"
	"strconv"
)

// minIDBits is the least number of bits of a document id.
const minIDBits = 20

// idBits is how many bits the ids of n documents take: 20, or more for a
// site of more than 2^19 documents, so that at most half the ids are taken.
func idBits(n int) int { return max(minIDBits, bits.Len(uint(2*n))) }

// assignIDs gives each document its id, and returns them in the order of
// docs with their number of bits. A document's id is the hash of its slug,
// so that it keeps it whatever other documents come and go, and the
// postings and fragments of the others stay as they were. When two hash
// alike (a new document at 10,000 has a chance of 1 in 100), the earlier incident,
// then the smaller slug and URL, keeps the id and the other takes the next
// free one: a new incident, the latest, seldom moves another.
func assignIDs(docs []Doc) ([]int32, int) {
	nbits := idBits(len(docs))
	order := make([]int, len(docs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		x, y := &docs[a], &docs[b]
		return cmp.Or(x.Date.Compare(y.Date), cmp.Compare(x.Slug, y.Slug), cmp.Compare(x.URL, y.URL), cmp.Compare(x.Hash, y.Hash))
	})
	size := 1 << nbits
	taken := make([]uint64, size/64)
	ids := make([]int32, len(docs))
	for _, i := range order {
		h := fnv.New64a()
		h.Write([]byte(docs[i].Slug))
		id := int(mix(h.Sum64()) >> (64 - nbits))
		for taken[id/64]&(1<<(id%64)) != 0 {
			id = (id + 1) % size
		}
		taken[id/64] |= 1 << (id % 64)
		ids[i] = int32(id)
	}
	return ids, nbits
}

// mix spreads the bits of an FNV hash over all 64: the top bits of FNV-1a
// differ little between strings that differ in their last byte, and the
// slugs of one site often do ("p500", "p501").
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// contentName returns n letters and digits (base 32) of a hash of data:
// files named with it change name whenever their content changes, so that
// a browser never combines files of two builds.
func contentName(data []byte, n int) string {
	h := fnv.New64a()
	h.Write(data)
	s := strconv.FormatUint(mix(h.Sum64())|1<<63, 32) // 13 digits
	return s[len(s)-n:]
}
