package search

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// shardLimit is about the most bytes one shard of postings holds: a shard
// over it is split by the next letter of its terms.
const shardLimit = 48 << 10

// shardName is how many letters of a hash of its content name a shard's
// file.
const shardName = 8

// shardFile is a shard file as the last build wrote it: its terms from
// first to last, count of them, and the files of the rest of its dense
// terms.
type shardFile struct {
	first, last string
	count       int
	file        File
	rests       []File
}

// shards groups the encoded terms into shard files by prefix, at least two
// letters long, longer where a prefix holds too much; a term never spans
// shards. It returns the files and their prefixes, sorted, the file of
// each prefix at the same index, and the files of the rest of the dense
// terms. A shard whose terms are the same as in the last build, none of
// them changed, is not written again.
func (ix *Indexer) shards() ([]File, []string, []File) {
	terms := ix.terms
	var files, rests []File
	var keys []string
	prev := ix.shardFiles
	ix.shardFiles = make(map[string]shardFile, len(prev))
	emit := func(key string, lo, hi int) {
		keys = append(keys, key)
		if sf, ok := prev[key]; ok && !ix.allDirty && sf.first == terms[lo] && sf.last == terms[hi-1] && sf.count == hi-lo {
			// Unchanged unless a changed term sorts between its first and last.
			at, _ := slices.BinarySearch(ix.dirty, terms[lo])
			if at == len(ix.dirty) || ix.dirty[at] > terms[hi-1] {
				ix.shardFiles[key] = sf
				files = append(files, sf.file)
				rests = append(rests, sf.rests...)
				return
			}
		}
		size := 0
		for j := lo; j < hi; j++ {
			size += ix.data[j].size + 1
		}
		b := make([]byte, 0, size+len(key)+40)
		b = append(b, "PostmortemSearch.shard("...)
		b = appendJSONString(b, key)
		b = append(b, ",{"...)
		for j := lo; j < hi; j++ {
			if j > lo {
				b = append(b, ',')
			}
			b = ix.data[j].appendTo(b, terms[j])
		}
		b = append(b, "});\n"...)
		f := File{"search/t/" + contentName(b, shardName) + ".js", b}
		sf := shardFile{terms[lo], terms[hi-1], hi - lo, f, ix.restFiles(lo, hi)}
		ix.shardFiles[key] = sf
		files = append(files, f)
		rests = append(rests, sf.rests...)
	}
	var group func(lo, hi, depth int)
	group = func(lo, hi, depth int) {
		for lo < hi {
			key := prefix(terms[lo], depth)
			end, size := lo, 0
			for end < hi && strings.HasPrefix(terms[end], key) {
				size += ix.data[end].size
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
	slices.SortFunc(rests, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files, keys, rests
}

// prefix is the first n letters of term.
func prefix(term string, n int) string {
	if len(term) <= n {
		return term
	}
	if isASCII(term[:n]) {
		return term[:n]
	}
	r := []rune(term)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// appendJSONString appends s to b as a JSON string, which is also a
// JavaScript one; like encoding/json, it writes <, > and & as escapes, so
// that no text reads as markup even where a file is inlined in a page.
func appendJSONString(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' && c != 0xe2 {
			continue
		}
		if c == 0xe2 && !(strings.HasPrefix(s[i:], "\u2028") || strings.HasPrefix(s[i:], "\u2029")) {
			continue
		}
		b = append(b, s[start:i]...)
		switch {
		case c == '"', c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == 0xe2: // line and paragraph separators, not allowed raw in older JavaScript
			b = append(b, fmt.Sprintf("\\u%04x", []rune(s[i : i+3])[0])...)
			i += 2
		default:
			b = append(b, fmt.Sprintf("\\u%04x", c)...)
		}
		start = i + 1
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
