package search

import (
	"cmp"
	"hash/crc32"
	"math/bits"
	"slices"
	"strconv"
	"time"
)

// minIDBits is the least number of bits of a document id.
const minIDBits = 6

// idBits is how many bits the ids of n documents take: the fewest that
// leave a quarter of the ids or more free, so that between 3/8 and 3/4 of
// them are taken. Dense ids make small sets: the ids of a word in most
// documents are a bitmap of a digit for 2.25 to 4.5 documents (see
// appendRest), and every gap between two ids is smaller. A collision then
// takes the next free id, a few places on.
func idBits(n int) int { return max(minIDBits, bits.Len(uint(n+n/3))) }

// assignIDs gives each document its id, and returns them in the order of
// docs with their number of bits. A document's id is the hash of its slug,
// so that it keeps it whatever other documents come and go, and the
// postings and cards of the others stay as they were. When the id is
// taken (most of the ids are, see idBits), the earlier incident, then the
// smaller slug and URL, keeps it and the other takes the next free one: a
// new incident, the latest, moves no other, but one dated before others
// may take the id of one of them, which then moves on, and its files
// change too.
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
		id := int(mix(fnv64a(docs[i].Slug)) >> (64 - nbits))
		for taken[id/64]&(1<<(id%64)) != 0 {
			id = (id + 1) % size
		}
		taken[id/64] |= 1 << (id % 64)
		ids[i] = int32(id)
	}
	return ids, nbits
}

// idKey is what the id of a document depends on.
type idKey struct {
	slug, url string
	date      time.Time
}

// idsOf returns assignIDs(docs), reusing the ids of the last build when
// every document is at the same place with the same slug, URL and date, as
// after an edit of a body: sorting them again cost about 3 ms at 10,000.
// It says whether it reused them.
func (ix *Indexer) idsOf(docs []Doc) ([]int32, int, bool) {
	same := len(docs) == len(ix.idKeys)
	for i := 0; same && i < len(docs); i++ {
		d := &docs[i]
		k := &ix.idKeys[i]
		same = k.slug == d.Slug && k.url == d.URL && k.date.Equal(d.Date)
	}
	if same && !ix.idTies && ix.ids != nil {
		return ix.ids, idBits(len(docs)), true
	}
	ids, nbits := assignIDs(docs)
	ix.ids = ids
	ix.idKeys = ix.idKeys[:0]
	seen := make(map[idKey]bool, len(docs))
	ix.idTies = false
	for i := range docs {
		k := idKey{docs[i].Slug, docs[i].URL, docs[i].Date}
		ix.idKeys = append(ix.idKeys, k)
		ix.idTies = ix.idTies || seen[k] // their order comes from their hashes
		seen[k] = true
	}
	return ids, nbits, false
}

// fnv64a is FNV-1a of s.
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
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

// contentName returns n letters and digits (base 32, lower case) of a hash
// of data: files named with it change name whenever their content changes,
// so that a browser never combines files of two builds.
func contentName(data []byte, n int) string {
	s := strconv.FormatUint(contentHash(data)|1<<63, 32) // 13 digits
	return s[len(s)-n:]
}

// contentHash hashes data with two CRCs, which the processor computes,
// rather than FNV, which took 6 ms of each rebuild at 10,000 documents.
func contentHash(data []byte) uint64 {
	return mix(uint64(crc32.Checksum(data, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(data)))
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)
